"""New replies on an open topic page in Chromium: a reply made elsewhere is announced on the
pages open on the topic, and shown in place, without reloading."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from folkmoot.discussions import services as discussions
from folkmoot.notifications.models import TopicRead
from tests.browser.conftest import sign_in
from tests.factories import MemberFactory, make_topic


def test_a_reply_appears_in_pages_open_on_the_topic(browser, live_server, db, settings):
    settings.FOLKMOOT = {**settings.FOLKMOOT, "NEW_REPLIES_POLL_SECONDS": 1}
    reader = MemberFactory(date_joined=timezone.now() - timedelta(days=1))
    topic = make_topic(title="Orchard pruning day", replies=2)
    url = f"/t/{topic.pk}-{topic.slug}/"
    contexts = [browser.new_context(base_url=live_server.url) for _ in range(2)]
    member_page, visitor_page = (context.new_page() for context in contexts)
    try:
        sign_in(member_page, reader)
        for page in (member_page, visitor_page):
            page.goto(url)
            expect(page.locator("article.post")).to_have_count(3)
        discussions.reply(topic=topic, author=MemberFactory(), body="I'll bring the ladders")
        for page in (member_page, visitor_page):
            button = page.get_by_role("button", name="1 new reply: show")
            expect(button).to_be_visible(timeout=10_000)
            button.click()
            expect(page.locator("#post-4")).to_contain_text("I'll bring the ladders")
            expect(page.locator("article.post")).to_have_count(4)
            expect(button).to_be_hidden()
            assert page.url.endswith(url)  # shown in place, not by going anywhere
            # With the buttons the page's scripts show in the posts it opened with.
            added = page.locator("#post-4")
            expect(added.get_by_role("button", name="Multi-quote")).to_be_visible()
            added.get_by_text("Share", exact=True).click()
            expect(added.get_by_role("button", name="Copy link")).to_be_visible()
        # The member's reading of the new reply is recorded like any other.
        expect(member_page.locator("html")).to_have_attribute("data-read-up-to", "4")
        assert TopicRead.objects.get(member=reader, topic=topic).last_number == 4
        discussions.reply(topic=topic, author=MemberFactory(), body="And the saws")
        discussions.reply(topic=topic, author=MemberFactory(), body="And gloves")
        expect(visitor_page.get_by_role("button", name="2 new replies: show")).to_be_visible(
            timeout=10_000
        )
    finally:
        for context in contexts:
            context.close()
