from playwright.sync_api import expect

from tests.browser.conftest import sign_in


def test_a_member_replies_and_sees_the_post_on_the_page(page, live_server, topic, other_member):
    sign_in(page, other_member)
    page.goto(f"/t/{topic.pk}-{topic.slug}/")
    expect(page.get_by_role("heading", name="Join the conversation")).to_be_visible()
    # Open the editor, then type in it: text typed into the textarea while the editor
    # loads can still be lost under load (an open bug, see the stop note).
    page.get_by_placeholder("Reply to this topic...").click()
    page.locator("[data-composer-editor]").fill("A reply typed in a real browser")
    page.get_by_role("button", name="Submit reply").click()
    expect(page.locator("#post-2")).to_contain_text("A reply typed in a real browser")
    assert page.url.endswith("#post-2")
