"""folkmoot bench-data: bulk-written data whose counters agree with counting the rows."""

import io

import pytest
from django.db.models import Count, Max, Q

from folkmoot import bench_data, cli
from folkmoot.accounts.models import User
from folkmoot.discussions.models import Post, Topic
from folkmoot.forums.models import Category
from tests.factories import make_topic


def test_topic_sizes_add_up_and_keep_the_long_topics():
    sizes, long_count = bench_data.topic_sizes(
        posts=1_000_000, topics=20_000, long_topics=(10_000, 5_000, 5_000, 5_000)
    )
    assert sum(sizes) == 1_000_000 and len(sizes) == 20_000
    assert sizes[:4] == [10_000, 5_000, 5_000, 5_000] and long_count == 4
    assert min(sizes) >= 1


def test_generated_counters_match_counting_the_rows(db):
    existing = make_topic(replies=2)  # data already there is added to, not disturbed
    progress = io.StringIO()
    summary = bench_data.generate(
        posts=1_500,
        topics=40,
        members=13,
        categories=3,
        long_topics=(600, 300),
        progress=bench_data.Progress(1_500, stream=progress),
    )
    assert Post.objects.count() == 3 + 1_500
    assert "100% 1,500/1,500 posts" in progress.getvalue()

    for topic in Topic.objects.annotate(
        counted=Count("posts", filter=Q(posts__status="published")),
        top_number=Max("posts__number"),
        newest=Max("posts__id"),
    ):
        assert topic.post_count == topic.counted == topic.top_number
        assert topic.next_number == topic.counted + 1
        # Numbers follow time, so the newest post by time is the one with the top number.
        last = topic.posts.order_by("-created_at", "-pk").first()
        assert topic.last_post_id == last.pk == topic.posts.get(number=topic.top_number).pk
        assert topic.last_posted_at == last.created_at
        assert topic.author_id == topic.posts.get(number=1).author_id

    for category in Category.objects.all():
        posts = Post.objects.filter(topic__category=category, status="published")
        assert category.topic_count == Topic.objects.visible().filter(category=category).count()
        assert category.post_count == posts.count()
        assert category.last_post_id == posts.order_by("-created_at", "-pk").first().pk

    for member in User.objects.annotate(counted=Count("posts")):
        assert member.post_count == member.counted

    long_topics = Topic.objects.filter(pk__in=summary.long_topic_ids).order_by("pk")
    assert [topic.post_count for topic in long_topics] == [600, 300]
    seed = Topic.objects.get(pk=summary.seed_topic_id)
    assert "Shaer gas field" in seed.posts.get(number=1).cooked
    existing.refresh_from_db()
    assert existing.post_count == 3


def test_generated_pages_show_and_new_posts_take_the_next_ids(client, db):
    summary = bench_data.generate(posts=200, topics=5, members=3, long_topics=(100,))
    long_topic = Topic.objects.get(pk=summary.long_topic_ids[0])
    response = client.get(long_topic.get_absolute_url(), {"page": "4"})
    assert response.status_code == 200 and 'id="post-100"' in response.text
    # The id sequences were moved past the generated rows (PostgreSQL would collide otherwise).
    make_topic(category=long_topic.category, replies=1)
    assert Post.objects.count() == 202


def test_impossible_sizes_are_refused(db):
    with pytest.raises(ValueError):
        bench_data.generate(posts=3, topics=5, members=1)
    assert not Post.objects.exists()


def test_the_command_reports_what_it_wrote_and_refuses_bad_sizes(db, capsys):
    cli.main(
        ["bench-data", "--posts", "50", "--topics", "5", "--members", "2", "--long-topics", "20"]
    )
    assert "50 posts in 5 topics by 2 members" in capsys.readouterr().out
    assert Topic.objects.order_by("-post_count").first().post_count == 20
    with pytest.raises(SystemExit, match="comma"):
        cli.main(["bench-data", "--posts", "50", "--topics", "5", "--long-topics", "lots"])
    with pytest.raises(SystemExit, match="at least one post per topic"):
        cli.main(["bench-data", "--posts", "4", "--topics", "5"])
    assert Post.objects.count() == 50
