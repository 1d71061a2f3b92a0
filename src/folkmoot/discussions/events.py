"""What follows each change of a post or topic: one list per event, nothing hidden elsewhere.

`lifecycle.py` makes a change and calls the event here, inside its transaction. Each
consequence is a plain function called directly (no Django signals):

- AFTER COMMIT (`transaction.on_commit`): work that must not run for a change that is rolled
  back, nor hold the write lock: the page-cache version, the search index, queuing link
  previews and remote image copies on the `fetches` queue.
- WITH THE CHANGE: emails. They go to the mail outbox (folkmoot.mail), a table: the row commits
  with the change or not at all, and the worker sends it after commit, never in the request.

Notifications are lines here too: `notifications.notify` (approved, rejected) and the fan-out
task to followers are queued WITH the change. Live readers of the topic hear of a published
post AFTER COMMIT (`tell_live_readers`); the bells of those notified, from `notify` after commit.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from folkmoot.composer import previews
from folkmoot.live import broker as live
from folkmoot.notifications import kinds as notification_kinds
from folkmoot.notifications import services as notifications
from folkmoot.notifications import tasks as notification_tasks
from folkmoot.search import indexing as search_indexing

from . import citations, emails, notices, page_cache, tasks
from .models import Post, Topic


@dataclass(frozen=True)
class PostChange:
    post: Post
    origin: str = ""  # scheme and host, for links in emails
    reason: str = ""  # why it was hidden, for the author
    approved: bool = False  # published by a moderator's approval
    rejected: bool = False  # hidden by a moderator's rejection from the queue
    guest: object = field(default=None)  # the guests.GuestPost of a guest's submission
    # The lifecycle.Rendered body when the change rendered one: what it links to, known
    # without parsing the Markdown again.
    rendered: object = field(default=None)
    # An edit's previous HTML: only mentions and quotes the edit added are news to anyone.
    previous_cooked: str = ""


@dataclass(frozen=True)
class TopicChange:
    topic: Topic
    moved_from: int | None = None  # the category a moved topic left


@dataclass(frozen=True)
class ReactionChange:
    post: Post
    member: object  # the member who reacted
    kind: str | None  # their reaction now (None: taken back)
    previous: str | None  # the one it replaced


@dataclass(frozen=True)
class RecommendationChange:
    post: Post
    recommendation: object  # the Recommendation given, or None when one was removed


# --- consumers ----------------------------------------------------------------------------


def refresh_cached_pages(change) -> None:
    """The cached pages showing the changed topic are stale: its own, its category's (and
    the one a move took it from) and the index; every other topic's stay cached."""
    topic = change.topic if isinstance(change, TopicChange) else change.post.topic
    categories = [topic.category_id]
    if isinstance(change, TopicChange) and change.moved_from:
        categories.append(change.moved_from)
    page_cache.bump(topics=[topic.pk], categories=categories)


def index_post_for_search(change: PostChange) -> None:
    """Indexed, re-indexed or dropped from the index by what the post's state is now."""
    search_indexing.post_changed(change.post.pk)


def index_topic_for_search(change: TopicChange) -> None:
    """A topic's title and category are part of each of its posts' index rows."""
    search_indexing.topic_changed(change.topic.pk)


def fetch_link_previews(change: PostChange) -> None:
    """Links standing alone in a published post become cards once fetched, in the background;
    nothing is fetched for a post nobody may see yet."""
    post = change.post
    if post.status != Post.Status.PUBLISHED:
        return
    rendered = change.rendered
    if rendered is not None:
        due = previews.needs_fetching(rendered.embed_urls, rendered.image_urls)
    else:
        due = previews.needs_previews(post.body)
    if due:
        tasks.fetch_link_previews.enqueue(post.pk)


def tell_live_readers(change: PostChange) -> None:
    """Open pages of the topic hear its new post's number (only of a published post: the
    page then fetches what its reader may see)."""
    post = change.post
    if post.status == Post.Status.PUBLISHED and post.number:
        live.publish(live.topic_channel(post.topic_id), post.number)


def notify_author_reacted(change: ReactionChange) -> None:
    """A new reaction (not a change of one, nor one taken back) tells the post's author."""
    if change.kind is not None and change.previous is None and change.post.author_id:
        notices.reacted(post=change.post, actor=change.member)


def notify_author_recommended(change: RecommendationChange) -> None:
    recommendation = change.recommendation
    if change.post.author_id and recommendation is not None:
        notices.recommended(
            post=change.post, actor=recommendation.moderator, note=recommendation.note
        )


def notify_mentioned_and_quoted(change: PostChange) -> None:
    """Members a published post newly @mentions, and the authors of posts it newly quotes,
    who may see it (on an edit, only what the edit added)."""
    post = change.post
    if post.status != Post.Status.PUBLISHED:
        return
    mentioned = citations.new_mentions(post, previous_cooked=change.previous_cooked)
    if mentioned:
        notices.mentioned(post=post, recipients=mentioned, actor=post.author)
    quoted = citations.new_quoted_authors(post, previous_cooked=change.previous_cooked)
    if quoted:
        notices.quoted(post=post, recipients=quoted, actor=post.author)


def email_author_approved(change: PostChange) -> None:
    if change.approved:
        emails.tell_author_approved(change.post, origin=change.origin)


def email_author_rejected(change: PostChange) -> None:
    if change.rejected:
        emails.tell_author_rejected(change.post, reason=change.reason)


