"""The one owner of a post's and a topic's state. Nothing else saves a Post, Topic or QueuedPost.

Transitions of a post:

    submit ──▶ pending ──(hold: QueuedPost)──▶ approve ──▶ published ◀──▶ hidden
       │          │                                          ▲   restore ┘  ▲
       │          └── assign_author (a guest's claim) ──▶ hold or publish  │
       └──────────────────────────────▶ publish ─────────────┘   hide ──────┘

    edit       a new body (the old one kept as a revision), re-rendered
    redraw     the same body re-rendered (previews fetched, a newer renderer)
    react      a member's reaction set, changed or taken back; the post's counts with it
    recommend  a moderator's recommendation given or removed; the topic's count with it

and of a topic: lock, pin, move, rename (hiding its first post hides the topic), and
between topics: merge (every post of one into another, interleaved by time), split (chosen
posts into a new topic) and move posts (chosen posts into another topic). Those renumber:
a post's permalink is its id (/p/<id>/), so every link to it still lands.

Rules every transition keeps:
- Bodies are rendered before the transaction (`render`): rendering hostile Markdown can take
  long, and on SQLite a transaction holds the database's one write lock.
- A transition locks the rows it changes, reads their state again under the lock, and acts
  only from the state it expects: run twice at once, it happens once.
- Counters on topic, category and member change in the same transaction as the post.
- What follows a change (page cache, previews, emails) is in events.py, never here.

Callers hold the transaction (`transaction.atomic`); every function here expects one.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Count, F, Max, Subquery
from django.utils import timezone
from django.utils.text import slugify

from folkmoot.accounts.models import User
from folkmoot.composer import previews
from folkmoot.composer.rendering import RENDERER_VERSION
from folkmoot.forums.models import Category
from folkmoot.moderation.models import QueuedPost
from folkmoot.moderation.policy import hold_reason
from folkmoot.notifications import services as notifications

from . import events
from .events import PostChange, ReactionChange, RecommendationChange, TopicChange
from .models import Post, PostRevision, Reaction, Recommendation, Topic


@dataclass(frozen=True)
class Rendered:
    """A body and its cooked HTML, rendered outside any transaction."""

    body: str
    cooked: str
    renderer_version: int
    # What the body embeds and shows, so nothing parses it again to decide on fetching.
    embed_urls: tuple[str, ...] = ()
    image_urls: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()  # usernames of the members it @mentions


def render(body: str) -> Rendered:
    cooked = previews.cook_once(body)
    return Rendered(
        body=body,
        cooked=cooked.html,
        renderer_version=RENDERER_VERSION,
        embed_urls=cooked.embed_urls,
        image_urls=cooked.image_urls,
        mentions=cooked.mentions,
    )


def _assert_in_transaction() -> None:
    if transaction.get_autocommit():
        raise RuntimeError("lifecycle transitions run inside the caller's transaction")


def _locked_topic(topic_id: int) -> Topic:
    return Topic.objects.select_for_update().get(pk=topic_id)


def _locked_post(post_id: int) -> Post | None:
    return Post.objects.select_for_update().filter(pk=post_id).first()


def _locked_topic_and_post(post: Post) -> tuple[Topic, Post | None]:
    """The post's topic and the post, both locked. A post that a merge or a split moved to
    another topic while this waited for the lock is followed there."""
    topic = _locked_topic(post.topic_id)
    locked = _locked_post(post.pk)
    while locked is not None and locked.topic_id != topic.pk:
        topic = _locked_topic(locked.topic_id)
        locked = _locked_post(post.pk)
    if post.topic_id != topic.pk:
        post.topic = topic
    return topic, locked


def _refresh(post: Post, locked: Post) -> Post:
    """Copy the locked row's state onto the caller's instance, so it sees what happened."""
    for name in (
        "status",
        "number",
        "author_id",
        "created_at",
        "body",
        "cooked",
        "edited_at",
        "hidden_as",
        "hidden_note",
    ):
        setattr(post, name, getattr(locked, name))
    return post


# --- topics -------------------------------------------------------------------------------


def create_topic(*, category: Category, author: User | None, title: str) -> Topic:
    """A topic, empty until its first post is published (a held first post keeps it hidden).
    A guest's topic has no author until the owner of its address publishes it."""
    _assert_in_transaction()
    return Topic.objects.create(
        category=category,
        title=title,
        slug=slugify(title, allow_unicode=True)[:200] or "topic",
        author=author,
    )


