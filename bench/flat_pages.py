"""Flat pages: the same pages on a million posts and on the demo data, timed in-process.

Builds three SQLite data dirs once (kept for the next run): the demo content, and the demo
content plus `folkmoot bench-data` with 40,000 posts (800 topics, one of 10,000 posts) and with
1,000,000 posts (20,000 topics, one of 10,000 posts). Then, in rounds, a child process per data
set, with Django loaded, times the pages through Django's test client: warm (a first pass is
thrown away), the whole-page cache off, N requests per page, p50 and p95.

    uv run python bench/flat_pages.py [--requests 200] [--posts 1000000] [--topics 20000]
    uv run python bench/flat_pages.py --interleaved [--requests 150]   # once the sets are built

With DATABASE_URL set, the data sets are built in <database>_demo, <database>_40k and
<database>_1m instead (createdb must be on PATH, or create them first).
"""

import argparse
import html
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = Path(os.environ.get("BENCH_DIR", "/tmp/folkmoot-flat-pages"))


def folkmoot(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "folkmoot.cli", *args], env=env, check=True, cwd=ROOT)


def data_env(name: str) -> dict:
    env = {**os.environ, "FOLKMOOT_DATA_DIR": str(WORK / name)}
    if os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"] = f"{os.environ['DATABASE_URL']}_{name}"
    return env


def build(name: str, *, posts: int, topics: int, long_topics: str) -> dict:
    env = data_env(name)
    marker = WORK / name / "built"
    if marker.exists():
        return env
    (WORK / name).mkdir(parents=True, exist_ok=True)
    if os.environ.get("DATABASE_URL"):
        database = env["DATABASE_URL"].rsplit("/", 1)[1]
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", database], check=False)
    folkmoot(env, "demo", "--setup-only")
    if posts:
        started = time.monotonic()
        folkmoot(
            env,
            "bench-data",
            *("--posts", str(posts), "--topics", str(topics), "--members", "2000"),
            *("--long-topics", long_topics),
        )
        print(f"bench-data took {time.monotonic() - started:.1f} s (wall, with start-up)")
    marker.write_text("")
    return env