def tell_followers(change: PostChange) -> None:
    """Followers of the topic (or, for a new topic, the category) and of the author hear of
    a published post: one task row, committed with the change; the task tells them in
    batches, so the request costs the same for 10,000 followers as for none."""
    if change.post.status == Post.Status.PUBLISHED:
        notification_tasks.enqueue_fan_out(change.post.pk)


def count_as_read_by_author(change: PostChange) -> None:
    """A member's own new post is read by them: their read mark moves up to it, in the same
    transaction. Not for a post a moderator approves later: others may have posted meanwhile,
    and those stay unread."""
    post = change.post
    if post.status == Post.Status.PUBLISHED and post.author_id and not change.approved:
        notifications.read_own_post(post=post)


def tell_author_approved(change: PostChange) -> None:
    if change.approved and change.post.author_id:
        notifications.notify(
            notification_kinds.APPROVED, recipients=[change.post.author_id], post=change.post
        )


def tell_author_rejected(change: PostChange) -> None:
    if change.rejected and change.post.author_id:
        notifications.notify(
            notification_kinds.REJECTED,
            recipients=[change.post.author_id],
            post=change.post,
            note=change.reason,
        )


def forget_notifications(change: PostChange) -> None:
    """Nobody is left told of a post they may no longer see."""
    notifications.forget_post(post=change.post)


def email_guest_link(change: PostChange) -> None:
    if change.guest is not None:
        emails.tell_guest_post_waits(change.guest, reminder=False)


# --- the lists ----------------------------------------------------------------------------

Consumer = Callable[[object], None]

# A post was written and waits: for its guest author to register, or for a moderator.
POST_SUBMITTED_WITH: tuple[Consumer, ...] = (email_guest_link,)
POST_SUBMITTED_AFTER: tuple[Consumer, ...] = ()

POST_PUBLISHED_WITH: tuple[Consumer, ...] = (
    email_author_approved,
    tell_author_approved,
    tell_followers,
    count_as_read_by_author,
)
POST_PUBLISHED_AFTER: tuple[Consumer, ...] = (
    refresh_cached_pages,
    tell_live_readers,
    index_post_for_search,
    fetch_link_previews,
    notify_mentioned_and_quoted,
)

POST_EDITED_WITH: tuple[Consumer, ...] = ()
POST_EDITED_AFTER: tuple[Consumer, ...] = (
    refresh_cached_pages,
    index_post_for_search,
    fetch_link_previews,
    notify_mentioned_and_quoted,
)

# Re-rendered without a change of text (previews fetched, a new renderer).
POST_REDRAWN_AFTER: tuple[Consumer, ...] = (refresh_cached_pages,)

POST_HIDDEN_WITH: tuple[Consumer, ...] = (
    email_author_rejected,
    forget_notifications,
    tell_author_rejected,
)
POST_HIDDEN_AFTER: tuple[Consumer, ...] = (refresh_cached_pages, index_post_for_search)

POST_RESTORED_WITH: tuple[Consumer, ...] = ()
POST_RESTORED_AFTER: tuple[Consumer, ...] = (
    refresh_cached_pages,
    index_post_for_search,
    fetch_link_previews,
)

# A member reacted to a post, changed their reaction or took it back.
POST_REACTED_AFTER: tuple[Consumer, ...] = (refresh_cached_pages, notify_author_reacted)

# A moderator recommended a post, or removed the recommendation.
POST_RECOMMENDED_AFTER: tuple[Consumer, ...] = (refresh_cached_pages, notify_author_recommended)
RECOMMENDATION_REMOVED_AFTER: tuple[Consumer, ...] = (refresh_cached_pages,)

# Locked, unlocked, pinned, unpinned, moved, renamed.
TOPIC_CHANGED_AFTER: tuple[Consumer, ...] = (refresh_cached_pages, index_topic_for_search)


def _run(change, *, with_change: tuple[Consumer, ...], after: tuple[Consumer, ...]) -> None:
    for consumer in with_change:
        consumer(change)
    for consumer in after:
        transaction.on_commit(lambda consumer=consumer: consumer(change))


def post_submitted(change: PostChange) -> None:
    _run(change, with_change=POST_SUBMITTED_WITH, after=POST_SUBMITTED_AFTER)


def post_published(change: PostChange) -> None:
    _run(change, with_change=POST_PUBLISHED_WITH, after=POST_PUBLISHED_AFTER)


def post_edited(change: PostChange) -> None:
    _run(change, with_change=POST_EDITED_WITH, after=POST_EDITED_AFTER)


def post_redrawn(change: PostChange) -> None:
    _run(change, with_change=(), after=POST_REDRAWN_AFTER)


def post_hidden(change: PostChange) -> None:
    _run(change, with_change=POST_HIDDEN_WITH, after=POST_HIDDEN_AFTER)


def post_restored(change: PostChange) -> None:
    _run(change, with_change=POST_RESTORED_WITH, after=POST_RESTORED_AFTER)


def topic_changed(change: TopicChange) -> None:
    _run(change, with_change=(), after=TOPIC_CHANGED_AFTER)


def post_reacted(change: ReactionChange) -> None:
    _run(change, with_change=(), after=POST_REACTED_AFTER)


def post_recommended(change: RecommendationChange) -> None:
    _run(change, with_change=(), after=POST_RECOMMENDED_AFTER)


def recommendation_removed(change: RecommendationChange) -> None:
    _run(change, with_change=(), after=RECOMMENDATION_REMOVED_AFTER)
