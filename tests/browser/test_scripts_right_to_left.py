"""The site's scripts on a right-to-left page (Arabic): what they place or move through
follows the page's direction. The page is made right-to-left the way the templates do it for
Arabic (dir="rtl" on <html>), so the check holds whatever the page's language."""

from playwright.sync_api import expect

from tests.browser.composer_helpers import EDITOR
from tests.browser.conftest import sign_in

RIGHT_TO_LEFT = "document.documentElement.dir = 'rtl'"


def right_edge(locator) -> float:
    box = locator.bounding_box()
    return box["x"] + box["width"]


def test_a_members_card_opens_under_their_name_from_its_right_edge(page, topic):
    page.goto(f"/t/{topic.pk}-{topic.slug}/")
    page.evaluate(RIGHT_TO_LEFT)
    name = page.locator("#post-1 .author-name a")
    name.focus()
    card = page.get_by_role("tooltip")
    expect(card).to_be_visible()
    assert abs(right_edge(card) - right_edge(name)) <= 1


def test_the_editors_toolbar_arrow_keys_follow_the_tools_as_laid_out(page, topic, other_member):
    sign_in(page, other_member)
    page.goto(f"/t/{topic.pk}-{topic.slug}/")
    page.evaluate(RIGHT_TO_LEFT)
    page.locator("form[data-composer] textarea[name=body]").click()
    page.wait_for_selector(EDITOR)
    toolbar = page.get_by_role("toolbar")
    bold, italic = toolbar.locator(".fm-tool").nth(0), toolbar.locator(".fm-tool").nth(1)
    assert right_edge(italic) <= bold.bounding_box()["x"]  # the second tool, left of the first
    bold.focus()
    page.keyboard.press("ArrowLeft")
    expect(italic).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(bold).to_be_focused()