def measure(requests: int) -> dict:
    """Runs in the child, with Django set up on one data set."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "folkmoot.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from folkmoot.discussions.models import Post, Topic
    from folkmoot.forums.models import Category

    setup_test_environment()
    settings.FOLKMOOT = {**settings.FOLKMOOT, "PAGE_CACHE_SECONDS": 0}
    # Statistics as a live database would have them (autovacuum; SQLite's optimize).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    longest = Topic.objects.order_by("-post_count", "pk").first()
    last_page = -(-longest.post_count // settings.FOLKMOOT["POSTS_PER_PAGE"])
    biggest = Category.objects.order_by("-topic_count", "pk").first()
    middle = Post.objects.get(topic=longest, number=max(1, longest.post_count // 2))
    # A full page on every data set: page 200 on the million, the last full page (13 of 14)
    # on the 40k forum. (Page 200 on the 40k forum is its last page, of 10 topics: cheaper to
    # render than 30 whatever the table's size.)
    category_url = biggest.get_absolute_url()
    deep = max(1, min(200, biggest.topic_count // settings.FOLKMOOT["TOPICS_PER_PAGE"]))
    client = Client()
    before_deep = client.get(category_url, {"page": str(max(1, deep - 1))}).text
    found = re.search(r'rel="next" href="\?([^"]+)"', before_deep)
    next_query = html.unescape(found.group(1)) if found else f"page={deep}"
    pages = {
        f"topic page 1 ({longest.post_count:,} posts)": longest.get_absolute_url(),
        f"topic page {last_page} (last)": f"{longest.get_absolute_url()}?page={last_page}",
        f"category page 1 ({biggest.topic_count:,} topics)": category_url,
        "category page 200 (40k: 13, its last full page)": f"{category_url}?page={deep}",
        'the same, by "Next" from the page before': f"{category_url}?{next_query}",
        "the same, no marks (first view after a change)": f"{category_url}?page={deep}",
        "index": "/",
        "permalink (mid-topic, a redirect)": middle.get_absolute_url(),
    }
    results = {}
    with_marks = settings.FOLKMOOT
    for label, url in pages.items():
        # Without marks a numbered page skips the index entries before it, as the first
        # request for it after any change to the category does.
        no_marks = label.startswith("the same, no marks")
        settings.FOLKMOOT = {**with_marks, "LIST_MARK_SECONDS": 0} if no_marks else with_marks
        for _ in range(10):  # warm
            assert client.get(url).status_code in (200, 302)
        timings = []
        for _ in range(requests):
            started = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - started)
            assert response.status_code in (200, 302), (url, response.status_code)
        quantiles = statistics.quantiles(timings, n=100)
        results[label] = {"p50": quantiles[49] * 1000, "p95": quantiles[94] * 1000, "url": url}
    settings.FOLKMOOT = with_marks
    results["posts"] = Post.objects.count()
    return results


def interleaved(requests: int) -> dict:
    """In the child, on one data set: the category's page 1 and its deep page (numbered with
    marks, by "Next", and without marks as after a change), one request of each in turn, so
    that a loaded machine's drift weighs on all alike."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "folkmoot.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.test.utils import setup_test_environment

    from folkmoot.forums.models import Category

    setup_test_environment()
    with_marks = {**settings.FOLKMOOT, "PAGE_CACHE_SECONDS": 0}
    biggest = Category.objects.order_by("-topic_count", "pk").first()
    url = biggest.get_absolute_url()
    deep = max(1, min(200, biggest.topic_count // settings.FOLKMOOT["TOPICS_PER_PAGE"]))
    client = Client()
    settings.FOLKMOOT = with_marks
    found = re.search(r'rel="next" href="\?([^"]+)"', client.get(url, {"page": str(deep - 1)}).text)
    runs = {
        "category page 1": (url, with_marks),
        f"category page {deep}, marks": (f"{url}?page={deep}", with_marks),
        f'category page {deep}, by "Next"': (f"{url}?{html.unescape(found.group(1))}", with_marks),
        f"category page {deep}, no marks (OFFSET)": (
            f"{url}?page={deep}",
            {**with_marks, "LIST_MARK_SECONDS": 0},
        ),
    }
    timings: dict[str, list[float]] = {label: [] for label in runs}
    for round_number in range(requests + 10):
        for label, (address, folkmoot) in runs.items():
            settings.FOLKMOOT = folkmoot
            started = time.perf_counter()
            assert client.get(address).status_code == 200
            if round_number >= 10:  # the first ten warm up
                timings[label].append(time.perf_counter() - started)
    results = {}
    for label, values in timings.items():
        quantiles = statistics.quantiles(values, n=100)
        results[label] = {"p50": quantiles[49] * 1000, "p95": quantiles[94] * 1000}
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--topics", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=2, help="data sets alternate each round")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--interleaved",
        action="store_true",
        help="only the million's category pages, one request of each in turn (built data)",
    )
    args = parser.parse_args()
    if args.measure:
        run = interleaved if args.interleaved else measure
        print(json.dumps(run(args.requests)))
        return
    if args.interleaved:
        for name in ("40k", "1m"):
            output = subprocess.run(
                [sys.executable, __file__, "--measure", "--interleaved"]
                + ["--requests", str(args.requests)],
                env=data_env(name),
                check=True,
                capture_output=True,
                text=True,
                cwd=ROOT,
            ).stdout
            results = json.loads(output.strip().splitlines()[-1])
            first = next(iter(results.values()))["p50"]
            print(f"{name}, {args.requests} requests each, interleaved:")
            for label, result in results.items():
                print(
                    f"| {label} | {result['p50']:.1f} / {result['p95']:.1f} ms "
                    f"| {result['p50'] / first:.2f} |"
                )
        return

    # The demo's pages are smaller (a 2-topic category, a 35-post topic), so a 40,000-post forum
    # with the same 10,000-post topic and a 400-topic category is the like-for-like baseline:
    # the same page shapes at a 25th of the table size.
    datasets = {
        "demo": dict(posts=0, topics=0, long_topics="0"),
        "40k": dict(posts=40_000, topics=800, long_topics="10000"),
        "1m": dict(posts=args.posts, topics=args.topics, long_topics="10000,5000,5000,5000"),
    }
    rounds: dict[str, list[dict]] = {name: [] for name in datasets}
    for _ in range(args.rounds):
        for name, shape in datasets.items():
            env = build(name, **shape)
            output = subprocess.run(
                [sys.executable, __file__, "--measure", "--requests", str(args.requests)],
                env=env,
                check=True,
                capture_output=True,
                text=True,
                cwd=ROOT,
            ).stdout
            rounds[name].append(json.loads(output.strip().splitlines()[-1]))
    runs = {name: _median_of_rounds(results) for name, results in rounds.items()}
    print(
        ", ".join(f"{name}: {runs[name]['posts']:,} posts" for name in datasets)
        + f"; {args.requests} requests per page per round, median of {args.rounds} rounds"
    )
    print(
        "| page (on 1M) | demo p50 / p95 | 40k p50 / p95 | 1M p50 / p95 | 1M / 40k p50 "
        "| 1M / demo p50 |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    labels = [label for label in runs["1m"] if label != "posts"]
    for index, label in enumerate(labels):
        demo, small, big = (
            list(v for k, v in runs[name].items() if k != "posts")[index]
            for name in ("demo", "40k", "1m")
        )
        print(
            f"| {label} | {demo['p50']:.1f} / {demo['p95']:.1f} ms "
            f"| {small['p50']:.1f} / {small['p95']:.1f} ms "
            f"| {big['p50']:.1f} / {big['p95']:.1f} ms "
            f"| {big['p50'] / small['p50']:.2f} | {big['p50'] / demo['p50']:.2f} |"
        )


def _median_of_rounds(results: list[dict]) -> dict:
    merged = {"posts": results[0]["posts"]}
    for label in results[0]:
        if label != "posts":
            merged[label] = {
                stat: statistics.median(result[label][stat] for result in results)
                for stat in ("p50", "p95")
            }
    return merged


if __name__ == "__main__":
    main()
