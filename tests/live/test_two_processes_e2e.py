"""Two `folkmoot serve` processes sharing the database (PostgreSQL when DATABASE_URL says)
and Redis, as behind a load balancer: a reply posted through the first one's reply form
reaches a reader whose stream is open on the second one's live server."""

import contextlib

import httpx
import pytest

from tests.live.helpers import (
    EventStream,
    forum_environment,
    reply_through_site,
    serving_with_live,
    set_up_forum,
)

pytestmark = pytest.mark.e2e


def test_a_reply_through_one_process_reaches_a_live_reader_of_the_other(tmp_path):
    with contextlib.ExitStack() as stack:
        env = stack.enter_context(forum_environment(tmp_path, redis=True))
        facts = set_up_forum(env)
        first_site, _ = stack.enter_context(serving_with_live(env))
        second_site, second_live = stack.enter_context(serving_with_live(env))
        topic = facts["topic"]

        stream = EventStream(f"{second_live}/live/t/{topic}/?after=1", session=facts["reader"])
        assert stream.wait_answered() == 200
        reply_through_site(
            first_site, facts["topic_url"], session=facts["author"], body="Through the first"
        )
        event = stream.next_event()
        assert (event["event"], event["id"]) == ("reply", "2")
        # What the second process's page then asks for and shows.
        new = httpx.get(f"{second_site}/t/{topic}/new-posts/", params={"after": 1}, timeout=30)
        assert new.json()["count"] == 1
        stream.close()
