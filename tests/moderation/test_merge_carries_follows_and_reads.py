"""Merging a topic into another carries its followers and what each member read: followers of
the merged-away topic follow the merged one with their own choices (who followed both keeps
the one they had there), and read marks stay true after the posts are numbered again (all of
both read is all read; no post a member had not read counts as read). In the merge's
transaction, in a fixed number of queries whatever the number of members."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from folkmoot.accounts.models import User
from folkmoot.discussions import services
from folkmoot.notifications import queries as notification_queries
from folkmoot.notifications import services as notifications
from folkmoot.notifications.models import Delivery, Follow, TopicRead
from tests.factories import MemberFactory
from tests.moderation.test_merge_split_move import dated_topic


@pytest.fixture
def topics(category):
    """Source posts at minutes 0, 10, 20 and target posts at 5, 15: merged, they read
    S1 T1 S2 T2 S3 (numbers 1..5)."""
    return dated_topic(category, "Source", [0, 10, 20]), dated_topic(category, "Target", [5, 15])


def read(member, topic, number: int) -> None:
    notifications.read_topic(member=member, topic=topic, number=number)


def merge(source, target, moderator) -> None:
    assert services.merge_topics(source=source, into=target, actor=moderator)


def mark(member, topic) -> int | None:
    row = TopicRead.objects.filter(member=member, topic=topic).first()
    return row.last_number if row else None


def test_read_marks_keep_every_unread_post_unread_after_the_merge(people, topics):
    source, target = topics
    readers = {
        # (read in source, read in target): their mark in the merged topic
        (3, 2): 5,  # everything read: everything still read
        (3, 1): 3,  # T2 (now 4) unread
        (1, 2): 2,  # S2 (now 3) unread
        (2, 1): 3,  # S3 (now 5) and T2 (now 4) unread
        (3, None): 1,  # never opened the target: T1 (now 2) unread
        (None, 2): 0,  # never opened the source: S1 (now 1) unread
        (0, 0): 0,
    }
    members = {}
    for (in_source, in_target), expected in readers.items():
        member = MemberFactory()
        if in_source is not None:
            read(member, source, in_source)
        if in_target is not None:
            read(member, target, in_target)
        members[member] = expected

    merge(source, target, people["category_moderator"])

    assert not TopicRead.objects.filter(topic=source).exists()
    target.refresh_from_db()
    assert target.next_number == 6
    for member, expected in members.items():
        assert mark(member, target) == expected, member
    everything_read = next(member for member, expected in members.items() if expected == 5)
    state = notification_queries.read_state(everything_read, [target.pk])
    assert state.unread_from(target.pk, target.posts.order_by("number")) is None


def test_followers_of_the_merged_topic_follow_the_target_with_their_choices(people, topics):
    source, target = topics
    quiet = MemberFactory()
    notifications.follow(member=quiet, topic=source, delivery=Delivery.DAILY, is_public=False)
    both = MemberFactory()
    notifications.follow(member=both, topic=source, delivery=Delivery.EMAIL)
    notifications.follow(member=both, topic=target, delivery=Delivery.SITE)
    loyal = MemberFactory()
    notifications.follow(member=loyal, topic=target, delivery=Delivery.WEEKLY, is_public=False)
    followers = set(Follow.objects.filter(topic__in=[source, target]).values_list("member_id"))

    merge(source, target, people["category_moderator"])

    assert not Follow.objects.filter(topic=source).exists()
    assert Follow.objects.filter(topic=target).count() == len(followers)
    kept = {
        member: Follow.objects.get(topic=target, member=member) for member in (quiet, both, loyal)
    }
    assert (kept[quiet].delivery, kept[quiet].is_public) == (Delivery.DAILY, False)
    assert (kept[both].delivery, kept[both].is_public) == (Delivery.SITE, True)
    assert (kept[loyal].delivery, kept[loyal].is_public) == (Delivery.WEEKLY, False)
    shown = notification_queries.followers_of(topic=target)
    assert quiet not in shown.visible and loyal not in shown.visible and both in shown.visible
    assert shown.anonymous == 2
    assert notification_queries.topic_follow_state(quiet, target).count == len(followers)


def queries_to_merge(category, moderator, *, members: int) -> int:
    source = dated_topic(category, f"Source {members}", [0, 10, 20])
    target = dated_topic(category, f"Target {members}", [5, 15])
    for index in range(members):
        member = MemberFactory()
        notifications.follow(member=member, topic=source if index % 2 else target)
        if index % 3:
            notifications.follow(member=member, topic=target)
        read(member, source, index % 4)
        if index % 3:
            read(member, target, index % 3)
    moderator = User.objects.get(pk=moderator.pk)  # what it moderates not yet looked up
    with CaptureQueriesContext(connection) as captured:
        merge(source, target, moderator)
    return len(captured.captured_queries)


def test_merging_costs_the_same_queries_for_three_members_or_thirty(people, category):
    moderator = people["category_moderator"]
    few = queries_to_merge(category, moderator, members=3)
    many = queries_to_merge(category, moderator, members=30)
    assert few == many