def lock_topic(topic: Topic, *, locked: bool) -> bool:
    """Returns whether it changed."""
    return _set_topic_flag(topic, is_locked=locked)


def pin_topic(topic: Topic, *, pinned: bool) -> bool:
    return _set_topic_flag(topic, is_pinned=pinned)


def _set_topic_flag(topic: Topic, **flag: bool) -> bool:
    _assert_in_transaction()
    [(name, value)] = flag.items()
    changed = Topic.objects.filter(pk=topic.pk).exclude(**flag).update(**flag)
    setattr(topic, name, value)
    if changed:
        events.topic_changed(TopicChange(topic=topic))
    return bool(changed)


def rename_topic(topic: Topic, *, title: str) -> bool:
    _assert_in_transaction()
    slug = slugify(title, allow_unicode=True)[:200] or "topic"
    changed = Topic.objects.filter(pk=topic.pk).exclude(title=title).update(title=title, slug=slug)
    topic.title, topic.slug = title, slug
    if changed:
        events.topic_changed(TopicChange(topic=topic))
    return bool(changed)


def move_topic(topic: Topic, *, to: Category) -> bool:
    """Move a topic to another category, carrying its counts from one category to the other."""
    _assert_in_transaction()
    locked = _locked_topic(topic.pk)
    if locked.category_id == to.pk:
        return False
    origin_id = locked.category_id
    Topic.objects.filter(pk=locked.pk).update(category=to)
    topic.category, topic.category_id = to, to.pk
    if not locked.is_deleted and locked.post_count:
        Category.objects.filter(pk=origin_id).update(
            topic_count=F("topic_count") - 1,
            post_count=F("post_count") - locked.post_count,
            last_post=_latest_in_category(origin_id),
        )
        Category.objects.filter(pk=to.pk).update(
            topic_count=F("topic_count") + 1,
            post_count=F("post_count") + locked.post_count,
            last_post=_latest_in_category(to.pk),
        )
    events.topic_changed(TopicChange(topic=topic, moved_from=origin_id))
    return True


# --- posts --------------------------------------------------------------------------------


def submit(
    *,
    topic: Topic,
    author: User | None,
    rendered: Rendered,
    ip_address: str | None,
    at: datetime | None = None,
) -> Post:
    """A new post. A member's is published, or held for a moderator where the category holds
    their posts (one decision: `hold_or_publish`). A guest's (no author) waits as pending for
    the owner of its address to claim it (`assign_author`)."""
    _assert_in_transaction()
    post = Post.objects.create(
        topic=topic,
        author=author,
        body=rendered.body,
        cooked=rendered.cooked,
        renderer_version=rendered.renderer_version,
        status=Post.Status.PENDING,
        ip_address=ip_address,
        created_at=at or timezone.now(),
    )
    if author is None:
        return post
    return hold_or_publish(post, guest=False, rendered=rendered)


def guest_post_waits(post: Post, *, guest) -> None:
    """A guest's pending post now has its guest record: the guest is told how to publish it."""
    events.post_submitted(PostChange(post=post, guest=guest))


def hold_or_publish(post: Post, *, guest: bool, rendered: Rendered | None = None) -> Post:
    """The one decision: hold the post for a moderator where its category says so, or publish
    it now. `guest` says it was written as a guest (moderated categories hold those)."""
    reason = hold_reason(author=post.author, category=post.topic.category, guest=guest)
    if reason:
        QueuedPost.objects.get_or_create(post=post, defaults={"reason": reason})
        events.post_submitted(PostChange(post=post))
        return post
    return publish(post, author=post.author, at=post.created_at, rendered=rendered)


