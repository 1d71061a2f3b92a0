"""`folkmoot bench-data`: a large forum for benchmarks, written in bulk.

Rows go in through `executemany` in batches inside one transaction, with ids given up front so
every counter (a topic's post count, next number and latest post; a category's counts and latest
post; a member's post count) is computed in Python and written once, exactly as the services
would have left it. Each distinct body is cooked once, not once per row. The data adds to what
is there: new members, categories, topics and posts. Run it on a quiet database.
"""

import secrets
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from importlib import resources
from math import gcd

from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from folkmoot.accounts.models import User
from folkmoot.composer import previews
from folkmoot.composer.rendering import RENDERER_VERSION
from folkmoot.demo import SEED_REPLIES, SEED_TITLE
from folkmoot.discussions import page_cache
from folkmoot.discussions.models import Post, Topic
from folkmoot.forums.models import Category

DEFAULT_LONG_TOPICS = (10_000, 5_000, 5_000, 5_000)
BATCH = 5_000
# Spread over time so topics interleave in the category lists as they would in a real forum.
SECONDS_BETWEEN_POSTS = 7
FILLER = [
    "Agreed, and the timing matters more than the numbers here.",
    "Has anyone got a source that isn't the Observatory for this?",
    "I've been following this for a while; the pattern is familiar.",
    "Long post ahead.\n\nThe first thing to note is the geography: the field sits on the road "
    "east, and whoever holds it holds the supply line.\n\nThe second is the season.",
    "*Exactly.* That was my reading too.",
    "A list of what we know so far:\n\n- the field was taken on Thursday\n- the toll was revised"
    "\n- there is no independent confirmation yet",
]


@dataclass(frozen=True)
class Summary:
    members: int
    categories: int
    topics: int
    posts: int
    long_topic_ids: list[int]
    seed_topic_id: int


def topic_sizes(*, posts: int, topics: int, long_topics: tuple[int, ...]) -> tuple[list[int], int]:
    """Posts per topic, the long ones first, the rest shared with a little variation; and how
    many long ones there are."""
    if topics < 1 or posts < topics:
        raise ValueError("Need at least one topic and at least one post per topic.")
    long_sizes = [size for size in long_topics if size > 0][: topics - 1 or 1]
    # Long topics may take at most half the posts, each of the rest keeps at least one.
    while long_sizes and sum(long_sizes) > max(posts // 2, posts - (topics - len(long_sizes))):
        long_sizes.pop()
    others = topics - len(long_sizes)
    remaining = posts - sum(long_sizes)
    if others == 0:
        long_sizes[-1] += remaining
        return long_sizes, len(long_sizes)
    base, extra = divmod(remaining, others)
    sizes = [base + (1 if index < extra else 0) for index in range(others)]
    # Pairwise +d/-d keeps the total while topics differ in length.
    for index in range(0, others - 1, 2):
        swing = min(sizes[index + 1] - 1, index % 5)
        sizes[index] += swing
        sizes[index + 1] -= swing
    return long_sizes + sizes, len(long_sizes)


def _next_id(model) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {model._meta.db_table}")
        return cursor.fetchone()[0] + 1


def _insert(table: str, columns: list[str], rows: list[tuple]) -> None:
    placeholders = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})", rows
        )


class Progress:
    """A one-line progress bar on stderr, redrawn at most a hundred times."""

    def __init__(self, total: int, *, stream=None, width: int = 30):
        self.total, self.stream, self.width = total, stream or sys.stderr, width
        self.shown = -1

    def __call__(self, done: int) -> None:
        percent = done * 100 // max(self.total, 1)
        if percent == self.shown:
            return
        self.shown = percent
        filled = self.width * percent // 100
        bar = "#" * filled + "." * (self.width - filled)
        self.stream.write(f"\r[{bar}] {percent:3d}% {done:,}/{self.total:,} posts")
        if done >= self.total:
            self.stream.write("\n")
        self.stream.flush()


