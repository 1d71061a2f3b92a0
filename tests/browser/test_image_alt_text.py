"""Images get alt text: the editor asks for it as an image is added, and the post keeps it."""

from playwright.sync_api import expect

from tests.browser.composer_helpers import EDITOR, open_composer, paste_file
from tests.browser.conftest import sign_in
from tests.images import image_bytes


def test_an_uploaded_image_is_posted_with_the_alt_text_the_editor_asked_for(
    page, topic, other_member
):
    asked = []

    def describe(dialog):
        asked.append(dialog.message)
        dialog.accept("A hand-drawn map of the valley")

    page.on("dialog", describe)
    sign_in(page, other_member)
    open_composer(page, topic.get_absolute_url())
    page.keyboard.type("The map:")
    paste_file(page, name="map.png", content=image_bytes(size=(120, 80)), mime="image/png")
    expect(page.locator(f'{EDITOR} img[alt="A hand-drawn map of the valley"]')).to_be_visible()
    assert asked == ["Describe “map.png” for people who cannot see it (alt text):"]

    page.get_by_role("button", name="Submit reply").click()
    expect(page.locator("#post-2 img")).to_have_attribute("alt", "A hand-drawn map of the valley")
