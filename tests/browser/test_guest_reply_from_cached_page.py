import httpx
from playwright.sync_api import expect

from folkmoot.guests.models import GuestPost
from tests.conftest import set_limits
from tests.factories import make_topic


def test_a_guest_can_reply_from_a_page_cached_for_another_reader(
    page, live_server, settings, transactional_db
):
    set_limits(settings, PAGE_CACHE_SECONDS=300)
    topic = make_topic(replies=2)
    # Another reader's visit caches the page, CSRF token and all.
    first = httpx.get(live_server.url + topic.get_absolute_url())
    cached_token = first.text.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]

    page.goto(topic.get_absolute_url())
    token_field = page.locator("#reply input[name=csrfmiddlewaretoken]")
    assert token_field.input_value() == cached_token  # the same bytes: served from the cache

    # Open the editor, then type in it: text typed into the textarea while the editor
    # loads can still be lost under load (an open bug, see the stop note).
    page.get_by_placeholder("Reply to this topic...").click()
    page.locator("[data-composer-editor]").fill("Replying from a cached page")
    page.get_by_label("Email address").fill("cached@example.net")
    page.get_by_role("button", name="Submit reply").click()
    page.wait_for_url("**/accounts/signup/**")
    expect(page.locator("input[name=email]")).to_have_value("cached@example.net")
    assert GuestPost.objects.get().post.body == "Replying from a cached page"
