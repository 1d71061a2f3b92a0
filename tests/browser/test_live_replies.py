"""Live replies in Chromium against a real `folkmoot serve` (site and live server): a reply
posted in one page appears in the other at once, as "1 new reply", and shows in place; the
reader's bell counts the mention live. Polling is set to an hour, so only the live stream
can have told the page (and the site's Content-Security-Policy lets the page open it)."""

import pytest
from playwright.sync_api import expect

from tests.browser.composer_helpers import EDITOR
from tests.live.helpers import forum_environment, serving_with_live, set_up_forum

pytestmark = pytest.mark.e2e


def test_a_reply_in_one_page_appears_live_in_the_other(browser, tmp_path):
    with forum_environment(tmp_path, redis=False) as env:
        env["FOLKMOOT_NEW_REPLIES_POLL_SECONDS"] = "3600"
        facts = set_up_forum(env)
        with serving_with_live(env) as (site, _):
            contexts = []
            pages = {}
            for who in ("reader", "author"):
                context = browser.new_context(base_url=site)
                context.set_default_timeout(60_000)
                context.add_cookies([{"name": "sessionid", "value": facts[who], "url": site}])
                contexts.append(context)
                pages[who] = context.new_page()
            try:
                reader, author = pages["reader"], pages["author"]
                reader.goto(facts["topic_url"])
                expect(reader.locator("article.post")).to_have_count(1)
                expect(reader.locator(".bell-count")).to_have_count(0)

                author.goto(facts["topic_url"])
                author.get_by_placeholder("Reply to this topic...").click()
                author.locator(EDITOR).fill("Coming over now, @reader")
                author.get_by_role("button", name="Submit reply").click()
                expect(author.locator("#post-2")).to_contain_text("Coming over now")

                button = reader.get_by_role("button", name="1 new reply: show")
                expect(button).to_be_visible()
                expect(reader.locator(".bell-count")).to_have_text("1")
                button.click()
                expect(reader.locator("#post-2")).to_contain_text("Coming over now")
                expect(reader.locator("article.post")).to_have_count(2)
                assert reader.url.endswith(facts["topic_url"])  # in place
            finally:
                for context in contexts:
                    context.close()
