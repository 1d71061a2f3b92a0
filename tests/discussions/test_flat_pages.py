"""Flat pages: a pager whose size does not grow with the page count, and deep pages that read
their ids from an index instead of sorting the topic's posts or the category's topics."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from folkmoot import bench_data
from folkmoot.discussions import services
from folkmoot.discussions.models import Post, Topic
from tests.factories import make_topic

NAV = re.compile(r'<nav class="pagination" aria-label="([^"]+)">(.*?)</nav>', re.S)


@pytest.fixture
def forum(db, settings):
    """A 400-page topic (two posts a page) and a 40-page category (three topics a page)."""
    settings.FOLKMOOT = {**settings.FOLKMOOT, "POSTS_PER_PAGE": 2, "TOPICS_PER_PAGE": 3}
    summary = bench_data.generate(
        posts=1_200, topics=240, members=7, categories=1, long_topics=(800,)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return Topic.objects.get(pk=summary.long_topic_ids[0])


@pytest.fixture
def big_forum(transactional_db, settings):
    """The same 400-page topic among more posts, vacuumed and analyzed as autovacuum leaves
    a live table: PostgreSQL rightly reads a small table whole, and can read an index alone
    only for rows its visibility map knows to be visible (VACUUM cannot run in a transaction,
    hence a transactional test)."""
    settings.FOLKMOOT = {**settings.FOLKMOOT, "POSTS_PER_PAGE": 2, "TOPICS_PER_PAGE": 3}
    summary = bench_data.generate(
        posts=8_000, topics=1_000, members=7, categories=4, long_topics=(800,)
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return Topic.objects.get(pk=summary.long_topic_ids[0])


def navs(html: str) -> dict[str, str]:
    return dict(NAV.findall(html))


def test_the_pager_of_a_400_page_topic_has_a_bounded_number_of_links(client, forum):
    sizes = {}
    for page in ("1", "2", "200", "399", "400"):
        html = client.get(forum.get_absolute_url(), {"page": page}).text
        pagers = navs(html)
        # Two pagers the reader can tell apart.
        assert set(pagers) == {"Topic pages, top", "Topic pages, bottom"}
        pager = pagers["Topic pages, top"]
        links = re.findall(r'href="\?page=(\d+)"', pager)
        # First, last, current ± 2, previous and next: never more than 8 links.
        assert len(links) <= 8
        assert {"1", "400"} <= set(links) | {page}
        assert f'<span aria-current="page">{page}</span>' in pager
        sizes[page] = len(pager)
    # Every page number printed would be some 12 KB here.
    assert max(sizes.values()) < 1_000
    middle = navs(client.get(forum.get_absolute_url(), {"page": "200"}).text)["Topic pages, top"]
    assert re.findall(r'href="\?page=(\d+)"', middle) == [
        "199", "1", "198", "199", "201", "202", "400", "201",
    ]  # fmt: skip
    assert middle.count("…") == 2


def test_jump_to_page_is_a_plain_get_form(client, forum):
    html = client.get(forum.get_absolute_url()).text
    form = re.search(r'<form class="page-jump" method="get">(.*?)</form>', html, re.S).group(1)
    assert 'name="page"' in form and 'max="400"' in form
    # What the browser sends when the reader types 250 and presses Go, with no script.
    response = client.get(forum.get_absolute_url(), {"page": "250"})
    assert 'id="post-499"' in response.text and 'id="post-500"' in response.text


def test_the_category_pager_is_windowed_too(client, forum):
    category = forum.category
    html = client.get(category.get_absolute_url(), {"page": "20"}).text
    pager = navs(html)["Category pages"]
    assert len(re.findall(r'href="\?page=', pager)) <= 8
    assert 'max="80"' in pager


def test_deep_pages_skip_posts_that_are_deleted_or_waiting(client, db, moderator, settings):
    settings.FOLKMOOT = {**settings.FOLKMOOT, "POSTS_PER_PAGE": 2}
    topic = make_topic(replies=6)  # numbers 1..7
    services.delete_post(post=topic.posts.get(number=2), actor=moderator)
    # Pages of published posts: [1, 3] [4, 5] [6, 7]
    page_two = client.get(topic.get_absolute_url(), {"page": "2"}).text
    assert 'id="post-4"' in page_two and 'id="post-5"' in page_two
    assert 'id="post-3"' not in page_two and 'id="post-6"' not in page_two
    page_three = client.get(topic.get_absolute_url(), {"page": "3"}).text
    assert 'id="post-6"' in page_three and 'id="post-7"' in page_three


def plan_of(sql: str) -> str:
    """The database's plan for a query the page ran, as JSON text, read through the connection
    (PostgreSQL's with the rows each step actually produced)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
            return json.dumps(cursor.fetchone()[0])
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        return json.dumps(cursor.fetchall())


def sorts_more_than(plan: str, rows: int) -> bool:
    """Whether the plan sorts more than `rows` rows anywhere: SQLite says where it sorts but
    not how much, so there any sort inside the subquery that picks the page counts."""
    if connection.vendor == "postgresql":

        def walk(node):
            yield node
            for child in node.get("Plans", []):
                yield from walk(child)

        root = json.loads(plan)[0]["Plan"]
        return any(n["Node Type"] == "Sort" and n["Actual Rows"] > rows for n in walk(root))
    # Rows are (id, parent, _, detail); the outer query's own sort is of the page's rows.
    steps = json.loads(plan)
    return any("TEMP B-TREE" in detail and parent != 0 for _, parent, _, detail in steps)


def page_queries(client, url: str, page: str) -> list[str]:
    """The SQL a page ran, with its parameters filled in."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, {"page": page}).status_code == 200
    return [query["sql"] for query in captured.captured_queries]


@pytest.mark.parametrize("page", ["1", "400"])
def test_a_deep_topic_page_reads_ids_from_the_index_and_sorts_only_its_own_posts(
    client, big_forum, page
):
    forum = big_forum
    (posts_query,) = [
        sql
        for sql in page_queries(client, forum.get_absolute_url(), page)
        if 'FROM "discussions_post"' in sql and "IN (SELECT" in sql  # not the opening post
    ]
    plan = plan_of(posts_query)
    assert "post_reading_idx" in plan
    assert not sorts_more_than(plan, 2)
    if connection.vendor == "postgresql":
        assert "Index Only Scan" in plan and "Seq Scan" not in plan
    else:
        assert "COVERING INDEX post_reading_idx" in plan
        assert "SCAN discussions_post" not in plan


@pytest.mark.parametrize("page", ["1", "166"])
def test_a_deep_category_page_reads_ids_from_the_index_without_sorting_the_topics(
    client, big_forum, page
):
    forum = big_forum
    (topics_query,) = [
        sql
        for sql in page_queries(client, forum.category.get_absolute_url(), page)
        if 'FROM "discussions_topic"' in sql
    ]
    plan = plan_of(topics_query)
    assert "topic_listing_idx" in plan
    assert not sorts_more_than(plan, 3 + 1)  # the page, and one more: is there a next page?
    if connection.vendor == "postgresql":
        assert "Index Only Scan" in plan and "Seq Scan" not in plan
    else:
        assert "COVERING INDEX topic_listing_idx" in plan
        assert "SCAN U0" not in plan and "SCAN discussions_topic" not in plan


def test_a_post_of_a_deep_page_is_where_its_permalink_says(client, forum):
    post = Post.objects.get(topic=forum, number=777)
    response = client.get(post.get_absolute_url())
    assert response.status_code in (301, 302)
    assert response.url.endswith("?page=389#post-777")
