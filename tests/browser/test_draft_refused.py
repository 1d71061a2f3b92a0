"""A draft the server will not keep (longer than a post may be) says so in the editor, instead
of being cut short or retried every two seconds."""

from playwright.sync_api import expect

from folkmoot.composer.models import Draft
from tests.browser.composer_helpers import NOTICES, open_composer
from tests.browser.conftest import sign_in
from tests.conftest import set_limits


def test_an_over_long_draft_is_refused_in_the_editor_and_saved_once_short_enough(
    page, topic, other_member, settings
):
    set_limits(settings, POST_MAX_LENGTH=40)
    sign_in(page, other_member)
    open_composer(page, f"/t/{topic.pk}-{topic.slug}/")
    page.keyboard.type("This draft runs well past the forty characters allowed.")
    expect(page.locator(NOTICES)).to_contain_text(
        "Drafts can be at most 40 characters long, like a post", timeout=6000
    )
    assert not Draft.objects.filter(author=other_member).exists()

    page.keyboard.press("Control+A")
    page.keyboard.type("Short enough now.")
    expect(page.locator("input[name=draft_seq]")).to_have_value("1", timeout=6000)
    expect(page.locator(NOTICES)).not_to_contain_text("Drafts can be at most")
    assert Draft.objects.get(author=other_member).body == "Short enough now."
