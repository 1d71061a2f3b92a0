"""Reply and delete at a million posts: what a member's reply and a moderator's delete cost,
through the services, with their after-commit consequences (search indexing, cache version).

    uv run python bench/write_paths.py [--posts 1000000] [--topics 20000] [--writes 50]

Builds (once, kept under BENCH_DIR like bench/flat_pages.py) the demo plus
`folkmoot bench-data --posts N`, then in this process: --writes replies to the 10,000-post topic
and to an ordinary topic, each timed from the call to the commit's end, then deletes them (each
delete recounts the topic and finds the category's latest post while it holds the write lock).
It also times the query the delete used to run for the category's latest post (a scan of the
category's posts) beside the one it runs now (the newest entry of topic_latest_idx), so the
difference shows on the same data.

With DATABASE_URL set, the data set is <database>_1m, as in bench/flat_pages.py.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from flat_pages import build  # noqa: E402


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def line(label: str, samples: list[float]) -> str:
    return (
        f"| {label} | {len(samples)} | {statistics.median(samples):.1f} | "
        f"{percentile(samples, 0.95):.1f} | {max(samples):.1f} |"
    )


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--topics", type=int, default=20_000)
    parser.add_argument("--writes", type=int, default=50)
    args = parser.parse_args()
    env = build("1m", posts=args.posts, topics=args.topics, long_topics="10000,5000,5000,5000")
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "folkmoot.settings")
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Subquery

    from folkmoot.accounts.models import User
    from folkmoot.discussions import lifecycle, services
    from folkmoot.discussions.models import Post, Topic

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"Database: {connection.vendor}; posts: {Post.objects.count():,}")
    moderator = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        "bench-moderator", "bench-moderator@example.org", "bench-moderator-password"
    )
    long_topic = Topic.objects.order_by("-post_count").first()
    ordinary = Topic.objects.filter(post_count__lt=100, is_deleted=False).order_by("-pk").first()
    rows = []
    for label, topic in (("10,000-post topic", long_topic), ("ordinary topic", ordinary)):
        replies, costs = [], []
        for n in range(args.writes + 1):
            body = f"Bench reply {n} to {topic.pk} at {time.time()}: the kettle is on."

            def reply(topic=topic, body=body, replies=replies):
                replies.append(
                    services.reply(topic=topic, author=moderator, body=body, enforce_limits=False)
                )

            cost = timed(reply)
            if n:  # the first warms caches up
                costs.append(cost)
        rows.append(line(f"reply, {label}", costs))
        costs = []
        for n, post in enumerate(reversed(replies)):
            cost = timed(lambda post=post: services.delete_post(post=post, actor=moderator))
            if n:
                costs.append(cost)
        rows.append(line(f"delete a reply, {label}", costs))
    category_id = long_topic.category_id
    scan = (
        Post.objects.published()
        .filter(topic__category_id=category_id, topic__is_deleted=False)
        .order_by("-created_at", "-pk")
        .values("pk")[:1]
    )
    index = lifecycle._latest_in_category(category_id)
    queries = (("before: scan of the category's posts", Subquery(scan)), ("now: index", index))
    for label, subquery in queries:
        rows_of = Topic.objects.annotate(x=subquery).values("x")[:1]
        costs = [timed(lambda rows_of=rows_of: list(rows_of.all())) for _ in range(6)][1:]
        rows.append(line(f"category's latest post, {label}", costs))
    print("\n| what | n | p50 ms | p95 ms | max ms |\n| --- | ---: | ---: | ---: | ---: |")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
