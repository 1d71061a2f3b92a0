"""The date range filter, part of the bounded full-text lookup, and the notice shown when that
bound (backends.CANDIDATES) leaves older matches out. Run on SQLite and on PostgreSQL."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from folkmoot.discussions.models import Post
from folkmoot.search import backends, indexing
from tests.factories import MemberFactory
from tests.search.helpers import found_ids

BOUND_NOTICE = "Showing the newest matches; narrow your search"


def _dated(post, when):
    Post.objects.filter(pk=post.pk).update(created_at=when)
    indexing.post_changed(post.pk)
    return post


def _day(days_ago):
    return (timezone.localdate() - timedelta(days=days_ago)).isoformat()


def test_a_date_range_is_part_of_the_bounded_lookup(client, forum, monkeypatch):
    """Only the newest CANDIDATES matches are weighed, but the date range is checked within
    the lookup: a year-old post is found by its dates even when newer matches fill the bound."""
    monkeypatch.setattr(backends, "CANDIDATES", 2)
    old = _dated(
        forum.topic("Kettles", "kettle descaling").posts.get(), timezone.now() - timedelta(days=400)
    )
    newer = [forum.topic(f"Kettle {n}", "kettle again").posts.get() for n in range(3)]

    assert old.pk not in found_ids(client, "kettle")
    assert found_ids(client, "kettle", until=_day(300)) == [old.pk]
    assert found_ids(client, "kettle", since=_day(500), until=_day(300)) == [old.pk]
    assert found_ids(client, "kettle", since=_day(1), order="newest") == [
        newer[2].pk,
        newer[1].pk,
    ]
    assert found_ids(client, "kettle", since=_day(500), until=_day(450)) == []


def test_a_range_that_ends_long_ago_finds_the_same_posts_for_a_common_query(
    client, forum, monkeypatch
):
    """A query matching many of the newest posts (backends.DATE_FIRST_SHARE) walks the range's posts
    (SQLite: newest first by date, each looked up in the full-text index) instead of the
    query's matches: the same posts, newest first, within the range, and only those that
    hold every word and match every filter."""
    monkeypatch.setattr(backends, "CANDIDATES", 2)
    monkeypatch.setattr(backends, "DATE_FIRST_SHARE", 0)  # any match among the newest

    def days_ago(days):
        return timezone.now() - timedelta(days=days)

    old = [
        _dated(forum.topic(f"Kettle {n}", "kettle descaling").posts.get(), days_ago(days))
        for n, days in enumerate((420, 410, 400))
    ]
    author = old[0].author
    other = _dated(
        forum.topic("Old pot", "pot descaling", author=author).posts.get(), days_ago(405)
    )
    for n in range(3):
        forum.topic(f"Kettle new {n}", "kettle descaling")

    bounded = client.get("/search/", {"q": "kettle", "until": _day(300)}).context["results"]
    assert [result.post.pk for result in bounded.results] == [old[2].pk, old[1].pk]
    assert bounded.capped is True  # a third old match was left out
    assert found_ids(client, "descaling", since=_day(415), until=_day(300)) == [
        old[2].pk,
        other.pk,
    ]
    assert found_ids(client, "kettle -descaling", until=_day(300)) == []
    assert found_ids(client, "descaling", until=_day(300), author=author.username) == [
        other.pk,
        old[0].pk,
    ]
    assert found_ids(client, "kettle", until=_day(300), order="newest") == [old[2].pk, old[1].pk]


def test_both_ends_of_the_range_are_whole_days(client, forum):
    """From the first moment of "from" to the last of "to", in the site's time zone."""
    day = timezone.localdate() - timedelta(days=10)
    start = timezone.make_aware(datetime.combine(day, datetime.min.time()))
    first = _dated(forum.topic("Early", "lantern early").posts.get(), start)
    last = _dated(
        forum.topic("Late", "lantern late").posts.get(), start + timedelta(hours=23, minutes=59)
    )
    _dated(forum.topic("Before", "lantern before").posts.get(), start - timedelta(seconds=1))
    _dated(forum.topic("After", "lantern after").posts.get(), start + timedelta(days=1))

    found = found_ids(client, "lantern", since=day.isoformat(), until=day.isoformat())
    assert sorted(found) == sorted([first.pk, last.pk])


def test_the_page_says_when_only_the_newest_matches_were_weighed(client, forum, monkeypatch):
    monkeypatch.setattr(backends, "CANDIDATES", 3)
    for n in range(3):
        forum.topic(f"Teapot {n}", "teapot glaze")
    forum.topic("Saucer", "saucer glaze")

    capped = client.get("/search/", {"q": "glaze"})
    assert capped.context["results"].capped is True
    page = capped.content.decode()
    assert BOUND_NOTICE in page and "Only the newest 3 posts with these words were ranked" in page
    newest = client.get("/search/", {"q": "glaze", "order": "newest"}).content.decode()
    assert "Only the newest 3 posts with these words were looked at" in newest

    narrowed = client.get("/search/", {"q": "teapot"})
    assert narrowed.context["results"].capped is False  # 3 matches: none left out
    assert BOUND_NOTICE not in narrowed.content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"since": "2024-02-30"}, "Enter a valid date"),
        ({"since": "yesterday"}, "Enter a valid date"),
        ({"until": "9999-12-31"}, "Pick a date between the years 1900 and 9000"),
        ({"since": "0001-01-01"}, "Pick a date between the years 1900 and 9000"),
        ({"since": "2025-02-01", "until": "2025-01-31"}, "comes before its start"),
        ({"until": "2025-01-01\x00"}, "Enter a valid date"),
    ],
)
def test_a_bad_date_is_a_clear_message_beside_its_field(client, forum, params, message):
    response = client.get("/search/", {"q": "lantern", **params})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'value="lantern"' in page  # the words typed are kept


def test_the_date_fields_are_date_pickers_that_keep_their_values(client, forum):
    forum.topic("Lantern", "lantern")
    page = client.get("/search/", {"q": "lantern", "since": "2024-05-01"}).content.decode()
    assert 'type="date" name="since" value="2024-05-01"' in page
    assert 'type="date" name="until"' in page


def test_the_newest_matches_are_found_across_the_recent_and_older_posts(client, forum, monkeypatch):
    """PostgreSQL looks among the newest backends.RECENT_POSTS post ids first and among the
    older ones only for what is still missing: the same newest matches, in order, either way
    (SQLite has one step; the same answers)."""
    monkeypatch.setattr(backends, "CANDIDATES", 3)
    monkeypatch.setattr(backends, "RECENT_POSTS", 2)
    author = MemberFactory()
    posts = [
        forum.topic(f"Lantern {n}", "lantern wick", author=author if n < 2 else None).posts.get()
        for n in range(5)
    ]
    forum.topic("Unrelated", "teapot")  # the newest post id, no match

    newest = client.get("/search/", {"q": "lantern", "order": "newest"}).context["results"]
    assert [result.post.pk for result in newest.results] == [p.pk for p in posts[:1:-1]]
    assert newest.capped is True
    # Only older posts are the author's: all from the second step.
    assert found_ids(client, "wick", author=author.username, order="newest") == [
        posts[1].pk,
        posts[0].pk,
    ]