def publish(
    post: Post,
    *,
    author: User | None,
    at: datetime,
    origin: str = "",
    approved: bool = False,
    rendered: Rendered | None = None,
) -> Post:
    """Number a pending post and count it, under the topic's lock so two posts never take the
    same number. Posts held back (guests, moderation) are numbered here too, at publication."""
    _assert_in_transaction()
    topic, locked = _locked_topic_and_post(post)
    if locked is None or locked.status != Post.Status.PENDING:
        return _refresh(post, locked) if locked else post
    while topic.merged_into_id:
        # Its topic was merged while it was being written: it goes where the topic went.
        topic = _locked_topic(topic.merged_into_id)
        Post.objects.filter(pk=post.pk).update(topic=topic)
        post.topic = topic
    # A deleted topic's posts count nowhere but in the topic (see hide); a moderator may still
    # reply there, or approve a post that was held when it was deleted.
    counted = not topic.is_deleted
    if counted and topic.post_count == 0:
        # A topic counts in its category from its first published post.
        Category.objects.filter(pk=topic.category_id).update(topic_count=F("topic_count") + 1)
    post.number = topic.next_number
    post.status = Post.Status.PUBLISHED
    post.author = author
    post.created_at = at
    post.save(update_fields=["number", "status", "created_at", "author"])
    Topic.objects.filter(pk=topic.pk).update(
        next_number=F("next_number") + 1,
        post_count=F("post_count") + 1,
        last_post=post,
        last_posted_at=post.created_at,
    )
    if counted:
        Category.objects.filter(pk=topic.category_id).update(
            post_count=F("post_count") + 1, last_post=post
        )
        if post.author_id:
            User.objects.filter(pk=post.author_id).update(post_count=F("post_count") + 1)
    events.post_published(
        PostChange(post=post, origin=origin, approved=approved, rendered=rendered)
    )
    return post


def approve(post: Post, *, origin: str = "") -> bool:
    """Publish a post held for a moderator. Returns False when someone decided first."""
    _assert_in_transaction()
    entry = QueuedPost.objects.select_for_update().filter(post_id=post.pk).first()
    if entry is None:
        return False
    entry.delete()
    publish(post, author=post.author, at=timezone.now(), origin=origin, approved=True)
    return True


def assign_author(post: Post, *, author: User, at: datetime) -> Post:
    """A guest's post claimed by the owner of its address: it becomes theirs, dated now, and is
    held or published like any post of theirs written as a guest."""
    _assert_in_transaction()
    locked = _locked_post(post.pk)
    if locked is None or locked.status != Post.Status.PENDING or locked.author_id is not None:
        return _refresh(post, locked) if locked else post
    Post.objects.filter(pk=post.pk).update(author=author, created_at=at)
    post.author, post.created_at = author, at
    # A topic a guest started is theirs with its opening post, dated when it goes up.
    Topic.objects.filter(pk=post.topic_id, author__isnull=True, post_count=0).update(
        author=author, created_at=at
    )
    return hold_or_publish(post, guest=True)


def edit(post: Post, *, editor: User | None, rendered: Rendered, at: datetime) -> bool:
    """Give a post a new body, keeping the one it had as a revision. Under the post's lock the
    body is read again, so of concurrent edits each keeps the body it replaced. Returns whether
    the body changed."""
    _assert_in_transaction()
    locked = _locked_post(post.pk)
    if locked is None or locked.body == rendered.body:
        return False
    PostRevision.objects.create(post=locked, body=locked.body, editor=editor, created_at=at)
    Post.objects.filter(pk=post.pk).update(
        body=rendered.body,
        cooked=rendered.cooked,
        renderer_version=rendered.renderer_version,
        edited_at=at,
    )
    post.body, post.cooked, post.edited_at = rendered.body, rendered.cooked, at
    post.renderer_version = rendered.renderer_version
    post.status = locked.status
    events.post_edited(PostChange(post=post, rendered=rendered, previous_cooked=locked.cooked))
    return True


def body_of(post_id: int) -> str | None:
    return Post.objects.filter(pk=post_id).values_list("body", flat=True).first()


def refresh_cooked(post_id: int) -> bool:
    """Render a post's body again (with the previews fetched so far, or by a newer renderer),
    outside the transaction, and store it if the body has not changed meanwhile. Returns
    whether its HTML changed."""
    body = body_of(post_id)
    if body is None:
        return False
    rendered = render(body)
    with transaction.atomic():
        locked = _locked_post(post_id)
        if locked is None or locked.body != body:
            return False  # edited meanwhile: the edit rendered and queued its own previews
        if locked.cooked == rendered.cooked and locked.renderer_version == RENDERER_VERSION:
            return False
        Post.objects.filter(pk=post_id).update(
            cooked=rendered.cooked, renderer_version=rendered.renderer_version
        )
        events.post_redrawn(PostChange(post=locked))
    return True


