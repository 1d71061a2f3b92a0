"""A member who reads Arabic gets the layout mirrored (site.css uses logical properties), and
what members write keeps its own direction; an English reader's layout is unchanged."""

import pytest

from tests.browser.conftest import sign_in
from tests.browser.test_accessibility import IMPACTS, describe, violations
from tests.factories import MemberFactory, make_topic

# The browser's side of pages that are the same whatever the database.
pytestmark = pytest.mark.frontend


def box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_topic_page_is_mirrored_for_an_arabic_reader_and_not_for_an_english_one(
    page, db, width
):
    topic = make_topic(replies=1)
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, MemberFactory(language="ar"))
    page.goto(topic.get_absolute_url())
    assert page.locator("html").get_attribute("dir") == "rtl"
    arabic = {name: box(page, selector) for name, selector in SELECTORS.items()}
    page.context.clear_cookies()
    sign_in(page, MemberFactory(language="en"))
    page.goto(topic.get_absolute_url())
    assert page.locator("html").get_attribute("dir") == "ltr"
    english = {name: box(page, selector) for name, selector in SELECTORS.items()}

    # The header: the site's name starts the line, on the right in Arabic.
    assert english["site name"]["x"] < english["header tools"]["x"]
    assert arabic["site name"]["x"] > arabic["header tools"]["x"]
    # The post's number and date start its header line: on the right in Arabic.
    assert english["post number"]["x"] < width / 2 < arabic["post number"]["x"]
    if width >= 700:
        # The author card beside the post: left of the text in English, right in Arabic.
        assert english["author card"]["x"] < english["post text"]["x"]
        assert arabic["author card"]["x"] > arabic["post text"]["x"]


SELECTORS = {
    "site name": ".site-name",
    "header tools": ".header-tools",
    "author card": "#post-1 .post-author",
    "post text": "#post-1 .post-main",
    "post number": "#post-1 .post-number",
}


def test_a_post_keeps_its_own_direction_on_a_mirrored_page(page, db):
    topic = make_topic()
    sign_in(page, MemberFactory(language="ar"))
    page.goto(topic.get_absolute_url())
    body = page.locator("#post-1 .post-body")
    # English text on an Arabic page reads left to right, starting at the left.
    assert body.evaluate("element => getComputedStyle(element).direction") == "ltr"


def test_the_mirrored_topic_page_has_no_accessibility_violations(page, db):
    topic = make_topic(replies=2)
    sign_in(page, MemberFactory(language="ar"))
    page.goto(topic.get_absolute_url())
    page.wait_for_load_state("networkidle")
    found = [v for v in violations(page) if v["impact"] in IMPACTS]
    assert not found, describe(found)
