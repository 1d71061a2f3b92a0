"""The live server of a real `folkmoot serve`: a topic's stream says when its newest published
post's number moved, never for a post its reader may not see; a reconnecting stream resumes
after the Last-Event-ID it sends; the bell's stream follows the member's unread count. The
replies come from another process (through Redis when REDIS_URL is set, else on loopback)."""

import httpx
import pytest

from tests.live.helpers import (
    EventStream,
    forum_environment,
    reply_elsewhere,
    serving_with_live,
    set_up_forum,
)

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module", params=["loopback", "redis"])
def live_site(request, tmp_path_factory):
    """One site for the module's tests (each uses topics of its own): starting one costs
    tens of seconds on a busy machine."""
    data_dir = tmp_path_factory.mktemp(f"live-{request.param}")
    with forum_environment(data_dir, redis=request.param == "redis") as env:
        facts = set_up_forum(env)
        with serving_with_live(env) as (site, live):
            yield env, site, live, facts


def test_a_reconnecting_stream_resumes_after_its_last_event_id(live_site):
    env, site, live, facts = live_site
    topic = facts["topic"]
    stream = EventStream(f"{live}/live/t/{topic}/?after=1", session=facts["reader"])
    assert stream.wait_answered() == 200
    assert stream.response_headers["content-type"].startswith("text/event-stream")
    second = reply_elsewhere(env, topic=topic, author="author", body="Two")
    event = stream.next_event()
    assert (event["event"], event["id"], event["data"]) == ("reply", "2", "2")
    assert second["number"] == 2
    stream.close()

    # Two replies while the page was away (its connection dropped).
    reply_elsewhere(env, topic=topic, author="author", body="Three")
    reply_elsewhere(env, topic=topic, author="author", body="Four")

    back = EventStream(
        f"{live}/live/t/{topic}/?after=1", session=facts["reader"], headers={"Last-Event-ID": "2"}
    )
    assert back.wait_answered() == 200
    assert back.next_event()["id"] == "4"  # at once: what came after 2
    new = httpx.get(f"{site}/t/{topic}/new-posts/", params={"after": 2}, timeout=30).json()
    assert new["count"] == 2  # what the page then fetches: both, none missed
    back.close()


def test_a_held_reply_is_never_sent_and_a_held_topic_cannot_be_listened_to(live_site):
    env, site, live, facts = live_site
    topic = facts["held_topic"]
    stream = EventStream(f"{live}/live/t/{topic}/?after=1", session=facts["reader"])
    assert stream.wait_answered() == 200
    held = reply_elsewhere(env, topic=topic, author="newcomer", body="Held for a moderator")
    assert held["status"] != "published"
    published = reply_elsewhere(env, topic=topic, author="author", body="Published")
    event = stream.next_event()
    assert event["id"] == str(published["number"])  # the first event: nothing for the held one
    assert stream.events.empty()
    new = httpx.get(f"{site}/t/{topic}/new-posts/", params={"after": 1}, timeout=30).json()
    assert new["count"] == 1
    stream.close()

    waiting = EventStream(f"{live}/live/t/{facts['waiting_topic']}/", session=facts["reader"])
    assert waiting.wait_answered() == 404
    anonymous = EventStream(f"{live}/live/t/{facts['waiting_topic']}/")
    assert anonymous.wait_answered() == 404


def test_the_bell_stream_follows_the_members_unread_count(live_site):
    env, site, live, facts = live_site
    bell = EventStream(f"{live}/live/bell/", session=facts["reader"])
    assert bell.wait_answered() == 200
    assert bell.next_event()["data"] == "0"  # the count at once
    reply_elsewhere(env, topic=facts["bell_topic"], author="author", body="Hello @reader")
    event = bell.next_event()
    assert (event["event"], event["data"]) == ("unread", "1")
    bell.close()
    assert EventStream(f"{live}/live/bell/").wait_answered() == 204  # nobody's bell


def test_the_topic_page_opens_its_stream_on_the_live_servers_port(live_site):
    env, site, live, facts = live_site
    page = httpx.get(site + facts["topic_url"], timeout=30)
    live_port = live.rsplit(":", 1)[1]
    assert f'data-live="http://127.0.0.1:{live_port}/live/t/{facts["topic"]}/"' in page.text
    assert f"*:{live_port}" in page.headers["Content-Security-Policy"]
    stream = EventStream(
        f"{live}/live/t/{facts['bell_topic']}/", headers={"Origin": site}, session=facts["reader"]
    )
    assert stream.wait_answered() == 200
    assert stream.response_headers["access-control-allow-origin"] == site
    assert stream.response_headers["access-control-allow-credentials"] == "true"
    stream.close()
    elsewhere = EventStream(
        f"{live}/live/t/{facts['bell_topic']}/", headers={"Origin": "http://evil.example"}
    )
    assert elsewhere.wait_answered() == 200
    assert "access-control-allow-origin" not in elsewhere.response_headers
    elsewhere.close()
