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
    page.get_by_placeholder("Reply to this topic...").fill("Posted without Web Crypto")
    page.get_by_label("Email address").fill("plain@example.net")
    page.get_by_role("button", name="Submit reply").click()
    page.wait_for_url("**/accounts/signup/**")
    expect(page.locator(".signup-pending")).to_contain_text("Posted without Web Crypto")
    assert Post.objects.get(body="Posted without Web Crypto").status == Post.Status.PENDING
