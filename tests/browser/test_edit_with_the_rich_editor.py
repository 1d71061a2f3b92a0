"""Editing a post opens the same rich editor as replying, not a bare Markdown textarea."""

from playwright.sync_api import expect

from tests.browser.conftest import sign_in


def test_a_member_edits_their_post_in_the_rich_editor(page, topic, member):
    post = topic.posts.get(number=1)
    sign_in(page, member)
    page.goto(f"/p/{post.pk}/edit/")
    page.get_by_placeholder("Edit your post...").click()
    editor = page.locator("[data-composer-editor]")
    expect(editor).to_contain_text("The first post of the topic.")
    expect(page.locator("textarea[name=body]")).to_be_hidden()

    editor.press("Control+a")
    page.keyboard.type("Edited with the rich editor")
    editor.press("Control+a")
    page.get_by_role("button", name="Bold").click()
    page.get_by_role("button", name="Save changes").click()

    expect(page.locator(f"#post-{post.number}")).to_contain_text("Edited with the rich editor")
    post.refresh_from_db()
    assert post.body == "**Edited with the rich editor**"
    expect(
        page.locator(f"#post-{post.number} .post-body strong, #post-{post.number} p strong").first
    ).to_have_text("Edited with the rich editor")