class HideReason:
    DELETED = "deleted"  # by a moderator, from the topic
    REJECTED = "rejected"  # by a moderator, from the queue
    HIDDEN = "hidden"  # by a moderator, with a reason moderators see in its place
    REPORTED = "reported"  # by enough members' reports, until a moderator reviews it
    BANNED = "banned"  # with every post of a banned member, at once (restored the same way)


NOTE_MAX_LENGTH = Post._meta.get_field("hidden_note").max_length


@dataclass(frozen=True)
class Hidden:
    post: bool  # whether this call hid it (False: someone hid it first)
    topic: bool  # whether the topic went with it (the post was its first)


def hide(post: Post, *, why: str, note: str = "") -> Hidden:
    """Hide a published post, or a held one (rejected). Its number stays taken, so every other
    permalink keeps working.

    Hiding the first post hides the topic, as in Discourse: the opening post is what the
    replies answer. Its posts stay (a moderator can still open it); the counters of its
    category and authors drop every post it had. Run twice at once, it happens once."""
    _assert_in_transaction()
    topic, locked = _locked_topic_and_post(post)
    if locked is None:
        return Hidden(post=False, topic=False)
    _refresh(post, locked)
    if post.status == Post.Status.PENDING:
        entry = QueuedPost.objects.filter(post_id=post.pk)
        if not entry.delete()[0]:
            return Hidden(post=False, topic=False)  # not held (a guest's) or decided already
        _mark_hidden(post, why=why, note=note)
        events.post_hidden(PostChange(post=post, reason=note, rejected=why == HideReason.REJECTED))
        return Hidden(post=True, topic=False)
    if post.status != Post.Status.PUBLISHED:
        return Hidden(post=False, topic=topic.is_deleted and post.number == 1)
    if post.number == 1:
        _hide_topic(topic, opening_post=post, why=why, note=note)
        events.post_hidden(PostChange(post=post, reason=note))
        return Hidden(post=True, topic=True)
    _mark_hidden(post, why=why, note=note)
    latest_in_topic = topic.posts.published().order_by("-number").first()
    Topic.objects.filter(pk=topic.pk).update(
        post_count=F("post_count") - 1,
        last_post=latest_in_topic,
        last_posted_at=latest_in_topic.created_at if latest_in_topic else topic.created_at,
    )
    if not topic.is_deleted:  # a deleted topic's posts already left these counters
        Category.objects.filter(pk=topic.category_id).update(
            post_count=F("post_count") - 1, last_post=_latest_in_category(topic.category_id)
        )
        if post.author_id:
            User.objects.filter(pk=post.author_id).update(post_count=F("post_count") - 1)
    events.post_hidden(PostChange(post=post, reason=note))
    return Hidden(post=True, topic=False)


def _mark_hidden(post: Post, *, why: str, note: str) -> None:
    note = note[:NOTE_MAX_LENGTH]
    Post.objects.filter(pk=post.pk).update(
        status=Post.Status.DELETED, hidden_as=why, hidden_note=note
    )
    post.status, post.hidden_as, post.hidden_note = Post.Status.DELETED, why, note


def relabel_hidden(post: Post, *, why: str, note: str, was: str) -> bool:
    """A hidden post hidden again for another reason (a post the reports hid, confirmed by a
    moderator as hidden or deleted): only its label and note change. Acts only if it is still
    hidden as `was`; returns whether it changed."""
    _assert_in_transaction()
    note = note[:NOTE_MAX_LENGTH]
    changed = Post.objects.filter(pk=post.pk, status=Post.Status.DELETED, hidden_as=was).update(
        hidden_as=why, hidden_note=note
    )
    if changed:
        post.hidden_as, post.hidden_note = why, note
        events.post_redrawn(PostChange(post=post))
    return bool(changed)


