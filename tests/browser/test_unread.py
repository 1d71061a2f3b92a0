"""Unread markers in Chromium: the category marks an unread topic, its link opens the first
unread post, and scrolling through the posts records the reading with a POST from the page."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from folkmoot.discussions import services as discussions
from folkmoot.notifications.models import TopicRead
from tests.browser.conftest import sign_in
from tests.factories import MemberFactory, make_topic


def read_up_to(page) -> int:
    return int(page.locator("html").get_attribute("data-read-up-to") or "0")


def test_scrolling_through_a_topic_records_the_reading_and_clears_its_marks(page, db):
    member = MemberFactory(date_joined=timezone.now() - timedelta(days=1))
    topic = make_topic(title="Seed swap in spring", replies=11)  # posts 1..12
    page.set_viewport_size({"width": 800, "height": 500})
    sign_in(page, member)
    page.goto(topic.category.get_absolute_url())
    row = page.locator("li.topic-row", has_text="Seed swap in spring")
    expect(row).to_have_class("topic-row unread")
    row.get_by_role("link", name="New posts").click()
    page.wait_for_url(f"**/t/{topic.pk}-{topic.slug}/#post-1")
    expect(page.locator("#first-unread")).to_be_visible()

    # Only the first posts are in view: the page says so, and no further.
    expect(page.locator("html")).to_have_attribute("data-read-up-to", re.compile(r"^[1-9]"))
    first = read_up_to(page)
    assert 1 <= first < 12
    assert TopicRead.objects.get(member=member, topic=topic).last_number == first
    expect(page.locator("#post-12")).to_have_class("post unread")

    page.locator("#post-12").scroll_into_view_if_needed()
    expect(page.locator("html")).to_have_attribute("data-read-up-to", "12")
    expect(page.locator("#post-12")).to_have_class("post")
    assert TopicRead.objects.get(member=member, topic=topic).last_number == 12

    page.goto(topic.category.get_absolute_url())
    expect(row).to_have_class("topic-row")
    expect(row.get_by_role("link", name="New posts")).to_have_count(0)

    # A new reply: marked again, and its link opens at the reply.
    discussions.reply(topic=topic, author=MemberFactory(), body="Bring labelled jars")
    page.reload()
    row.get_by_role("link", name="New posts").click()
    page.wait_for_url(f"**/t/{topic.pk}-{topic.slug}/#post-13")
    expect(page.locator("#post-13 #first-unread")).to_have_text("Unread")
    # In view at once, so read at once.
    expect(page.locator("html")).to_have_attribute("data-read-up-to", "13")
    assert TopicRead.objects.get(member=member, topic=topic).last_number == 13


def test_mark_all_read_clears_the_marks_without_javascript(browser, live_server, db):
    member = MemberFactory(date_joined=timezone.now() - timedelta(days=1))
    topic = make_topic(title="Tool library opening hours", replies=2)
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, member)
        page.goto(topic.category.get_absolute_url())
        expect(page.get_by_role("link", name="New posts")).to_have_count(1)
        page.get_by_role("button", name="Mark all read").click()
        expect(page.get_by_role("link", name="New posts")).to_have_count(0)
        assert page.url.endswith(topic.category.get_absolute_url())
    finally:
        context.close()


def test_a_plain_link_to_the_topic_opens_at_the_first_unread_post(page, db):
    member = MemberFactory(date_joined=timezone.now() - timedelta(days=1))
    topic = make_topic(title="Bread oven rota", replies=11)  # posts 1..12
    TopicRead.objects.create(member=member, topic=topic, last_number=8)
    page.set_viewport_size({"width": 800, "height": 500})
    sign_in(page, member)
    page.goto(f"/t/{topic.pk}-{topic.slug}/")
    expect(page.locator("#post-9 #first-unread")).to_be_in_viewport()
    expect(page.locator("#post-1")).not_to_be_in_viewport()
    expect(page.locator("html")).to_have_attribute("data-read-up-to", re.compile(r"^(9|1[0-2])$"))
