"""Moderation in a real browser: the topic tools bar, the locked topic as readers see it, and
a report that ends hidden from the queue."""

from playwright.sync_api import expect

from folkmoot.discussions.models import Post
from folkmoot.moderation.models import Report
from tests.browser.conftest import sign_in
from tests.factories import MemberFactory, make_topic


def test_a_moderator_locks_a_topic_and_neither_guests_nor_members_can_reply(
    page, browser, live_server, category, member
):
    moderator = MemberFactory(username="the_moderator")
    category.moderators.add(moderator)
    topic = make_topic(category=category, replies=1)
    url = f"/t/{topic.pk}-{topic.slug}/"

    sign_in(page, moderator)
    page.goto(url)
    tools = page.get_by_role("region", name="Moderator tools for this topic")
    tools.get_by_role("button", name="Lock").click()
    expect(page.locator(".topic-locked")).to_have_text("This topic is locked.")
    expect(tools.get_by_role("button", name="Unlock")).to_be_visible()

    for reader in (None, member):
        context = browser.new_context(base_url=live_server.url)
        other = context.new_page()
        if reader:
            sign_in(other, reader)
        other.goto(url)
        expect(other.locator(".topic-locked")).to_have_text("This topic is locked.")
        expect(other.get_by_text("This topic is locked: nobody can reply.")).to_be_visible()
        expect(other.get_by_text("You need to be a member to reply")).to_have_count(0)
        expect(other.get_by_placeholder("Reply to this topic...")).to_have_count(0)
        expect(other.get_by_text("Moderator tools")).to_have_count(0)
        context.close()


def test_report_then_hide_from_the_queue(page, browser, live_server, category):
    topic = make_topic(category=category, replies=1)
    reply = topic.posts.get(number=2)
    reporter = MemberFactory(username="the_reporter")
    moderator = MemberFactory(username="the_moderator", is_staff=True)

    sign_in(page, reporter)
    page.goto(f"/t/{topic.pk}-{topic.slug}/")
    page.locator("#post-2").get_by_role("link", name="Report").click()
    page.get_by_label("Spam or advertising").check()
    page.get_by_label("Anything the moderators should know").fill("Sells watches")
    page.get_by_role("button", name="Send report").click()
    expect(page.locator(".messages")).to_contain_text("the moderators will look at this post")

    context = browser.new_context(base_url=live_server.url)
    mod_page = context.new_page()
    sign_in(mod_page, moderator)
    mod_page.goto("/mod/queue/")
    reported = mod_page.locator(f"#reported-{reply.pk}")
    expect(reported).to_contain_text("the_reporter")
    expect(reported).to_contain_text("Sells watches")
    reported.get_by_label("Reason (for the log)").fill("Spam")
    reported.get_by_role("button", name="Hide post").click()
    expect(mod_page.get_by_text("Closed 1 report: the post was hidden.")).to_be_visible()
    context.close()

    reply.refresh_from_db()
    assert (reply.status, reply.hidden_as) == (Post.Status.DELETED, "hidden")
    assert Report.objects.get().outcome == Report.Outcome.HIDDEN
    page.goto(f"/t/{topic.pk}-{topic.slug}/")
    expect(page.locator("#post-2")).to_have_count(0)
