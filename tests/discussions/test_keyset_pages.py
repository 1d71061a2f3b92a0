"""Category pages by key: "Next" and "Previous" carry where the page they came from ended or
began, so a reader following them sees every topic once however the list changes meanwhile;
numbered pages seek to where their last render began (page_cache.list_marks) instead of
skipping the topics before them, and cost the queries page 1 costs.

Real transactions: the marks, like cached pages, are made stale after commit."""

import re
from urllib.parse import parse_qsl

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from folkmoot import bench_data
from folkmoot.discussions import services
from folkmoot.discussions.models import Topic
from folkmoot.forums.models import Category
from tests.conftest import set_limits
from tests.discussions.test_flat_pages import plan_of, sorts_more_than
from tests.factories import MemberFactory, make_topic

pytestmark = pytest.mark.django_db(transaction=True)

PER_PAGE = 3
TOPIC_LINK = re.compile(r'<a class="topic-title topic-title-link" href="/t/(\d+)-')


@pytest.fixture
def category(settings):
    """A category of 60 topics (20 pages of three), analyzed as a live database would be."""
    set_limits(settings, TOPICS_PER_PAGE=PER_PAGE, LIST_MARK_SECONDS=300)
    bench_data.generate(posts=120, topics=60, members=5, categories=1, long_topics=())
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return Category.objects.order_by("-topic_count").first()


def shown(html: str) -> list[int]:
    return [int(pk) for pk in TOPIC_LINK.findall(html)]


def link(html: str, rel: str) -> dict | None:
    found = re.search(rf'<a rel="{rel}" href="\?([^"]+)"', html)
    return dict(parse_qsl(found.group(1).replace("&amp;", "&"))) if found else None


def listed(category) -> list[int]:
    """The category's topics in the list's order, as the database has them now."""
    return list(
        Topic.objects.visible()
        .filter(category=category)
        .order_by("-is_pinned", "-last_posted_at", "-pk")
        .values_list("pk", flat=True)
    )


def test_numbered_pages_show_the_list_in_order_whether_or_not_their_marks_are_known(
    client, category
):
    expected = listed(category)
    url = category.get_absolute_url()
    # Cold (skipping entries), then again (seeking to this page's mark), then the neighbours
    # (seeking after the page before, before the page after), then from the end backwards.
    for number in [12, 12, 13, 11, 20, 19, 2, 1]:
        html = client.get(url, {"page": str(number)}).text
        start = (number - 1) * PER_PAGE
        assert shown(html) == expected[start : start + PER_PAGE], number


def test_following_next_shows_each_topic_once_while_topics_are_added_bumped_and_moved(
    client, category, moderator
):
    before = listed(category)
    elsewhere = Category.objects.create(name="Elsewhere", slug="elsewhere")
    arriving = make_topic(category=elsewhere, title="Moved in")
    seen: list[int] = []
    query: dict | None = {}
    turn = 0
    while query is not None:
        html = client.get(category.get_absolute_url(), query).text
        seen.extend(shown(html))
        query = link(html, "next")
        turn += 1
        if turn == 2:  # a new topic, above everything the reader has seen
            make_topic(category=category, title="Brand new")
        if turn == 3:  # a topic not yet seen is bumped to the top by a reply
            services.reply(topic=Topic.objects.get(pk=before[40]), author=MemberFactory(),
                           body="Bumped")  # fmt: skip
        if turn == 4:  # one seen already is bumped, one not yet seen moves away, one arrives
            services.reply(topic=Topic.objects.get(pk=before[0]), author=MemberFactory(),
                           body="Bumped again")  # fmt: skip
            services.move_topic(topic=Topic.objects.get(pk=before[50]), actor=moderator,
                                to=elsewhere)  # fmt: skip
            services.move_topic(topic=arriving, actor=moderator, to=category)
    assert len(seen) == len(set(seen)), "a topic was shown twice"
    # Every topic that stayed where it was in the list was shown; the bumped one went above
    # the reader, the moved one left (and the one moved in was listed by its latest post).
    assert set(before) - {before[40], before[50]} <= set(seen)
    assert before[50] not in seen


def test_with_numbered_links_a_new_topic_would_have_shown_a_topic_twice(client, category):
    """What "Next" by key protects against: the same walk by page number repeats one."""
    url = category.get_absolute_url()
    first = shown(client.get(url).text)
    make_topic(category=category, title="Brand new")
    second = shown(client.get(url, {"page": "2"}).text)
    assert first[-1] == second[0]
    by_key = shown(client.get(url, link(client.get(url).text, "next")).text)
    assert set(by_key).isdisjoint(shown(client.get(url).text))


def test_previous_by_key_shows_the_topics_just_before(client, category):
    expected = listed(category)
    url = category.get_absolute_url()
    html = client.get(url, {"page": "10"}).text
    previous = link(html, "prev")
    assert previous["page"] == "9" and "before" in previous
    make_topic(category=category, title="Brand new")  # shifts every numbered page by one
    assert shown(client.get(url, previous).text) == expected[24:27]
    # Back to page 1 is by number: the top of the list, whatever came since.
    page_two = client.get(url, {"page": "2"}).text
    assert link(page_two, "prev") == {"page": "1"}


def test_deep_pages_cost_the_queries_page_one_costs(
    client, category, django_assert_max_num_queries
):
    url = category.get_absolute_url()
    with CaptureQueriesContext(connection) as page_one:
        html = client.get(url).text
    budget = len(page_one.captured_queries)
    next_query = link(html, "next")
    for query in [{"page": "15"}, {"page": "15"}, {"page": "16"}, next_query, {"page": "20"}]:
        with django_assert_max_num_queries(budget):
            assert client.get(url, query).status_code == 200


