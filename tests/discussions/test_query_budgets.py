"""Pages cost a fixed number of queries whatever their length."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import CategoryFactory, make_topic


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_topic_page_costs_the_same_with_one_post_as_with_a_full_page(
    client, member, django_assert_max_num_queries
):
    short = make_topic()
    full = make_topic(replies=24)
    client.force_login(member)
    # 1 session, 2 member, 3 topic with category, 4 page of posts with authors,
    # 5 the member's upload policies (for the editor).
    with django_assert_max_num_queries(5):
        client.get(f"/t/{full.pk}-{full.slug}/")
    assert count_queries(client, f"/t/{short.pk}-{short.slug}/") == count_queries(
        client, f"/t/{full.pk}-{full.slug}/"
    )


def test_anonymous_topic_page_costs_two_queries(client, db, django_assert_num_queries):
    topic = make_topic(replies=24)
    # 1 topic with category, 2 page of posts with authors.
    with django_assert_num_queries(2):
        client.get(f"/t/{topic.pk}-{topic.slug}/")


def test_category_page_costs_the_same_with_one_topic_as_with_fifty(
    client, db, django_assert_num_queries
):
    small, big = CategoryFactory(), CategoryFactory()
    make_topic(category=small)
    for index in range(50):
        make_topic(category=big, title=f"Topic number {index}")
    # 1 category, 2 page of topics with author and last poster.
    with django_assert_num_queries(2):
        client.get(f"/c/{small.pk}-{small.slug}/")
    with django_assert_num_queries(2):
        client.get(f"/c/{big.pk}-{big.slug}/")


def test_index_costs_one_query(client, db, django_assert_num_queries):
    for _ in range(5):
        make_topic(replies=1)
    # 1 categories with latest post, its topic and author.
    with django_assert_num_queries(1):
        client.get("/")