def _latest_in_category(category_id: int) -> Subquery:
    """The category's latest published post, as a subquery for the category's UPDATE: the
    last post of its most recently posted-in visible topic, read from topic_latest_idx (the
    topic rows were updated first, in the same transaction). Its cost does not grow with
    the number of posts, so a delete at a million posts holds the write lock no longer."""
    return Subquery(
        Topic.objects.filter(category_id=category_id, is_deleted=False, last_post__isnull=False)
        .order_by("-last_posted_at", "-pk")
        .values("last_post")[:1]
    )


def _hide_topic(topic: Topic, *, opening_post: Post, why: str, note: str) -> None:
    """The opening post goes, and the topic with it. Caller holds the topic's lock."""
    published = topic.posts.published()
    per_author = list(
        published.filter(author__isnull=False).values("author").annotate(n=Count("pk"))
    )
    post_total = published.count()
    _mark_hidden(opening_post, why=why, note=note)
    latest_left = published.order_by("-number").first()
    Topic.objects.filter(pk=topic.pk).update(
        is_deleted=True,
        post_count=F("post_count") - 1,
        last_post=latest_left,
        last_posted_at=latest_left.created_at if latest_left else topic.created_at,
    )
    Category.objects.filter(pk=topic.category_id).update(
        topic_count=F("topic_count") - 1,
        post_count=F("post_count") - post_total,
        last_post=_latest_in_category(topic.category_id),
    )
    # Each author loses the posts they had in the topic: one UPDATE per author. Rows are
    # written in one order everywhere (topic, category, members) so that concurrent
    # transitions wait for each other instead of deadlocking on PostgreSQL.
    for row in per_author:
        User.objects.filter(pk=row["author"]).update(post_count=F("post_count") - row["n"])


def restore(post: Post) -> bool:
    """Show a hidden post again, under the number it had; the opening post brings its topic
    back with every post still published in it. Returns False if it was not hidden, or never
    published (a rejected post stays rejected)."""
    _assert_in_transaction()
    topic, locked = _locked_topic_and_post(post)
    if locked is None or locked.status != Post.Status.DELETED or locked.number is None:
        return False
    _refresh(post, locked)
    Post.objects.filter(pk=post.pk).update(
        status=Post.Status.PUBLISHED, hidden_as="", hidden_note=""
    )
    post.status, post.hidden_as, post.hidden_note = Post.Status.PUBLISHED, "", ""
    latest = topic.posts.published().order_by("-number").first()
    Topic.objects.filter(pk=topic.pk).update(
        post_count=F("post_count") + 1,
        is_deleted=False if post.number == 1 else topic.is_deleted,
        last_post=latest,
        last_posted_at=latest.created_at,
    )
    if post.number == 1 and topic.is_deleted:
        published = topic.posts.published()
        per_author = published.filter(author__isnull=False).values("author").annotate(n=Count("pk"))
        Category.objects.filter(pk=topic.category_id).update(
            topic_count=F("topic_count") + 1,
            post_count=F("post_count") + published.count(),
            last_post=_latest_in_category(topic.category_id),
        )
        for row in per_author:  # after the category: the one order of _hide_topic
            User.objects.filter(pk=row["author"]).update(post_count=F("post_count") + row["n"])
    elif not topic.is_deleted:
        Category.objects.filter(pk=topic.category_id).update(
            post_count=F("post_count") + 1, last_post=_latest_in_category(topic.category_id)
        )
        if post.author_id:
            User.objects.filter(pk=post.author_id).update(post_count=F("post_count") + 1)
    events.post_restored(PostChange(post=post))
    return True


def discard_waiting(post_ids: list[int]) -> int:
    """Delete guests' posts nobody will publish (discarded by the owner, or expired)."""
    _assert_in_transaction()
    waiting = Post.objects.filter(pk__in=post_ids, status=Post.Status.PENDING, number__isnull=True)
    topic_ids = set(waiting.values_list("topic_id", flat=True))
    count = waiting.count()
    waiting.delete()  # their guest records go with them
    # Topics guests started, now with nothing in them, go too.
    Topic.objects.filter(
        pk__in=topic_ids, author__isnull=True, post_count=0, posts__isnull=True
    ).delete()
    return count


# --- between topics: merge, split, move posts ------------------------------------------------


