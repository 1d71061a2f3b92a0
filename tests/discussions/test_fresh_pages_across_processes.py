"""A fresh topic page (page cache off) puts post frames, JSON-LD comments and the share card
together from what each process keeps of them (discussions/post_html.py, sharing.py): two
`folkmoot serve` processes on one database, with Redis and without, each having shown the page,
show a change made elsewhere (an edit, a post's HTML redrawn by the worker, an author's new name
and picture, a reader's new time zone) at the next request, and each reader's language."""

import json
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
from datetime import UTC, datetime
from folkmoot.accounts.models import User
from folkmoot.discussions import services
from folkmoot.discussions.models import Post
from folkmoot.forums.models import Category

category = Category.objects.create(name="Shared")
author = User.objects.create_user("author", "author@example.org")
replier = User.objects.create_user("replier", "replier@example.org")
pictured = User.objects.create_user("pictured", "pictured@example.org")
reader = User.objects.create_user("reader", "reader@example.org", time_zone="Asia/Tokyo")
topic = services.start_topic(category=category, author=author, title="Kept", body="Opening words")
services.reply(topic=topic, author=replier, body="A reply with a link")
services.reply(topic=topic, author=pictured, body="A reply that stays as it is")
Post.objects.filter(topic=topic).update(created_at=datetime(2026, 3, 1, 23, 30, tzinfo=UTC))
print("RESULT " + json.dumps({"url": topic.get_absolute_url(), "reader": session_of(reader)}))
"""
)

CHANGE = """
from folkmoot.accounts.models import User
from folkmoot.discussions import services
from folkmoot.discussions.models import Post

opening = Post.objects.get(number=1, topic__title="Kept")
services.edit_post(post=opening, editor=opening.author, body="Rewritten opening words")
# What the worker does when a link preview arrives: the HTML alone changes.
reply = Post.objects.get(number=2, topic__title="Kept")
Post.objects.filter(pk=reply.pk).update(
    cooked=reply.cooked + '<aside class="preview"><p>Fetched preview</p></aside>'
)
User.objects.filter(username="pictured").update(avatar="avatars/pictured.webp")
User.objects.filter(username="reader").update(time_zone="America/New_York")
"""
RENAME = """
from folkmoot.accounts.models import User

User.objects.filter(username="replier").update(chosen_name="Rosa")
"""


@pytest.fixture(params=["files", "redis"])
def two_servers(request, folkmoot_env, tmp_path):  # noqa: F811
    env = {
        **folkmoot_env,
        "FOLKMOOT_PAGE_CACHE_SECONDS": "0",  # every page fresh
        "FOLKMOOT_FLOOD_SECONDS": "0",
        "LOG_LEVEL": "warning",
    }
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
        yield env, (first, second), facts


def _pages(base_url: str, facts: dict) -> dict[str, str]:
    """The topic page as an anonymous reader sees it, in German, and as the signed-in reader."""
    pages = {}
    for name, cookies in {
        "anonymous": {},
        "german": {"language": "de"},
        "reader": {"sessionid": facts["reader"]},
    }.items():
        response = httpx.get(base_url + facts["url"], cookies=cookies, timeout=30)
        assert response.status_code == 200
        pages[name] = response.text
    return pages


def test_changes_show_on_the_next_fresh_page_of_every_process(two_servers):
    env, servers, facts = two_servers
    for base_url in servers:  # each process has drawn, and kept, every part of the page
        pages = _pages(base_url, facts)
        assert "Opening words" in pages["anonymous"]
        assert ">replier</a>" in pages["anonymous"]
        assert ">1 March 2026</time>" in pages["anonymous"]
        assert ">1. März 2026</time>" in pages["german"]
        assert ">2 March 2026</time>" in pages["reader"]  # 08:30 in Tokyo

    folkmoot(env, "manage", "shell", "-c", CHANGE)

    for base_url in servers:
        pages = _pages(base_url, facts)
        for page in pages.values():
            assert "Rewritten opening words" in page
            assert "Opening words<" not in page
            assert "Fetched preview" in page
            assert '<img class="avatar" src="/media/avatars/pictured.webp"' in page
        posting = _json_ld(pages["anonymous"])
        assert posting["text"] == "Rewritten opening words"
        assert posting["comment"][0]["text"].endswith("Fetched preview")
        assert ">1 March 2026</time>" in pages["anonymous"]
        assert ">1. März 2026</time>" in pages["german"]
        assert ">1 March 2026</time>" in pages["reader"]  # 18:30 in New York
        assert 'title="1 March 2026, 18:30"' in pages["reader"]

    folkmoot(env, "manage", "shell", "-c", RENAME)

    for base_url in servers:
        for page in _pages(base_url, facts).values():
            assert 'data-user-card="/u/replier/card/">Rosa</a>' in page
            assert _json_ld(page)["comment"][0]["author"]["name"] == "Rosa"


def _json_ld(page: str) -> dict:
    return json.loads(page.split('type="application/ld+json">', 1)[1].split("</script>", 1)[0])