@pytest.fixture
def big_category(settings):
    """A category of 1,500 topics (500 pages), vacuumed and analyzed: PostgreSQL rightly reads
    a category of 60 topics whole, so the plans are asked of a bigger one."""
    set_limits(settings, TOPICS_PER_PAGE=PER_PAGE, LIST_MARK_SECONDS=300)
    bench_data.generate(posts=1_500, topics=1_500, members=5, categories=1, long_topics=())
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return Category.objects.order_by("-topic_count").first()


def test_a_deep_page_seeks_in_the_index_once_its_neighbour_was_shown(client, big_category):
    url = big_category.get_absolute_url()
    client.get(url, {"page": "399"})  # leaves its mark
    for query in ({"page": "400"}, link(client.get(url, {"page": "399"}).text, "next")):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, query).status_code == 200
        (topics_query,) = [
            q["sql"] for q in captured.captured_queries if 'FROM "discussions_topic"' in q["sql"]
        ]
        assert "OFFSET" not in topics_query
        plan = plan_of(topics_query)
        # The page's topics and one more (whether "Next" leads anywhere) are all it sorts.
        assert "topic_listing_idx" in plan and not sorts_more_than(plan, PER_PAGE + 1)
        if connection.vendor == "postgresql":
            assert "Index Only Scan" in plan and "Seq Scan" not in plan
            # The key bounds the scan: a range of the index, not a filter after it.
            conditions = re.findall(r'"Index Cond": "([^"]*)"', plan)
            assert any("ROW(is_pinned, last_posted_at, id)" in c for c in conditions)
        else:
            assert "COVERING INDEX topic_listing_idx (category_id=? AND (is_pinned," in plan


def test_a_next_link_is_cached_while_it_names_its_page_and_not_after_a_change(
    client, category, settings, django_assert_num_queries
):
    set_limits(settings, PAGE_CACHE_SECONDS=300)
    url = category.get_absolute_url()
    next_query = link(client.get(url, {"page": "5"}).text, "next")
    numbered = client.get(url, {"page": "6"}).text
    first = client.get(url, next_query)
    assert shown(first.text) == shown(numbered)
    with django_assert_num_queries(0):
        assert client.get(url, next_query).content == first.content
    make_topic(category=category, title="Brand new")
    # The same topics as before (those after the key), which are no longer page 6: rendered.
    with CaptureQueriesContext(connection) as captured:
        again = client.get(url, next_query)
    assert captured.captured_queries and shown(again.text) == shown(first.text)
    assert shown(client.get(url, {"page": "6"}).text) != shown(first.text)


@pytest.mark.parametrize(
    "query",
    [
        {"page": "2", "after": "nonsense"},
        {"page": "2", "after": "0.01.5"},  # a leading zero: not the key's one spelling
        {"page": "2", "after": "1.5.5", "before": "1.5.5"},
        {"page": "2", "before": "2.5.5"},
        {"page": "2", "after": "0." + "9" * 18 + ".5"},  # past the year 9999
    ],
)
def test_a_key_that_is_not_one_is_a_404(client, category, query):
    assert client.get(category.get_absolute_url(), query).status_code == 404


def test_the_canonical_address_of_a_page_reached_by_key_is_its_number(client, category):
    url = category.get_absolute_url()
    html = client.get(url, link(client.get(url, {"page": "3"}).text, "next")).text
    assert f'<link rel="canonical" href="http://testserver{url}?page=4">' in html
    assert f'<link rel="canonical" href="http://testserver{url}">' in client.get(url).text


def test_made_up_keys_are_rendered_and_not_kept(client, category, settings):
    set_limits(settings, PAGE_CACHE_SECONDS=300)
    url = category.get_absolute_url()
    client.get(url, {"page": "5"})
    for made_up in ("0.1.5", "1.1795649094567120.3"):
        client.get(url, {"page": "6", "after": made_up})
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, {"page": "6", "after": made_up}).status_code == 200
        assert captured.captured_queries


def test_topic_pages_seek_to_their_marks_and_are_right_again_after_a_deletion(
    client, settings, moderator
):
    set_limits(settings, POSTS_PER_PAGE=2, LIST_MARK_SECONDS=300)
    topic = make_topic(replies=9)  # posts 1..10, pages [1, 2] [3, 4] ... [9, 10]
    url = topic.get_absolute_url()

    def numbers(page: str) -> list[int]:
        html = client.get(url, {"page": page}).text
        return [int(n) for n in dict.fromkeys(re.findall(r'\bid="post-(\d+)"', html))]

    # Cold, by its own mark, after the page before, before the page after.
    assert [numbers(p) for p in ("3", "3", "4", "2")] == [[5, 6], [5, 6], [7, 8], [3, 4]]
    with CaptureQueriesContext(connection) as captured:
        assert numbers("5") == [9, 10]  # page 4 left its mark: no entries skipped
    (posts_query,) = [
        q["sql"]
        for q in captured.captured_queries
        if 'FROM "discussions_post"' in q["sql"] and "IN (SELECT" in q["sql"]
    ]
    assert "OFFSET" not in posts_query and '"number" > 8' in posts_query
    plan = plan_of(posts_query)
    assert "post_reading_idx" in plan and not sorts_more_than(plan, 2)

    services.delete_post(post=topic.posts.get(number=2), actor=moderator)
    # Published now: [1, 3] [4, 5] [6, 7] [8, 9] [10]; the marks went with the change.
    assert [numbers(p) for p in ("3", "4", "2", "5")] == [[6, 7], [8, 9], [4, 5], [10]]