def _locked_topics(*topic_ids: int) -> dict[int, Topic]:
    """Several topics locked in one order (by id), so two moderators acting on the same
    topics at once wait for each other instead of deadlocking."""
    rows = Topic.objects.select_for_update().filter(pk__in=topic_ids).order_by("pk")
    return {topic.pk: topic for topic in rows}


def _takes_posts(topic: Topic | None) -> bool:
    """A topic posts may be moved into or out of: shown, not merged away."""
    return topic is not None and not topic.is_deleted and topic.post_count > 0


def _counted(topic: Topic) -> bool:
    """Whether a topic counts in its category (published, not deleted)."""
    return not topic.is_deleted and topic.post_count > 0


@dataclass(frozen=True)
class _Numbered:
    pk: int
    created_at: datetime
    status: str
    number: int


def _numbered_posts(**filters) -> list[_Numbered]:
    rows = Post.objects.filter(number__isnull=False, **filters).order_by("number")
    return [_Numbered(*row) for row in rows.values_list("pk", "created_at", "status", "number")]


def _by_time(posts: list[_Numbered]) -> list[_Numbered]:
    """Posts in the order they were written, the earliest published one first: a topic opens
    with a post readers see (hiding the opening post hides the topic)."""
    ordered = sorted(posts, key=lambda post: (post.created_at, post.pk))
    opening = next((p for p in ordered if p.status == Post.Status.PUBLISHED), None)
    if opening is not None:
        ordered.remove(opening)
        ordered.insert(0, opening)
    return ordered


def _number_in(topic: Topic, ordered: list[_Numbered]) -> None:
    """Give `ordered` (every numbered post `topic` is to hold, some still in other topics)
    the numbers 1..N in `topic`. In two steps, so that (topic, number) stays unique after
    every row's update: first above every number in use, then down to their own."""
    if not ordered:
        return
    ids = [post.pk for post in ordered]
    in_use = Post.objects.filter(number__isnull=False, pk__in=ids) | Post.objects.filter(
        topic=topic, number__isnull=False
    )
    # Above every number in use and above N, so neither step meets a number still taken.
    above = max(in_use.aggregate(top=Max("number"))["top"] or 0, len(ids)) + 1
    for start in (above, 1):
        rows = [
            Post(pk=pk, topic_id=topic.pk, number=start + index) for index, pk in enumerate(ids)
        ]
        Post.objects.bulk_update(rows, ["topic", "number"], batch_size=500)


def _recount(topic: Topic) -> None:
    """A topic's counters read again from its posts, after posts came or went."""
    published = Post.objects.filter(topic=topic, status=Post.Status.PUBLISHED)
    latest = published.order_by("-number").first()
    numbered = Post.objects.filter(topic=topic, number__isnull=False)
    topic.post_count = published.count()
    topic.next_number = (numbered.aggregate(top=Max("number"))["top"] or 0) + 1
    topic.last_post = latest
    topic.last_posted_at = latest.created_at if latest else topic.created_at
    topic.recommendation_count = Recommendation.objects.filter(topic=topic).count()
    Topic.objects.filter(pk=topic.pk).update(
        post_count=topic.post_count,
        next_number=topic.next_number,
        last_post=topic.last_post,
        last_posted_at=topic.last_posted_at,
        recommendation_count=topic.recommendation_count,
    )


def _category_share(topic: Topic) -> tuple[int, int, int]:
    """(category, topics, posts) a topic adds to its category's counters."""
    if not _counted(topic):
        return topic.category_id, 0, 0
    return topic.category_id, 1, topic.post_count


def _carry_category_counts(before: list[tuple[int, int, int]], after: list[tuple[int, int, int]]):
    """Each category's counters move by what its topics added after minus before, in the one
    order of category ids; then its latest post is read again (the topics are written)."""
    delta: dict[int, list[int]] = {}
    for sign, shares in ((-1, before), (1, after)):
        for category_id, topics, posts in shares:
            totals = delta.setdefault(category_id, [0, 0])
            totals[0] += sign * topics
            totals[1] += sign * posts
    for category_id in sorted(delta):
        topics, posts = delta[category_id]
        Category.objects.filter(pk=category_id).update(
            topic_count=F("topic_count") + topics,
            post_count=F("post_count") + posts,
            last_post=_latest_in_category(category_id),
        )


