"""Concurrent changes through the real server (`folkmoot serve --workers 2`, on SQLite or on
PostgreSQL when DATABASE_URL says): counters and revisions come out exact.

Before the lifecycle, two moderators deleting the same post at once lowered the counters
twice, concurrent edits lost revisions, and a slow-to-render body held the write lock."""

import json
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

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
from django.db import transaction
from folkmoot.accounts.models import User
from folkmoot.discussions import services
from folkmoot.forums.models import Category

category = Category.objects.create(name="Races", guest_policy="none")
def member(name, **extra):  # signs in by session: no password to hash
    user = User.objects.create_user(name, f"{name}@example.org", **extra)
    return user
author = member("author")
writers = [member(f"writer{n}") for n in range(8)]
moderators = [member(f"mod{n}", is_staff=True) for n in range(2)]
topic = services.start_topic(category=category, author=author, title="A race", body="Opening")
replies = [
    services.reply(topic=topic, author=writers[n % 8], body=f"Reply {n}", enforce_limits=False)
    for n in range(12)
]
doomed = services.start_topic(
    category=category, author=author, title="Doomed topic", body="Opening of the doomed"
)
for n in range(6):
    services.reply(topic=doomed, author=writers[n], body=f"Doomed reply {n}", enforce_limits=False)
print("RESULT " + json.dumps({
    "topic": topic.pk, "slug": topic.slug, "doomed": doomed.pk,
    "doomed_first": doomed.posts.get(number=1).pk,
    "replies": [post.pk for post in replies],
    "author": session_of(author), "writers": [session_of(user) for user in writers],
    "moderators": [session_of(user) for user in moderators],
}))
"""
)

COUNTS = """
import json
from django.db.models import Count, Q
from folkmoot.accounts.models import User
from folkmoot.discussions.models import Post, Topic
from folkmoot.forums.models import Category

category = Category.objects.get(name="Races")
live = Post.objects.filter(status="published", topic__is_deleted=False)
print("RESULT " + json.dumps({
    "category": [category.topic_count, category.post_count],
    "category_recount": [
        Topic.objects.filter(category=category, is_deleted=False, post_count__gt=0).count(),
        live.filter(topic__category=category).count(),
    ],
    "topics": {t.pk: [t.post_count, t.posts.filter(status="published").count(), t.is_deleted]
               for t in Topic.objects.filter(category=category)},
    "members": {u.username: [u.post_count, live.filter(author=u).count()]
                for u in User.objects.all()},
    "numbers": list(Post.objects.filter(topic__category=category, number__isnull=False)
                    .values("topic").annotate(n=Count("number", distinct=True), all=Count("pk"))
                    .values_list("n", "all")),
    "revisions": {str(p.pk): sorted(p.revisions.values_list("body", flat=True))
                  for p in Post.objects.filter(revisions__isnull=False).distinct()},
    "bodies": {str(p.pk): p.body for p in Post.objects.filter(topic__category=category)},
}))
"""


def _client(base_url: str, session: str) -> httpx.Client:
    client = httpx.Client(base_url=base_url, timeout=60, headers={"Connection": "close"})
    client.cookies.set("sessionid", session)
    return client


def _post(base_url: str, session: str, page: str, url: str, data: dict) -> int:
    """One browser: open `page` for its CSRF token, then submit `data` to `url`."""
    with _client(base_url, session) as http:
        html = http.get(page).text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]
        return http.post(url, data={"csrfmiddlewaretoken": token, **data}).status_code


def _at_once(calls) -> list:
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


@pytest.fixture
def race(folkmoot_env):  # noqa: F811
    env = {**folkmoot_env, "FOLKMOOT_FLOOD_SECONDS": "0", "LOG_LEVEL": "warning"}
    folkmoot(env, "migrate")
    facts = _result(folkmoot(env, "manage", "shell", "-c", SETUP))
    with serving(env, "serve", "--workers", "2") as (base_url, _):
        yield base_url, facts, lambda: _result(folkmoot(env, "manage", "shell", "-c", COUNTS))


def _result(output: str) -> dict:
    return json.loads(re.search(r"^RESULT (.*)$", output, re.M)[1])


def _assert_counters_exact(counts: dict) -> None:
    assert counts["category"] == counts["category_recount"]
    for topic_id, (counted, published, _deleted) in counts["topics"].items():
        assert counted == published, f"topic {topic_id}"
    for name, (counted, published) in counts["members"].items():
        assert counted == published, name
    for distinct, total in counts["numbers"]:
        assert distinct == total  # no number given twice


def test_two_moderators_deleting_the_same_posts_at_once_lower_each_counter_once(race):
    base_url, facts, counts = race
    page = f"/t/{facts['topic']}-{facts['slug']}/"
    calls = [
        lambda mod=mod, post=post: _post(base_url, mod, page, f"/mod/p/{post}/delete/", {})
        for post in facts["replies"][:4] + [facts["doomed_first"]]
        for mod in facts["moderators"]
    ]
    assert set(_at_once(calls)) == {302}
    after = counts()
    _assert_counters_exact(after)
    assert after["topics"][str(facts["topic"])][:2] == [13 - 4, 13 - 4]
    assert after["topics"][str(facts["doomed"])][2] is True
    assert after["category"] == [1, 9]
    assert after["members"]["author"] == [1, 1]  # the doomed topic's opening post went


def test_twenty_concurrent_edits_of_one_post_keep_every_body_in_its_revisions(race):
    base_url, facts, counts = race
    post = facts["replies"][0]  # writer0's
    page = f"/p/{post}/edit/"
    bodies = [f"Edited body number {n}" for n in range(20)]
    calls = [
        lambda body=body: _post(base_url, facts["writers"][0], page, page, {"body": body})
        for body in bodies
    ]
    assert set(_at_once(calls)) == {302}
    after = counts()
    kept = after["revisions"][str(post)] + [after["bodies"][str(post)]]
    assert sorted(kept) == sorted(["Reply 0", *bodies])  # each body once: 20 revisions


def test_concurrent_replies_are_numbered_once_each_and_counted_exactly(race):
    base_url, facts, counts = race
    page = f"/t/{facts['topic']}-{facts['slug']}/"
    calls = [
        lambda n=n: _post(
            base_url, facts["writers"][n], page, page + "reply/", {"body": f"Race reply {n}"}
        )
        for n in range(8)
    ]
    assert set(_at_once(calls)) == {302}
    after = counts()
    _assert_counters_exact(after)
    assert after["topics"][str(facts["topic"])][:2] == [13 + 8, 13 + 8]


def test_a_slow_to_render_post_holds_up_no_other_reply(race):
    """48 KB of `![`, the pathological case of the Markdown parser, takes seconds to render:
    it is rendered before the transaction, so the write lock is free meanwhile."""
    base_url, facts, counts = race
    page = f"/t/{facts['topic']}-{facts['slug']}/"
    finished = {}

    def post(n: int, body: str):
        status = _post(base_url, facts["writers"][n], page, page + "reply/", {"body": body})
        finished[n] = time.monotonic()
        return status

    with ThreadPoolExecutor(2) as pool:
        slow = pool.submit(post, 0, "![" * 24_000)
        # The slow one renders for about 1.3 s; the quick one goes in early in that time, so a
        # render inside the write transaction would make it finish last.
        time.sleep(0.25)
        quick = pool.submit(post, 1, "A plain reply")
        assert quick.result() == 302
        assert slow.result() == 302
    assert finished[1] < finished[0]  # the plain reply did not wait for the slow one
    _assert_counters_exact(counts())
