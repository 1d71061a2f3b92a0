"""Reads for pages: the bell, the notification list, follow buttons, followed content."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q

from folkmoot.compiled_queries import COUNT, CompiledAggregate, CompiledQuery
from folkmoot.discussions import queries as discussion_queries

from . import kinds
from .models import Follow, KindPreference, MemberSettings, Notification, TopicRead

LIST_SIZE = 50


def unread_count(member) -> int:
    """The bell's number. 1 query (a count over an index), only for signed-in members."""
    if not member.is_authenticated:
        return 0
    return _unread_count(member_id=member.pk)["__count"]


def _unread_of(member_id: int):
    return Notification.objects.filter(recipient=member_id, on_site=True, read_at__isnull=True)


# As QuerySet.count() asks it (compiled once; run on every call).
_unread_count = CompiledAggregate(lambda member_id: (_unread_of(member_id), COUNT))


def notification_list(member, *, limit: int = LIST_SIZE) -> list[Notification]:
    """The newest notifications, with their post, topic and actor: 1 query."""
    return list(
        Notification.objects.filter(recipient=member, on_site=True)
        .select_related("post", "topic", "actor")
        .order_by("-created_at", "-id")[:limit]
    )


@dataclass(frozen=True)
class FollowState:
    """What a follow button shows: the count, and this member's follow if any."""

    count: int
    mine: Follow | None


def follow_state(member, **target) -> FollowState:
    """1 query for the count; 1 more for a member's own follow (with its options)."""
    count = Follow.objects.filter(**target).count()
    mine = None
    if member.is_authenticated:
        mine = Follow.objects.filter(member=member, **target).first()
    return FollowState(count=count, mine=mine)


def topic_follow_state(member, topic) -> FollowState:
    """The topic page's button: 1 query (the count and the member's follow together)."""
    if not member.is_authenticated:
        return FollowState(count=0, mine=None)
    counts = _topic_follow_counts(topic_id=topic.pk, member_id=member.pk)
    mine = None
    if counts["mine"]:
        mine = Follow(member=member, topic=topic)  # the button needs only that it exists
    return FollowState(count=counts["count"], mine=mine)


def _topic_follows(topic_id: int, member_id: int):
    return Follow.objects.filter(topic=topic_id), {
        "count": Count("id"),
        "mine": Count("id", filter=Q(member=member_id)),
    }


_topic_follow_counts = CompiledAggregate(_topic_follows)


def member_follow_state(viewer, followed_member) -> FollowState:
    """A profile's button and count: 1 query (the follower count and the viewer's follow
    together), for guests too since the profile shows the count to everyone."""
    # A guest (pk None) matches no follow, so "mine" counts 0 for them.
    counts = Follow.objects.filter(followed_member=followed_member).aggregate(
        count=Count("id"), mine=Count("id", filter=Q(member_id=viewer.pk or 0))
    )
    mine = None
    if viewer.is_authenticated and counts["mine"]:
        mine = Follow(member=viewer, followed_member=followed_member)  # the button needs only that
    return FollowState(count=counts["count"], mine=mine)


@dataclass(frozen=True)
class Followers:
    visible: list
    anonymous: int


def followers_of(**target) -> Followers:
    """The follower list: named followers who chose to be seen, the rest counted. 2 queries."""
    follows = Follow.objects.filter(**target)
    visible = [
        follow.member for follow in follows.filter(is_public=True).select_related("member")[:200]
    ]
    anonymous = follows.filter(is_public=False).count()
    return Followers(visible=visible, anonymous=anonymous)


def followed_content(member) -> list[Follow]:
    """Everything the member follows, with its target: 1 query."""
    return list(
        Follow.objects.filter(member=member)
        .select_related("topic", "category", "followed_member")
        .order_by("-created_at", "-id")
    )


def follows_when_posting(member) -> bool:
    """Whether "Follow this topic" starts ticked on the member's forms: 1 query."""
    if not member.is_authenticated:
        return False
    found = _member_settings(member_id=member.pk)
    return found[0].follow_when_posting if found else True


# As .first() reads the row: ordered by its key, one row.
_member_settings = CompiledQuery(
    lambda member_id: MemberSettings.objects.filter(member=member_id).order_by("pk")[:1]
)


@dataclass(frozen=True)
class KindChoice:
    kind: str
    label: str
    on_site: bool
    by_email: bool


def kind_preferences(member) -> list[KindChoice]:
    """Each kind with the member's choice or its default: 1 query."""
    rows = {row.kind: row for row in KindPreference.objects.filter(member=member)}
    choices = []
    for kind, label in kinds.LABELS.items():
        row = rows.get(kind)
        default_email = kind in kinds.EMAILED_BY_DEFAULT or kind in kinds.FOLLOW_KINDS
        choices.append(
            KindChoice(
                kind=kind,
                label=label,
                on_site=row.on_site if row else True,
                by_email=row.by_email if row else default_email,
            )
        )
    return choices