@dataclass(frozen=True)
class _Rehomed:
    """What `_rehome` did: how many posts moved, and the numbers `target` now gives the posts
    it held and the posts that came (each: old number in its topic → new number in target)."""

    moved: int
    target_numbers: dict[int, int]
    source_numbers: dict[int, int]


def _rehome(source: Topic, target: Topic, post_ids: list[int], *, keep_opening: bool) -> _Rehomed:
    """Move the posts `post_ids` of `source` into `target`, interleaved by time with target's
    (after its opening post when `keep_opening`), and close the gaps they leave in `source`.
    Caller holds both topics' locks and recounts."""
    chosen = set(post_ids)
    numbered = _numbered_posts(topic=source)
    moving = [post for post in numbered if post.pk in chosen]
    staying = [post for post in numbered if post.pk not in chosen]
    present = _numbered_posts(topic=target)
    if keep_opening and present:
        ordered = present[:1] + sorted(
            present[1:] + moving, key=lambda post: (post.created_at, post.pk)
        )
    else:
        ordered = _by_time(present + moving)
    _number_in(target, ordered)
    _number_in(source, staying)  # in the order they had
    waiting = Post.objects.filter(topic=source, pk__in=post_ids, number__isnull=True)
    moved = len(moving) + waiting.update(topic=target)
    Recommendation.objects.filter(post_id__in=post_ids, topic=source).update(topic=target)
    new_number = {post.pk: index for index, post in enumerate(ordered, start=1)}
    return _Rehomed(
        moved=moved,
        target_numbers={post.number: new_number[post.pk] for post in present},
        source_numbers={post.number: new_number[post.pk] for post in moving},
    )


def merge_topics(source: Topic, *, into: Topic) -> bool:
    """Every post of `source` into `into`, interleaved by time and numbered again; `source`
    is left empty, deleted and pointing at `into` (its URL redirects there). Returns False
    when either topic was merged, deleted or moved meanwhile (another moderator first)."""
    _assert_in_transaction()
    locked = _locked_topics(source.pk, into.pk)
    src, dst = locked.get(source.pk), locked.get(into.pk)
    if source.pk == into.pk or not (_takes_posts(src) and _takes_posts(dst)):
        return False
    before = [_category_share(src), _category_share(dst)]
    all_ids = list(Post.objects.filter(topic=src).values_list("pk", flat=True))
    rehomed = _rehome(src, dst, all_ids, keep_opening=False)
    # Its followers follow the merged topic, and what each member read stays read.
    notifications.carry_to_merged_topic(
        source_id=src.pk,
        target_id=dst.pk,
        source_numbers=rehomed.source_numbers,
        target_numbers=rehomed.target_numbers,
    )
    _recount(dst)
    _recount(src)
    src.is_deleted, src.merged_into = True, dst
    Topic.objects.filter(pk=src.pk).update(is_deleted=True, merged_into=dst)
    _carry_category_counts(before, [_category_share(src), _category_share(dst)])
    events.topic_changed(TopicChange(topic=dst, moved_from=src.category_id))
    events.topic_changed(TopicChange(topic=src))
    return True


def move_posts(source: Topic, *, post_ids: list[int], to: Topic) -> int:
    """Posts of `source` (never its opening post) into the existing topic `to`, interleaved
    by time after its opening post; both topics numbered again without gaps. Returns how
    many moved (0: the topics or the posts changed meanwhile)."""
    _assert_in_transaction()
    locked = _locked_topics(source.pk, to.pk)
    src, dst = locked.get(source.pk), locked.get(to.pk)
    if source.pk == to.pk or not (_takes_posts(src) and _takes_posts(dst)):
        return 0
    movable = _movable(src, post_ids)
    if not movable:
        return 0
    return _take_posts(src, dst, movable, keep_opening=True).moved


def _take_posts(src: Topic, dst: Topic, post_ids: list[int], *, keep_opening: bool) -> _Rehomed:
    """A move or a split: the posts into `dst` (_rehome), both topics and their categories
    counted again, and both topics' change events."""
    before = [_category_share(src), _category_share(dst)]
    rehomed = _rehome(src, dst, post_ids, keep_opening=keep_opening)
    _recount(dst)
    _recount(src)
    _carry_category_counts(before, [_category_share(src), _category_share(dst)])
    events.topic_changed(TopicChange(topic=dst, moved_from=src.category_id))
    events.topic_changed(TopicChange(topic=src))
    return rehomed


