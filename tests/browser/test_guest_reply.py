from urllib.parse import urlparse

from playwright.sync_api import expect

from tests.factories import PASSWORD, make_topic

SEED_TITLE = "Islamic State Kills 700 Alawite Syrian Soldiers"


def test_a_guest_replies_registers_confirms_and_the_post_appears_to_everyone(
    browser, page, live_server, mailbox, transactional_db
):
    topic = make_topic(title=SEED_TITLE, replies=3)
    page.goto(topic.get_absolute_url())
    reply_box = page.locator("#reply")
    expect(reply_box.get_by_role("heading", name="Join the conversation")).to_be_visible()
    expect(reply_box).to_contain_text(
        "You can post now and register later. If you have an account, sign in now to post "
        "with your account."
    )
    expect(reply_box.get_by_role("link", name="sign in now")).to_have_attribute(
        "href", f"/accounts/login/?next={topic.get_absolute_url()}"
    )
    expect(reply_box.locator(".composer-author")).to_contain_text("Guest")

    # Open the editor, then type in it: text typed into the textarea while the editor
    # loads can still be lost under load (an open bug, see the stop note).
    page.get_by_placeholder("Reply to this topic...").click()
    page.locator("[data-composer-editor]").fill("A guest's first words, typed live")
    page.get_by_label("Email address").fill("wanderer@example.net")
    page.get_by_label("Display name").fill("Wanderer")
    page.get_by_role("button", name="Submit reply").click()

    # The proof of work ran in the page, then the reply went through: on to sign-up.
    page.wait_for_url("**/accounts/signup/**")
    expect(page.locator(".pending-banner")).to_contain_text(
        "This post will appear once you finish registering."
    )
    expect(page.locator(".signup-pending")).to_contain_text("A guest's first words, typed live")
    expect(page.locator("input[name=email]")).to_have_value("wanderer@example.net")

    # Back on the topic, the guest's browser shows the post in place with the banner.
    page.goto(topic.get_absolute_url())
    expect(page.locator(".pending-post")).to_contain_text("A guest's first words, typed live")
    expect(page.locator(".pending-post")).to_contain_text(
        "This post will appear once you finish registering."
    )
    # Nobody else sees it.
    stranger = browser.new_context(base_url=live_server.url).new_page()
    stranger.goto(topic.get_absolute_url())
    expect(stranger.locator(".posts")).not_to_contain_text("A guest's first words")

    page.get_by_role("link", name="Finish registering").click()
    page.fill("input[name=username]", "Wanderer")
    expect(page.locator("input[name=email]")).to_have_value("wanderer@example.net")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url("**/accounts/confirm-email/**")

    # One email, not two: the link in the guest email confirms the address in this browser.
    [finish] = [u for u in mailbox.links_to("wanderer@example.net") if "/guests/finish/" in u]
    assert len(mailbox.to("wanderer@example.net")) == 1
    page.goto(urlparse(finish).path)
    page.get_by_role("button", name="Confirm and sign in").click()
    # Confirmed and signed in, the new member is shown the post waiting under their address;
    # nothing is published until they say so.
    page.wait_for_url("**/accounts/waiting-posts/**")
    expect(page.locator(".waiting-summary")).to_contain_text(
        "You have 1 post waiting from a guest using your address."
    )
    waiting = page.locator(".waiting-post")
    expect(waiting).to_contain_text(SEED_TITLE)
    expect(waiting).to_contain_text("A guest's first words, typed live")
    expect(waiting.locator(".guest-name")).to_have_text("Wanderer")
    stranger.goto(topic.get_absolute_url())
    expect(stranger.locator(".posts")).not_to_contain_text("A guest's first words")
    waiting.get_by_role("button", name="Publish").click()
    # Published, the new member lands on their post.
    page.wait_for_url("**/t/**#post-5")
    expect(page.locator("#post-5")).to_contain_text("A guest's first words, typed live")
    expect(page.locator(".messages")).to_contain_text("Your post is now published.")

    stranger.goto(topic.get_absolute_url())
    published = stranger.locator("#post-5")
    expect(published).to_contain_text("A guest's first words, typed live")
    expect(published.locator(".author-name")).to_have_text("Wanderer")
    stranger.context.close()