# --- unread ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReadState:
    """How far one member has read some topics: the highest post number read in each, and the
    time before which everything counts as read ("Mark all read", else when they joined)."""

    marks: dict[int, int]
    all_read_at: datetime | None

    def last_read(self, topic_id: int) -> int:
        return self.marks.get(topic_id, 0)

    def is_unread(self, *, topic_id: int, last_number: int | None, last_posted_at) -> bool:
        if self.all_read_at is None or not last_number:
            return False
        return last_number > self.last_read(topic_id) and last_posted_at > self.all_read_at

    def unread_from(self, topic_id: int, posts) -> int | None:
        """The number of the first post among `posts` this member has not read, if any."""
        if self.all_read_at is None:
            return None
        mark = self.last_read(topic_id)
        for post in posts:
            if post.number > mark and post.created_at > self.all_read_at:
                return post.number
        return None


NOBODY = ReadState(marks={}, all_read_at=None)


def read_state(member, topic_ids) -> ReadState:
    """1 query, for members only: their marks for these topics and their "all read" row."""
    if not member.is_authenticated:
        return NOBODY
    ids = [pk for pk in topic_ids if pk is not None]
    marks: dict[int, int] = {}
    all_read_at = member.date_joined
    # A page about one topic (the topic page) asks in one shape, compiled once.
    rows = _one_topic_reads(topic_id=ids[0], member_id=member.pk) if len(ids) == 1 else None
    if rows is None:
        rows = _topic_reads(ids, member.pk)
    for topic_id, number, read_at in rows:
        if topic_id is None:
            all_read_at = read_at
        else:
            marks[topic_id] = number
    return ReadState(marks=marks, all_read_at=all_read_at)


def _topic_reads(topic_ids: list[int], member_id: int):
    return TopicRead.objects.filter(
        Q(topic_id__in=topic_ids) | Q(topic__isnull=True), member=member_id
    ).values_list("topic_id", "last_number", "read_at")


_one_topic_reads = CompiledQuery(lambda topic_id, member_id: _topic_reads([topic_id], member_id))


def unread_topic_ids(member, topics) -> set[int]:
    """Which of these topics (with `last_post` loaded) have posts the member has not read."""
    if not member.is_authenticated or not topics:
        return set()
    state = read_state(member, [topic.pk for topic in topics])
    return {
        topic.pk
        for topic in topics
        if topic.last_post is not None
        and state.is_unread(
            topic_id=topic.pk,
            last_number=topic.last_post.number,
            last_posted_at=topic.last_posted_at,
        )
    }


def unread_latest_category_ids(member, categories) -> set[int]:
    """The index: categories whose latest post (loaded with its topic) the member has not read."""
    latest = [c.last_post for c in categories if c.last_post is not None]
    if not member.is_authenticated or not latest:
        return set()
    state = read_state(member, [post.topic_id for post in latest])
    return {
        post.topic.category_id
        for post in latest
        if state.is_unread(
            topic_id=post.topic_id, last_number=post.number, last_posted_at=post.created_at
        )
    }


def _first_unread_post(topic, state: ReadState):
    """The first published post of the topic not read in `state`: 1 query."""
    if state.all_read_at is None:
        return None
    post = (
        topic.posts.published()
        .filter(number__gt=state.last_read(topic.pk), created_at__gt=state.all_read_at)
        .order_by("number")
        .only("pk", "number", "topic_id")
        .first()
    )
    if post is not None:
        post.topic = topic
    return post


def first_unread(member, topic) -> tuple:
    """The first published post of the topic the member has not read, and its page; or the
    last post when they have read everything. 3 queries: the read state, the post, its page."""
    state = read_state(member, [topic.pk])
    post = _first_unread_post(topic, state) or (
        topic.posts.published().order_by("-number").only("pk", "number", "topic_id").first()
    )
    if post is None:
        return None, 1
    post.topic = topic
    return post, discussion_queries.page_of_post(post)


def unread_further_on(topic, *, state: ReadState, shown, include_hidden: bool = False):
    """Where a member opening the topic's plain address resumes reading: the first post they
    have not read, and its page, when it is not among the posts `shown` (page 1). None, with
    no query, when they never read any of it (a first visit opens at the top), have read
    everything, or the first unread post is shown already; else 2 queries (the post, its
    page). `include_hidden`: the pages count hidden posts, as a moderator's do."""
    mark = state.last_read(topic.pk)
    if not mark or mark >= topic.next_number - 1 or state.unread_from(topic.pk, shown):
        return None
    post = _first_unread_post(topic, state)
    if post is None:
        return None
    page = discussion_queries.page_of_post(post, include_hidden=include_hidden)
    return (post, page) if page > 1 else None