def _movable(source: Topic, post_ids: list[int]) -> list[int]:
    """Of `post_ids`, the posts still in `source` but its opening post (which stays: the
    topic is what answers it)."""
    rows = Post.objects.filter(topic=source, pk__in=post_ids).exclude(number=1)
    return list(rows.values_list("pk", flat=True))


def split_topic(
    source: Topic, *, post_ids: list[int], category: Category, title: str
) -> Topic | None:
    """Posts of `source` (never its opening post; one of them published) into a new topic in
    `category`, in the order they were written; `source` numbered again without gaps.
    Returns the new topic, or None when the topic or the posts changed meanwhile."""
    _assert_in_transaction()
    src = _locked_topics(source.pk).get(source.pk)
    if not _takes_posts(src):
        return None
    movable = _movable(src, post_ids)
    published = Post.objects.filter(pk__in=movable, status=Post.Status.PUBLISHED)
    opening = published.order_by("created_at", "pk").first()
    if opening is None:
        return None
    new = create_topic(category=category, author=opening.author, title=title)
    Topic.objects.filter(pk=new.pk).update(created_at=opening.created_at)
    new.created_at = opening.created_at
    _take_posts(src, new, movable, keep_opening=False)
    return new


# --- reactions and recommendations ----------------------------------------------------------


def react(post: Post, *, member: User, kind: str | None, at: datetime | None = None) -> bool:
    """Set `member`'s reaction to a published post to `kind` (replacing the one they had), or
    take it back (`kind=None`). Under the post's lock, so the post's `reaction_counts` always
    equal its reactions. Returns whether anything changed."""
    _assert_in_transaction()
    locked = _locked_post(post.pk)
    if locked is None or locked.status != Post.Status.PUBLISHED:
        return False
    existing = Reaction.objects.filter(post=locked, member=member).first()
    previous = existing.kind if existing else None
    if previous == kind:
        return False
    if kind is None:
        existing.delete()
    elif existing is not None:
        Reaction.objects.filter(pk=existing.pk).update(kind=kind, created_at=at or timezone.now())
    else:
        Reaction.objects.create(
            post=locked, member=member, kind=kind, created_at=at or timezone.now()
        )
    counts = dict(
        Reaction.objects.filter(post=locked)
        .values_list("kind")
        .annotate(count=Count("pk"))
        .order_by()
    )
    Post.objects.filter(pk=locked.pk).update(reaction_counts=counts)
    post.reaction_counts = counts
    events.post_reacted(ReactionChange(post=post, member=member, kind=kind, previous=previous))
    return True


def recommend(post: Post, *, moderator: User, note: str, at: datetime | None = None) -> bool:
    """A published post recommended, with the moderator's note. Under the topic's lock, so the
    topic's `recommendation_count` is exact. Returns False when it already was."""
    _assert_in_transaction()
    topic = _locked_topic(post.topic_id)
    locked = _locked_post(post.pk)
    if locked is None or locked.status != Post.Status.PUBLISHED:
        return False
    if Recommendation.objects.filter(post=locked).exists():
        return False
    recommendation = Recommendation.objects.create(
        post=locked, topic=topic, moderator=moderator, note=note, created_at=at or timezone.now()
    )
    Topic.objects.filter(pk=topic.pk).update(recommendation_count=F("recommendation_count") + 1)
    events.post_recommended(RecommendationChange(post=post, recommendation=recommendation))
    return True


def unrecommend(post: Post) -> bool:
    """A recommendation removed. Returns False when there was none (removed by someone else)."""
    _assert_in_transaction()
    topic = _locked_topic(post.topic_id)
    deleted, _ = Recommendation.objects.filter(post_id=post.pk).delete()
    if not deleted:
        return False
    Topic.objects.filter(pk=topic.pk, recommendation_count__gt=0).update(
        recommendation_count=F("recommendation_count") - 1
    )
    events.recommendation_removed(RecommendationChange(post=post, recommendation=None))
    return True
