"""The lifecycle's transitions: each keeps every counter exact, happens once when asked twice,
and runs its consequences after commit only."""

import pathlib
import re

import pytest
from django.db import transaction

from folkmoot.discussions import lifecycle, page_cache, services
from folkmoot.discussions.models import Post, Topic
from tests.factories import CategoryFactory, MemberFactory, make_topic


def _counts(topic: Topic, *members) -> tuple:
    topic.refresh_from_db()
    topic.category.refresh_from_db()
    for member in members:
        member.refresh_from_db()
    return (
        topic.post_count,
        topic.category.topic_count,
        topic.category.post_count,
        *(member.post_count for member in members),
    )


def test_a_hidden_reply_restored_counts_again_under_its_old_number(db):
    author = MemberFactory()
    topic = make_topic(replies=2)
    reply = services.reply(topic=topic, author=author, body="Back again", enforce_limits=False)
    before = _counts(topic, author)
    with transaction.atomic():
        assert lifecycle.hide(reply, why=lifecycle.HideReason.DELETED).post
    assert _counts(topic, author) == (before[0] - 1, before[1], before[2] - 1, before[3] - 1)
    with transaction.atomic():
        assert lifecycle.restore(reply)
        assert not lifecycle.restore(reply)  # restored once
    assert _counts(topic, author) == before
    reply.refresh_from_db()
    assert (reply.status, reply.number) == (Post.Status.PUBLISHED, 4)


def test_restoring_a_topics_first_post_brings_the_topic_back_with_its_counts(db):
    author, replier = MemberFactory(), MemberFactory()
    category = CategoryFactory()
    topic = services.start_topic(category=category, author=author, title="Comes back", body="1")
    services.reply(topic=topic, author=replier, body="2", enforce_limits=False)
    before = _counts(topic, author, replier)
    opening = topic.posts.get(number=1)
    with transaction.atomic():
        assert lifecycle.hide(opening, why=lifecycle.HideReason.DELETED).topic
    assert _counts(topic, author, replier)[1:] == (0, 0, 0, 0)
    with transaction.atomic():
        assert lifecycle.restore(opening)
    assert _counts(topic, author, replier) == before
    assert not Topic.objects.get(pk=topic.pk).is_deleted


def test_hiding_twice_lowers_the_counters_once(db):
    author = MemberFactory()
    topic = make_topic()
    reply = services.reply(topic=topic, author=author, body="Once", enforce_limits=False)
    stale_copy = Post.objects.get(pk=reply.pk)  # what a second moderator's request loaded
    before = _counts(topic, author)
    with transaction.atomic():
        assert lifecycle.hide(reply, why=lifecycle.HideReason.DELETED).post
    with transaction.atomic():
        assert not lifecycle.hide(stale_copy, why=lifecycle.HideReason.DELETED).post
    assert _counts(topic, author) == (before[0] - 1, before[1], before[2] - 1, before[3] - 1)


def test_moving_a_topic_carries_its_counts_to_the_other_category(db):
    topic = make_topic(replies=3)
    origin, target = topic.category, CategoryFactory()
    with transaction.atomic():
        assert lifecycle.move_topic(topic, to=target)
        assert not lifecycle.move_topic(topic, to=target)
    origin.refresh_from_db()
    target.refresh_from_db()
    assert (origin.topic_count, origin.post_count, origin.last_post) == (0, 0, None)
    assert (target.topic_count, target.post_count) == (1, 4)
    assert target.last_post == topic.posts.get(number=4)


def test_locking_and_pinning_change_the_topic_once_and_show_on_cached_pages(
    db, django_capture_on_commit_callbacks
):
    topic = make_topic()
    key = page_cache.topic_version_key(topic.pk)
    pages = page_cache.pages_cache()
    pages.set(key, "before", timeout=None)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        assert lifecycle.lock_topic(topic, locked=True)
        assert not lifecycle.lock_topic(topic, locked=True)
        assert lifecycle.pin_topic(topic, pinned=True)
        assert pages.get(key) == "before"  # not before commit
    topic.refresh_from_db()
    assert topic.is_locked and topic.is_pinned
    assert pages.get(key) != "before"
    assert len(callbacks) == 4  # a new version and a search re-index, once per change
    assert not services.policy.can_reply(MemberFactory(), topic)


def test_a_change_rolled_back_has_no_consequences(db, django_capture_on_commit_callbacks):
    topic = make_topic()
    key = page_cache.topic_version_key(topic.pk)
    pages = page_cache.pages_cache()
    pages.set(key, "before", timeout=None)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        lifecycle.pin_topic(topic, pinned=True)
        raise RuntimeError("the request failed after the change")
    assert callbacks == []
    assert pages.get(key) == "before"
    assert not Topic.objects.get(pk=topic.pk).is_pinned


def test_transitions_refuse_to_run_outside_a_transaction(transactional_db):
    with pytest.raises(RuntimeError):
        lifecycle.pin_topic(make_topic(), pinned=True)


def test_only_the_lifecycle_saves_posts_topics_and_queued_posts():
    """Other modules call the lifecycle: no save(), update() or delete() of these models."""
    source = pathlib.Path(lifecycle.__file__).parents[1]
    writes = re.compile(
        r"\b(Post|Topic|QueuedPost)\.objects\b[^\n]*\.(update|delete|create|bulk_create)\("
        r"|\b(post|topic|entry|opening_post)\.(save|delete)\("
    )
    offenders = [
        f"{path.relative_to(source)}:{number}"
        for path in source.rglob("*.py")
        if "migrations" not in path.parts and path.name != "lifecycle.py"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if writes.search(line)
    ]
    assert offenders == []
