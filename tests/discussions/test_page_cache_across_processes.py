"""The anonymous page cache is one cache for every process of the site: two `folkmoot serve`
processes on one database, with Redis and without (files in the data dir). A reply through
one is on the page the other serves at the next request; a reply in one topic leaves the
other topic's cached page (and its ETag) as it was."""

import json
import re
from contextlib import ExitStack

import httpx
import pytest

from tests.redis_server import RedisServer
from tests.test_demo_e2e import (  # noqa: F401 (fixtures)
    SESSION_OF,
    demo_database_url,
    folkmoot,
    folkmoot_env,
    serving,
)

pytestmark = pytest.mark.e2e

SETUP = (
    SESSION_OF
    + """
import json
from folkmoot.accounts.models import User
from folkmoot.discussions import services
from folkmoot.forums.models import Category

category = Category.objects.create(name="Shared", guest_policy="none")
author = User.objects.create_user("author", "author@example.org")  # signs in by session
replied = services.start_topic(category=category, author=author, title="Replied", body="One")
quiet = services.start_topic(category=category, author=author, title="Quiet", body="Two")
print("RESULT " + json.dumps({
    "replied": replied.get_absolute_url(), "quiet": quiet.get_absolute_url(),
    "session": session_of(author),
}))
"""
)


@pytest.fixture(params=["files", "redis"])
def two_servers(request, folkmoot_env, tmp_path):  # noqa: F811
    env = {**folkmoot_env, "FOLKMOOT_FLOOD_SECONDS": "0", "LOG_LEVEL": "warning"}
    env.pop("REDIS_URL", None)
    with ExitStack() as stack:
        if request.param == "redis":
            (tmp_path / "redis").mkdir()
            redis = RedisServer(tmp_path / "redis")
            stack.callback(redis.stop)
            env["REDIS_URL"] = redis.url
        folkmoot(env, "migrate")
        output = folkmoot(env, "manage", "shell", "-c", SETUP)
        facts = json.loads(output.split("RESULT ", 1)[1])
        first, _ = stack.enter_context(serving(env, "serve", "--workers", "1"))
        second, _ = stack.enter_context(serving(env, "serve", "--workers", "1"))
        yield first, second, facts


def _anonymous(base_url: str, path: str, etag: str | None = None) -> httpx.Response:
    headers = {"If-None-Match": etag} if etag else {}
    return httpx.get(base_url + path, headers=headers, timeout=30)


def test_a_reply_through_one_process_is_seen_through_the_other_at_once(two_servers):
    first, second, facts = two_servers
    replied, quiet = facts["replied"], facts["quiet"]
    for base_url in (first, second):  # both processes have read, and cached, both pages
        for path in (replied, quiet):
            assert _anonymous(base_url, path).status_code == 200
    before = _anonymous(second, replied)
    # (Each process is on its own port, a part of the page's links, so each has its copy.)
    quiet_etags = {url: _anonymous(url, quiet).headers["ETag"] for url in (first, second)}
    assert _anonymous(second, replied, before.headers["ETag"]).status_code == 304

    with httpx.Client(base_url=first, timeout=30) as member:
        member.cookies.set("sessionid", facts["session"])
        page = member.get(replied).text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
        answer = member.post(
            f"{replied}reply/",
            data={"csrfmiddlewaretoken": token, "body": "Seen through the other process"},
        )
        assert answer.status_code == 302

    after = _anonymous(second, replied, before.headers["ETag"])
    assert after.status_code == 200
    assert "Seen through the other process" in after.text
    # The other topic's page is still the cached one, in both processes.
    for base_url, etag in quiet_etags.items():
        assert _anonymous(base_url, quiet, etag).status_code == 304
