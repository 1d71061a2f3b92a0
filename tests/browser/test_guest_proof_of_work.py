"""The guest form's proof-of-work solver, in the browser."""

from playwright.sync_api import expect

from folkmoot.discussions.models import Post


def test_the_plain_javascript_sha256_agrees_with_web_crypto(page, topic):
    page.goto(topic.get_absolute_url())
    texts = ["", "abc", "x" * 55, "y" * 56, "z" * 64, "ünïcödé 🙂" * 20]
    results = page.evaluate(
        """async (texts) => {
          const hex = (b) =>
            Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, "0")).join("");
          const out = [];
          for (const text of texts) {
            const bytes = new TextEncoder().encode(text);
            out.push([hex(await crypto.subtle.digest("SHA-256", bytes)),
                      hex(window.folkmootGuestPow.sha256(bytes))]);
          }
          return out;
        }""",
        texts,
    )
    for web_crypto, plain in results:
        assert web_crypto == plain


def test_a_guest_can_post_where_the_browser_hides_web_crypto(page, topic):
    # What a browser does on plain HTTP under a non-local name: no crypto.subtle.
    page.add_init_script("Object.defineProperty(window.crypto, 'subtle', {get: () => undefined})")
    page.goto(topic.get_absolute_url())
    # Typed once the editor is open: the races of an editor arriving mid-typing have their
    # own tests below, and they made this one fail on a busy machine.
    page.get_by_placeholder("Reply to this topic...").click()
    page.locator("[data-composer-editor]").fill("Posted without Web Crypto")
    page.get_by_label("Email address").fill("plain@example.net")
    page.get_by_role("button", name="Submit reply").click()
    page.wait_for_url("**/accounts/signup/**")
    expect(page.locator(".signup-pending")).to_contain_text("Posted without Web Crypto")
    assert Post.objects.get(body="Posted without Web Crypto").status == Post.Status.PENDING


def test_the_editor_loading_late_leaves_the_field_being_typed_in_alone(page, topic):
    # What made the test above fail on a busy machine: the editor's code arrived while the
    # email was being typed, took the focus, and the address went into the post (400: no
    # email). Here the editor's code is held back until the email field has the focus.
    held = []
    page.route("**/composer/composer.js", lambda route: held.append(route))
    page.goto(topic.get_absolute_url())
    page.get_by_placeholder("Reply to this topic...").fill("Typed before the editor loaded")
    email = page.get_by_label("Email address")
    email.click()
    while not held:
        page.wait_for_timeout(50)
    held[0].continue_()
    expect(page.locator("[data-composer-editor]")).to_contain_text("Typed before the editor")
    expect(email).to_be_focused()
    page.keyboard.type("late@example.net")
    page.get_by_role("button", name="Submit reply").click()
    page.wait_for_url("**/accounts/signup/**")
    post = Post.objects.get(body="Typed before the editor loaded")
    assert post.status == Post.Status.PENDING


def test_text_reaching_the_textarea_as_the_editor_arrives_is_kept(page, topic):
    # The other half of the race: the editor took the textarea's place between the focus and
    # the typing, the text still went into the textarea, and the next sync wiped it (400:
    # "Write something before posting").
    held = []
    page.route("**/composer/composer.js", lambda route: held.append(route))
    page.goto(topic.get_absolute_url())
    textarea = page.get_by_placeholder("Reply to this topic...")
    textarea.click()
    while not held:
        page.wait_for_timeout(50)
    held[0].continue_()
    expect(textarea).to_be_hidden()
    # Text arriving in the textarea as it is hidden (Chromium moves the focus off a hidden
    # element only at its next style update): what the keyboard's input event does.
    textarea.evaluate(
        "(t) => { t.value = 'Typed as the editor arrived';"
        " t.dispatchEvent(new InputEvent('input', {bubbles: true})) }"
    )
    expect(page.locator("[data-composer-editor]")).to_contain_text("Typed as the editor arrived")
    page.get_by_label("Email address").fill("arrived@example.net")
    page.get_by_role("button", name="Submit reply").click()
    page.wait_for_url("**/accounts/signup/**")
    assert Post.objects.get(body="Typed as the editor arrived").status == Post.Status.PENDING
