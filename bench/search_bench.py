"""Full-text search at scale: bulk-generate posts, time a full reindex, time 20 queries.

    uv run python bench/search_bench.py --posts 1000000                      # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/folkmoot_bench \\
        uv run python bench/search_bench.py --posts 1000000                  # PostgreSQL

The generator writes users, categories, topics (20 posts each) and posts with raw bulk inserts
(executemany on SQLite, COPY on PostgreSQL): text drawn from a Zipf-like vocabulary of made-up
words plus some English ones, 1% of posts pending, 1% deleted, 0.5% of topics deleted. It
skips generation when the database already holds that many posts (rerun for queries only).
Each query goes through the results page's own read (search/queries.py: count, page of hits
with passages, the posts with topic, category and author), 1 warm-up then --runs timed runs.
"""

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "folkmoot.settings")
if "DATABASE_URL" not in os.environ:
    os.environ.setdefault("FOLKMOOT_DATA_DIR", tempfile.mkdtemp(prefix="folkmoot-search-bench-"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from folkmoot.discussions.models import Post  # noqa: E402
from folkmoot.search import indexing  # noqa: E402
from folkmoot.search.backends import Filters, engine  # noqa: E402
from folkmoot.search.queries import results_page  # noqa: E402
from folkmoot.search.syntax import parse  # noqa: E402

ENGLISH = [
    "garden",
    "gardening",
    "gardens",
    "tomato",
    "tomatoes",
    "compost",
    "soil",
    "seed",
    "seeds",
    "planting",
    "plant",
    "plants",
    "water",
    "watering",
    "rain",
    "sun",
    "summer",
    "winter",
    "spring",
    "autumn",
    "bread",
    "baking",
    "sourdough",
    "flour",
    "oven",
    "recipe",
    "recipes",
    "kitchen",
    "cooking",
    "cook",
    "bicycle",
    "bicycles",
    "wheel",
    "wheels",
    "chain",
    "brake",
    "brakes",
    "repair",
    "repairing",
    "tools",
    "hammer",
    "wood",
    "woodworking",
    "chair",
    "table",
    "music",
    "guitar",
    "piano",
    "violin",
    "concert",
    "song",
    "songs",
    "singing",
    "running",
    "runner",
    "runs",
    "race",
    "marathon",
    "training",
    "shoes",
    "hiking",
    "mountain",
    "trail",
    "trails",
    "map",
    "camera",
    "photography",
    "photographs",
    "lens",
    "light",
    "café",
    "zürich",
    "naïve",
    "résumé",
    "election",
    "council",
    "meeting",
    "budget",
    "library",
    "school",
    "teacher",
    "students",
    "book",
    "books",
]
SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "nu",
    "pe",
    "ra",
    "si",
    "to",
    "ve",
    "zu",
    "ba",
    "de",
    "fi",
    "go",
    "hu",
    "ja",
    "ke",
    "li",
    "mo",
    "ny",
]
POSTS_PER_TOPIC = 20
# Chosen by how many of the 1,000,000 posts hold the word (counted on the generated data).
QUERIES = [
    ("word in 94% of posts", "kitchen", {}),
    ("made-up word in 44%", "babadeba", {}),
    ("word in 2.8%", "bicycle", {}),
    ("word in 1%", "piano", {}),
    ("word in 0.1%", "garden", {}),
    ("word in 0.05%", "marathon", {}),
    ("common + frequent", "kitchen piano", {}),
    ("two frequent words", "bicycle brake", {}),
    ("phrase", '"kitchen baba"', {}),
    ("rare phrase", '"bicycle brakes"', {}),
    ("prefix", "photograph*", {}),
    ("prefix of 100s of words", "bab*", {}),
    ("exclusion", "bicycle -kitchen", {}),
    ("stemmed", "running", {}),
    ("accents", "cafe", {}),
    ("titles only", "piano", {"titles_only": True}),
    ("in a category", "bicycle", {"category": True}),
    ("by an author", "kitchen", {"author": True}),
    ("newest first", "kitchen", {"newest": True}),
    ("newest first, rarer", "marathon", {"newest": True}),
]
# Date ranges, timed apart from the 20 above (which they were not part of when first measured).
DATED_QUERIES = [
    ("last 90 days", "bicycle", {"since_days": 90}),
    ("last year", "kitchen", {"since_days": 365}),
    ("up to two years ago", "kitchen", {"until_days": 730}),
    ("one year, two years ago", "marathon", {"since_days": 730, "until_days": 365}),
    ("up to two years ago", "bicycle", {"until_days": 730}),
    ("up to two years ago, an author", "kitchen", {"until_days": 730, "author": True}),
]


def vocabulary(rng: random.Random) -> list[str]:
    made_up = {
        "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(30_000)
    }
    words = sorted(made_up)[:20_000]
    english = list(ENGLISH)
    rng.shuffle(english)
    # English words spread through the ranks (1st, 151st, 301st...): some common, some rare.
    for index, word in enumerate(english):
        words.insert(index * 150, word)
    return words


def sentences(rng: random.Random, words: list[str], count: int) -> list[str]:
    weights = [1 / (rank + 1) for rank in range(len(words))]
    cumulative, total = [], 0.0
    for weight in weights:
        total += weight
        cumulative.append(total)
    return [
        " ".join(rng.choices(words, cum_weights=cumulative, k=rng.randint(6, 14))).capitalize()
        + "."
        for _ in range(count)
    ]


def generate(post_total: int) -> None:
    rng = random.Random(11)
    words = vocabulary(rng)
    pool = sentences(rng, words, 200_000)
    titles = sentences(rng, words[:3000], 50_000)
    now = datetime.now(UTC)
    topics = post_total // POSTS_PER_TOPIC
    vendor = connection.vendor
    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        users = [
            (f"!{n}", f"bench{n}", "", "", f"bench{n}@example.org", False, False, True, now, 0)
            for n in range(1, 2001)
        ]
        _insert(
            cursor,
            "accounts_user",
            "password username first_name last_name email is_superuser is_staff is_active "
            "date_joined post_count",
            users,
        )
        cursor.execute("SELECT min(id) FROM accounts_user WHERE username LIKE 'bench%%'")
        first_user = cursor.fetchone()[0]
        categories = [
            (f"Category {n}", f"category-{n}", "", n, "register_later", False, 0, 0)
            for n in range(12)
        ]
        _insert(
            cursor,
            "forums_category",
            "name slug description position guest_policy moderate_new_members topic_count "
            "post_count",
            categories,
        )
        cursor.execute("SELECT min(id) FROM forums_category")
        first_category = cursor.fetchone()[0]
        span = timedelta(days=3 * 365).total_seconds()
        topic_rows, post_rows, post_id = [], [], 0
        for topic_id in range(1, topics + 1):
            created = now - timedelta(seconds=span * (1 - topic_id / topics))
            title = titles[topic_id % len(titles)][:-1]
            deleted = rng.random() < 0.005
            topic_rows.append(
                (topic_id, first_category + topic_id % 12, title, f"t{topic_id}",
                 first_user + rng.randrange(2000), created, False, False, deleted,
                 POSTS_PER_TOPIC, created, POSTS_PER_TOPIC + 1)
            )  # fmt: skip
            for number in range(1, POSTS_PER_TOPIC + 1):
                post_id += 1
                body = " ".join(rng.choices(pool, k=rng.randint(2, 7)))
                roll = rng.random()
                status = "pending" if roll < 0.01 else "deleted" if roll < 0.02 else "published"
                if number == 1:
                    status = "published"
                post_rows.append(
                    (post_id, topic_id, number if status != "pending" else None,
                     first_user + rng.randrange(2000), body, f"<p>{body}</p>", 1, status,
                     created + timedelta(minutes=number))
                )  # fmt: skip
            if len(post_rows) >= 50_000:
                _flush(cursor, topic_rows, post_rows)
                print(f"\r  generated {post_id:,} posts", end="", flush=True)
        _flush(cursor, topic_rows, post_rows)
        if vendor == "postgresql":
            for table in ("discussions_topic", "discussions_post"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
    print(f"\r  generated {post_id:,} posts in {time.monotonic() - started:.0f} s")


def _flush(cursor, topic_rows, post_rows) -> None:
    _insert(
        cursor,
        "discussions_topic",
        "id category_id title slug author_id created_at is_pinned is_locked is_deleted "
        "post_count last_posted_at next_number",
        topic_rows,
    )
    _insert(
        cursor,
        "discussions_post",
        "id topic_id number author_id body cooked renderer_version status created_at",
        post_rows,
    )
    topic_rows.clear()
    post_rows.clear()


def _insert(cursor, table: str, columns: str, rows: list[tuple]) -> None:
    names = columns.split()
    if connection.vendor == "postgresql":
        raw = cursor.cursor
        with raw.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        placeholders = ", ".join(["%s"] * len(names))
        cursor.executemany(
            f"INSERT INTO {table} ({', '.join(names)}) VALUES ({placeholders})", rows
        )


def index_in_bulk() -> None:
    """The index rows straight from the generated posts, in one INSERT ... SELECT (the
    generator's bodies are plain words, so they are their own searchable text): what
    `reindex` writes, without its Python loop. For iterating on queries, not for timing
    a reindex."""
    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM search_indexedpost")
        cursor.execute(
            "INSERT INTO search_indexedpost (post_id, topic_id, category_id, author_id, "
            "created_at, title, body, has_attachments) "
            "SELECT p.id, p.topic_id, t.category_id, p.author_id, p.created_at, "
            "CASE WHEN p.number = 1 THEN t.title ELSE '' END, p.body, %s "
            "FROM discussions_post p JOIN discussions_topic t ON t.id = p.topic_id "
            "WHERE p.status = 'published' AND t.is_deleted = %s AND t.post_count > 0",
            [False, False],
        )
    engine().optimize()
    print(f"Index written in bulk: {time.monotonic() - started:.1f} s")


def work_done(run) -> str:
    """What one search reads, whatever the machine's load: on PostgreSQL the rows its scans
    read (returned, filtered out or rechecked by a lossy bitmap, every loop) and the buffers
    it touched, from EXPLAIN (ANALYZE, BUFFERS) of the search's query; on SQLite the virtual
    machine instructions it ran (each row an FTS5 or table cursor visits costs a few),
    counted by a progress handler."""
    if connection.vendor == "sqlite":
        steps = [0]

        def count() -> int:
            steps[0] += 1
            return 0

        connection.connection.set_progress_handler(count, 1000)
        try:
            run()
        finally:
            connection.connection.set_progress_handler(None, 1000)
        return f"{steps[0]:,}k instructions"
    captured = []

    def capture(execute, sql, params, many, context):
        captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        run()
    sql, params = captured[0]  # the full-text query (queries.results_page)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
        plan = (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]
    rows = 0
    nodes = [plan]
    while nodes:
        node = nodes.pop()
        nodes.extend(node.get("Plans", []))
        # Bitmap Index Scans hand TIDs to their heap scan, which counts the rows it reads
        # (BRIN's "rows" are 10 per block range, not rows).
        skipped = ("CTE Scan", "Subquery Scan", "Bitmap Index Scan")
        if "Scan" in node["Node Type"] and node["Node Type"] not in skipped:
            read = (
                node["Actual Rows"]
                + node.get("Rows Removed by Filter", 0)
                + node.get("Rows Removed by Index Recheck", 0)
            )
            rows += read * node["Actual Loops"]
    buffers = plan["Shared Hit Blocks"] + plan["Shared Read Blocks"]
    return f"{rows:,} rows, {buffers:,} buffers"


def time_queries(queries, filter_ids: dict, args) -> list[float]:
    """Each query through the results page's own read: 1 warm-up, then args.runs timed runs;
    prints a table, returns every timing."""
    now = datetime.now(UTC)
    samples, rows = [], []
    for label, text, options in queries:
        filters = Filters(
            titles_only=options.get("titles_only", False),
            category_ids=(filter_ids["category"],) if options.get("category") else None,
            author_id=filter_ids["author"] if options.get("author") else None,
            since=now - timedelta(days=options["since_days"]) if "since_days" in options else None,
            until=now - timedelta(days=options["until_days"]) if "until_days" in options else None,
        )
        query, newest = parse(text), options.get("newest", False)

        def search(query=query, filters=filters, newest=newest):
            return results_page(query=query, filters=filters, viewer=None, newest=newest, page=None)

        times = []
        for run in range(args.runs + 1):
            started = time.perf_counter()
            page = search()
            if run:
                times.append((time.perf_counter() - started) * 1000)
        samples.extend(times)
        work = work_done(search) if args.work else ""
        shown = f"{page.total:,}+" if page.capped else f"{page.total:,}"
        rows.append((label, text, shown, statistics.median(times), max(times), work))
    print(
        "\n| query | text | matches | median ms | max ms | work |\n"
        "| --- | --- | ---: | ---: | ---: | ---: |"
    )
    for label, text, shown, median, worst, work in rows:
        print(f"| {label} | `{text}` | {shown} | {median:.1f} | {worst:.1f} | {work} |")
    return samples


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-reindex", action="store_true")
    parser.add_argument(
        "--bulk-index", action="store_true", help="write the index with SQL, not `reindex`"
    )
    parser.add_argument(
        "--work", action="store_true", help="also count what each query reads (work_done)"
    )
    args = parser.parse_args()
    print(f"Database: {connection.vendor} ({connection.settings_dict['NAME']})")
    call_command("migrate", verbosity=0)
    if Post.objects.count() < args.posts:
        generate(args.posts)
    if args.bulk_index:
        index_in_bulk()
    elif not args.skip_reindex:
        started = time.monotonic()
        call_command("reindex", "--restart", "--batch", "5000", stdout=StringIO())
        print(f"Full reindex: {time.monotonic() - started:.1f} s")
    size = engine().index_size()
    print(f"Posts: {Post.objects.count():,}; index size: {size / 2**20:,.0f} MiB")

    cursor = connection.cursor()
    cursor.execute("SELECT min(id) FROM forums_category")
    category_id = cursor.fetchone()[0]
    cursor.execute("SELECT id FROM accounts_user WHERE username = 'bench7'")
    author_id = cursor.fetchone()[0]
    filter_ids = {"category": category_id, "author": author_id}
    samples = time_queries(QUERIES, filter_ids, args)
    print(
        f"\nAll {len(samples)} timed searches: p50 {percentile(samples, 0.5):.1f} ms, "
        f"p95 {percentile(samples, 0.95):.1f} ms"
    )
    print("\nDate ranges (not in the p50/p95 above):")
    time_queries(DATED_QUERIES, filter_ids, args)
    # What an edit or a new post costs the request: post_changed, run after commit.
    post_ids = list(Post.objects.filter(status="published").values_list("pk", flat=True)[:200])
    costs = []
    for post_id in post_ids:
        started = time.perf_counter()
        indexing.post_changed(post_id)
        costs.append((time.perf_counter() - started) * 1000)
    print(
        f"post_changed (re-index one post, in its own transaction): "
        f"p50 {percentile(costs, 0.5):.1f} ms, p95 {percentile(costs, 0.95):.1f} ms"
    )


if __name__ == "__main__":
    main()
