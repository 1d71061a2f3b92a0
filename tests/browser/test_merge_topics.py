"""Merging in a real browser: a moderator merges two topics from the topic page (a plain
form), and an old permalink of the merged topic's post lands on that post; ticked posts split
into a new topic, the panel's script showing only the fields the split needs."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from folkmoot.discussions.models import Post, Topic
from tests.browser.conftest import sign_in
from tests.factories import MemberFactory, make_topic


def test_merge_two_topics_then_follow_an_old_permalink(page, category):
    moderator = MemberFactory(username="the_moderator")
    category.moderators.add(moderator)
    older = make_topic(category=category, title="The older discussion", replies=2)
    newer = make_topic(category=category, title="A duplicate discussion", replies=2)
    # The duplicate's posts were written after the older topic's: they follow them.
    for index, post in enumerate(Post.objects.order_by("pk")):
        Post.objects.filter(pk=post.pk).update(
            created_at=timezone.now() - timedelta(hours=10 - index)
        )
    old_reply = newer.posts.get(number=3)
    old_permalink = old_reply.get_absolute_url()
    old_topic_url = newer.get_absolute_url()

    sign_in(page, moderator)
    page.goto(old_topic_url)
    tools = page.get_by_role("region", name="Moderator tools for this topic")
    tools.get_by_label("Merge into topic").fill(
        f"{page.url.split('/t/')[0]}{older.get_absolute_url()}"
    )
    tools.get_by_role("button", name="Merge").click()
    expect(page.get_by_text("Merged “A duplicate discussion” into this topic.")).to_be_visible()
    expect(page).to_have_url(re.compile(re.escape(older.get_absolute_url()) + "$"))

    page.goto(old_permalink)
    old_reply.refresh_from_db()
    assert old_reply.number == 6 and old_reply.topic_id == older.pk
    # A member's permalink names its page, even page 1: the plain address would take them on
    # to their first unread post.
    expect(page).to_have_url(
        re.compile(re.escape(f"{older.get_absolute_url()}?page=1#post-6") + "$")
    )
    target = page.locator("#post-6")
    expect(target).to_contain_text("Reply number 2")
    expect(target).to_be_in_viewport()
    expect(page.locator("article.post[data-number]")).to_have_count(6)

    page.goto(old_topic_url)  # the merged topic's address leads to the topic it joined
    expect(page).to_have_url(re.compile(re.escape(older.get_absolute_url()) + "$"))
    expect(page.get_by_role("heading", name="The older discussion")).to_be_visible()


def test_tick_posts_and_split_them_into_a_new_topic(page, category):
    moderator = MemberFactory(username="the_moderator")
    category.moderators.add(moderator)
    topic = make_topic(category=category, title="A wandering talk", replies=3)

    sign_in(page, moderator)
    page.goto(topic.get_absolute_url())
    for number in (3, 4):
        page.locator(f"#post-{number}").get_by_label("Select").check()
    tools = page.get_by_role("region", name="Moderator tools for this topic")
    tools.locator(".selected-posts-menu > summary").click()
    # With the page's script: the ticked posts counted, only the split's fields shown.
    expect(tools.locator(".selected-count")).to_have_text(" (2)")
    tools.get_by_label("Split into a new topic").check()
    expect(tools.get_by_label("Move to topic")).to_be_hidden()
    expect(tools.get_by_label("New topic's title")).to_be_visible()
    tools.get_by_label("New topic's title").fill("The tangent, on its own")
    tools.get_by_role("button", name="Apply to selected posts").click()
    expect(page.get_by_text("Split 2 posts into this topic.")).to_be_visible()
    expect(page.locator("article.post[data-number]")).to_have_count(2)
    new = Topic.objects.get(title="The tangent, on its own")
    assert new.post_count == 2 and Topic.objects.get(pk=topic.pk).post_count == 2


def test_ticked_posts_are_hidden_with_javascript_off(browser, live_server, category):
    moderator = MemberFactory(username="the_moderator")
    category.moderators.add(moderator)
    topic = make_topic(category=category, title="A noisy talk", replies=2)
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, moderator)
    page.goto(topic.get_absolute_url())
    page.locator("#post-2").get_by_label("Select").check()
    page.locator("#post-3").get_by_label("Select").check()
    tools = page.get_by_role("region", name="Moderator tools for this topic")
    tools.locator(".selected-posts-menu > summary").click()
    tools.get_by_label("Hide").check()
    tools.get_by_label("Reason").fill("Off topic")
    tools.get_by_role("button", name="Apply to selected posts").click()
    expect(page.get_by_text("Hid 2 posts.")).to_be_visible()
    expect(page.locator(".post-hidden")).to_have_count(2)
    context.close()
    assert Topic.objects.get(pk=topic.pk).post_count == 1
