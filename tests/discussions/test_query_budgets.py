"""Pages cost a fixed number of queries whatever their length."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from folkmoot import bench_data
from folkmoot.discussions.models import Topic
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
    # 5 the member's upload policies (for the editor), 6 the categories the member moderates
    # (forums.policy.can_moderate: moderation links, the header's link to the queue), 7 the
    # topic's follower count and whether the member follows it, 8 the member's "follow when
    # posting" setting (the reply form's box), 9 the header bell's unread count, 10 the
    # member's own reactions to the page's posts, 11 how far the member has read this topic
    # (notifications.queries.read_state: the unread marks), 12 the members the member ignores
    # (accounts.queries.ignored_ids: their posts collapse).
    with django_assert_max_num_queries(12):
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


def test_category_page_of_a_member_costs_the_same_with_one_topic_as_with_fifty(
    client, member, django_assert_num_queries
):
    small, big = CategoryFactory(), CategoryFactory()
    make_topic(category=small)
    for index in range(50):
        make_topic(category=big, title=f"Topic number {index}")
    client.force_login(member)
    client.post(f"/t/{Topic.objects.filter(category=big).first().pk}/read/", {"number": "1"})
    client.post("/unread/read-all/")
    # 1 session, 2 member, 3 category, 4 page of topics with author and last poster,
    # 5 the member's reading of those topics and their "all read" time (the unread marks),
    # 6 the categories the member moderates (the header's link to the queue), 7 the bell.
    for category in (small, big):
        with django_assert_num_queries(7):
            client.get(f"/c/{category.pk}-{category.slug}/")


def test_index_of_a_member_costs_the_same_with_one_category_as_with_ten(
    client, member, django_assert_num_queries
):
    make_topic(replies=1)
    client.force_login(member)
    counts = {count_queries(client, "/")}
    for _ in range(9):
        make_topic(replies=1)
    # 1 session, 2 member, 3 categories with latest post, its topic and author, 4 the member's
    # reading of those topics (the unread marks), 5 the categories the member moderates,
    # 6 the bell.
    with django_assert_num_queries(6):
        client.get("/")
    counts.add(count_queries(client, "/"))
    assert counts == {6}


def test_index_costs_one_query(client, db, django_assert_num_queries):
    for _ in range(5):
        make_topic(replies=1)
    # 1 categories with latest post, its topic and author.
    with django_assert_num_queries(1):
        client.get("/")


def test_a_deep_topic_page_costs_what_page_one_costs_whatever_the_table_size(
    client, db, member, settings
):
    settings.FOLKMOOT = {**settings.FOLKMOOT, "POSTS_PER_PAGE": 2}
    small = bench_data.generate(posts=60, topics=3, members=3, long_topics=(40,))
    small_topic = Topic.objects.get(pk=small.long_topic_ids[0])
    budgets = {
        (
            f"small page {page}",
            count_queries(client, f"{small_topic.get_absolute_url()}?page={page}"),
        )
        for page in (1, 20)
    }
    big = bench_data.generate(posts=3_000, topics=30, members=9, long_topics=(1_200,))
    big_topic = Topic.objects.get(pk=big.long_topic_ids[0])
    for page in (1, 300, 600):
        url = f"{big_topic.get_absolute_url()}?page={page}"
        budgets.add((f"big page {page}", count_queries(client, url)))
    # 1 topic with category, 2 page of posts with authors, and on a later page 3 the opening
    # post its sharing tags name: for every page of every topic.
    assert {count for label, count in budgets if label.endswith(" page 1")} == {2}, budgets
    assert {count for label, count in budgets if not label.endswith(" page 1")} == {3}, budgets
    client.force_login(member)
    signed_in = {
        (page == 1, count_queries(client, f"{topic.get_absolute_url()}?page={page}"))
        for topic, page in ((small_topic, 1), (small_topic, 20), (big_topic, 1), (big_topic, 600))
    }
    assert len(signed_in) == 2, signed_in  # one count for pages 1, one for later pages


def test_a_deep_category_page_costs_what_page_one_costs_whatever_the_table_size(
    client, db, settings
):
    settings.FOLKMOOT = {**settings.FOLKMOOT, "TOPICS_PER_PAGE": 3}
    small = bench_data.generate(posts=30, topics=12, members=3, categories=1, long_topics=())
    big = bench_data.generate(posts=4_000, topics=900, members=9, categories=1, long_topics=())
    counts = {}
    for summary, pages in ((small, (1, 4)), (big, (1, 150, 300))):
        category = Topic.objects.get(pk=summary.seed_topic_id).category
        for page in pages:
            url = f"{category.get_absolute_url()}?page={page}"
            counts[(category.pk, page)] = count_queries(client, url)
    # 1 category, 2 page of topics with author and last poster.
    assert set(counts.values()) == {2}, counts
