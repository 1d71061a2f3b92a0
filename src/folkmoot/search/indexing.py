"""Keeping the index in step with posts. The public API is `post_changed` and `topic_changed`:
call either after commit whenever a post or topic may have changed (published, edited, held,
deleted, approved, rejected, claimed, moved, renamed). Each reads the current state and
(re)indexes or removes accordingly, so calling it twice, or for a change that does not matter
to search, is harmless.

They run synchronously: one indexed post costs a few milliseconds (BENCHMARKS.md), less than
queueing a background task would. A failure is logged and never fails the request whose post
is already committed; `folkmoot manage reindex` repairs whatever was missed.
"""

import html
import logging
import re

from django.db import DatabaseError, transaction
from django.db.models import Exists, OuterRef

from folkmoot.composer.models import Attachment
from folkmoot.discussions.models import Post

from .backends import MARK_END, MARK_START
from .models import IndexedPost

logger = logging.getLogger(__name__)

TAG = re.compile(r"<[^>]*>")
SPACE = re.compile(r"\s+")


def plain_text(cooked: str) -> str:
    """The words of a post's sanitized HTML, without tags or our highlight marks."""
    text = html.unescape(TAG.sub(" ", cooked))
    return SPACE.sub(" ", text.replace(MARK_START, " ").replace(MARK_END, " ")).strip()


def searchable_posts():
    """Posts a reader could find: published, in a topic that is not deleted and whose opening
    post is published. The search query checks the same again."""
    return Post.objects.filter(
        status=Post.Status.PUBLISHED, topic__is_deleted=False, topic__post_count__gt=0
    )


def _entries(posts) -> list[IndexedPost]:
    rows = posts.annotate(
        attached=Exists(Attachment.objects.filter(post=OuterRef("pk")))
    ).values_list(
        "pk", "topic_id", "topic__category_id", "author_id", "created_at", "number",
        "topic__title", "cooked", "attached",
    )  # fmt: skip
    return [
        IndexedPost(
            post_id=pk,
            topic_id=topic_id,
            category_id=category_id,
            author_id=author_id,
            created_at=created_at,
            title=plain_text(title) if number == 1 else "",
            body=plain_text(cooked),
            has_attachments=attached,
        )
        for pk, topic_id, category_id, author_id, created_at, number, title, cooked, attached
        in rows
    ]  # fmt: skip


def write(post_ids) -> int:
    """Index these posts as they are now: searchable ones written, the others removed.
    Returns how many are in the index."""
    post_ids = list(post_ids)
    with transaction.atomic():
        entries = _entries(searchable_posts().filter(pk__in=post_ids))
        found = {entry.post_id for entry in entries}
        IndexedPost.objects.filter(pk__in=[pk for pk in post_ids if pk not in found]).delete()
        IndexedPost.objects.bulk_create(
            entries,
            update_conflicts=True,
            unique_fields=["post"],
            update_fields=[
                "topic", "category", "author", "created_at", "title", "body", "has_attachments"
            ],
        )  # fmt: skip
    return len(entries)


def _logged(action, *args) -> None:
    try:
        action(*args)
    except DatabaseError:
        logger.exception("Search index not updated (run `folkmoot manage reindex`)")


def post_changed(post_id: int) -> None:
    _logged(write, [post_id])


def _write_topic(topic_id: int) -> None:
    post_ids = Post.objects.filter(topic_id=topic_id).values_list("pk", flat=True)
    for start in range(0, len(post_ids), 1000):
        write(post_ids[start : start + 1000])


def topic_changed(topic_id: int) -> None:
    """A topic was renamed, moved, deleted or restored: every post of it, again."""
    _logged(_write_topic, topic_id)