def generate(
    *,
    posts: int,
    topics: int,
    members: int,
    categories: int = 4,
    long_topics: tuple[int, ...] = DEFAULT_LONG_TOPICS,
    progress: Callable[[int], None] | None = None,
) -> Summary:
    if members < 1 or categories < 1:
        raise ValueError("Need at least one member and one category.")
    sizes, long_count = topic_sizes(posts=posts, topics=topics, long_topics=long_topics)
    progress = progress or (lambda done: None)
    article = resources.files("folkmoot").joinpath("demo_content/seed_article.md").read_text()
    bodies = [*SEED_REPLIES, *FILLER]
    # Cooked once per distinct body: rendering is the slow part of writing a post.
    cooked = [previews.cook(body) for body in bodies]
    article_cooked = previews.cook(article)
    run = secrets.token_hex(3)
    now = timezone.now()
    start = now - timedelta(seconds=SECONDS_BETWEEN_POSTS * (posts + 1))
    adapt_time = connection.ops.adapt_datetimefield_value

    with transaction.atomic():
        if connection.vendor == "sqlite":
            # One big transaction: let SQLite keep more of it in memory.
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size = -200000")
        first_member = _next_id(User)
        member_ids = list(range(first_member, first_member + members))
        member_posts = [0] * members

        first_category = _next_id(Category)
        category_ids = list(range(first_category, first_category + categories))
        category_topics = [0] * categories
        category_posts = [0] * categories
        category_last: list[tuple[int, int] | None] = [None] * categories  # (post id, tick)

        topic_rows, post_rows = [], []
        post_id = _next_id(Post)
        topic_id = first_topic = _next_id(Topic)
        done = 0
        # Posts are written topic by topic, but their times interleave across topics: post k
        # of the forum's n happens at a tick drawn from a stride through the whole period.
        stride = _coprime_stride(posts)
        for topic_index, size in enumerate(sizes):
            # Half the topics in the first category (deep category pages), the rest spread.
            if categories == 1 or topic_index % 2 == 0:
                category_index = 0
            else:
                category_index = 1 + (topic_index // 2) % (categories - 1)
            ticks = sorted((stride * (done + n)) % posts for n in range(size))
            author_of_topic = member_ids[(topic_index * 7919) % members]
            for number, post_tick in enumerate(ticks, start=1):
                if number == 1:
                    author_index = (topic_index * 7919) % members
                    body_index = -1 if topic_index == 0 else topic_index % len(bodies)
                else:
                    author_index = (done * 104_729 + number) % members
                    body_index = (done + number) % len(bodies)
                member_posts[author_index] += 1
                created = adapt_time(start + timedelta(seconds=SECONDS_BETWEEN_POSTS * post_tick))
                if number == 1:
                    first_created = created
                post_rows.append(
                    (
                        post_id,
                        topic_id,
                        number,
                        member_ids[author_index],
                        article if body_index == -1 else bodies[body_index],
                        article_cooked if body_index == -1 else cooked[body_index],
                        RENDERER_VERSION,
                        Post.Status.PUBLISHED.value,
                        created,
                    )
                )
                post_id += 1
            done += size
            last_post_id, last_tick = post_id - 1, ticks[-1]
            title = SEED_TITLE if topic_index == 0 else f"Bench topic {topic_index} ({size} posts)"
            topic_rows.append(
                (
                    topic_id,
                    category_ids[category_index],
                    title,
                    f"bench-topic-{topic_index}" if topic_index else "seed-article",
                    author_of_topic,
                    first_created,
                    False,
                    False,
                    False,
                    size,
                    last_post_id,
                    adapt_time(start + timedelta(seconds=SECONDS_BETWEEN_POSTS * last_tick)),
                    size + 1,
                )
            )
            category_topics[category_index] += 1
            category_posts[category_index] += size
            latest = category_last[category_index]
            if latest is None or last_tick > latest[1]:
                category_last[category_index] = (last_post_id, last_tick)
            topic_id += 1
            if len(post_rows) >= BATCH:
                _flush(topic_rows, post_rows)
                progress(done)
        _insert(
            User._meta.db_table,
            [
                "id",
                "password",
                "is_superuser",
                "username",
                "first_name",
                "last_name",
                "email",
                "is_staff",
                "is_active",
                "date_joined",
                "post_count",
            ],  # fmt: skip
            [
                (
                    member_id,
                    "!",  # an unusable password, as set_unusable_password() starts one
                    False,
                    f"bench-{run}-{index}",
                    "",
                    "",
                    f"bench-{run}-{index}@example.org",
                    False,
                    True,
                    adapt_time(start),
                    member_posts[index],
                )
                for index, member_id in enumerate(member_ids)
            ],
        )
        _insert(
            Category._meta.db_table,
            [
                "id",
                "name",
                "slug",
                "description",
                "position",
                "guest_policy",
                "moderate_new_members",
                "topic_count",
                "post_count",
                "last_post_id",
            ],  # fmt: skip
            [
                (
                    category_id,
                    f"Bench {run} {index + 1}",
                    f"bench-{run}-{index + 1}",
                    "Generated by folkmoot bench-data.",
                    1000 + index,
                    Category.GuestPolicy.NONE.value,
                    False,
                    category_topics[index],
                    category_posts[index],
                    category_last[index][0] if category_last[index] else None,
                )
                for index, category_id in enumerate(category_ids)
            ],
        )
        _flush(topic_rows, post_rows)
        progress(done)
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(
                no_style(), [User, Category, Topic, Post]
            ):
                cursor.execute(statement)
        # Cached pages (the index, the category lists) no longer show the forum as it is.
        transaction.on_commit(page_cache.bump_version)
    return Summary(
        members=members,
        categories=categories,
        topics=topics,
        posts=posts,
        long_topic_ids=list(range(first_topic, first_topic + long_count)),
        seed_topic_id=first_topic,
    )


TOPIC_COLUMNS = [
    "id", "category_id", "title", "slug", "author_id", "created_at", "is_pinned", "is_locked",
    "is_deleted", "post_count", "last_post_id", "last_posted_at", "next_number",
]  # fmt: skip
POST_COLUMNS = [
    "id", "topic_id", "number", "author_id", "body", "cooked", "renderer_version", "status",
    "created_at",
]  # fmt: skip


def _flush(topic_rows: list[tuple], post_rows: list[tuple]) -> None:
    """Write the batch. Foreign keys are checked at commit, so order within it is free."""
    if topic_rows:
        _insert(Topic._meta.db_table, TOPIC_COLUMNS, topic_rows)
    if post_rows:
        _insert(Post._meta.db_table, POST_COLUMNS, post_rows)
    topic_rows.clear()
    post_rows.clear()


def _coprime_stride(total: int) -> int:
    """A step through 0..total-1 that visits every value once (gcd(step, total) == 1)."""
    step = max(1, int(total * 0.618))
    while gcd(step, total) != 1:
        step += 1
    return step
