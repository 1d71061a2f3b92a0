"""Members' actions on topics and posts: one function per user action.

Each checks the policy, validates, renders the body outside any transaction (rendering can
be slow, and on SQLite a transaction holds the one write lock), then makes the change through
`lifecycle` in one transaction. What follows the change is in events.py.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import OperationalError, transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from folkmoot.accounts.models import User
from folkmoot.composer import services as composer
from folkmoot.composer.validation import validate_post_body, validate_title
from folkmoot.forums.models import Category
from folkmoot.moderation import limits
from folkmoot.moderation.models import ModerationLog
from folkmoot.moderation.policy import hold_reason
from folkmoot.notifications import services as notifications
from folkmoot.refusal import NotFound, Refusal

from . import lifecycle, notices, policy, queries
from .models import Nomination, Post, Reaction, Recommendation, Topic


def written(post: Post, *, draft_place: str) -> None:
    """What follows every successful write of a post body: the draft is spent, and the
    uploads the body shows now belong to the post."""
    if post.author_id:
        composer.delete_draft(author=post.author, key=draft_place)
    composer.attach_to_post(post)


def _submit_member_post(
    *,
    topic: Topic,
    author: User,
    rendered: lifecycle.Rendered,
    ip_address: str | None,
    enforce_limits: bool,
    draft_place: str,
) -> Post:
    """Check a member's new post against the abuse limits, then submit it (published, or held
    where the category holds this member's posts). Runs inside the caller's transaction."""
    if enforce_limits and not policy.can_moderate(author, topic.category):
        limits.check_suspended(member=author)
        limits.check_links(member=author, cooked=rendered.cooked)
        limits.check_ban(email=author.email, ip_address=ip_address)
        limits.check_flood(member=author)
    post = lifecycle.submit(topic=topic, author=author, rendered=rendered, ip_address=ip_address)
    written(post, draft_place=draft_place)
    return post


def start_topic(
    *,
    category: Category,
    author: User,
    title: str,
    body: str,
    ip_address: str | None = None,
    enforce_limits: bool = True,
    follow: bool = False,
) -> Topic:
    if not policy.can_start_topic(author, category):
        raise NotFound(_("You cannot start topics here."))
    errors = {}
    try:
        title = validate_title(title)
    except ValidationError as error:
        errors["title"] = error.messages
    try:
        body = validate_post_body(body)
    except ValidationError as error:
        errors["body"] = error.messages
    if errors:
        raise ValidationError(errors)
    rendered = lifecycle.render(body)
    with transaction.atomic():
        topic = lifecycle.create_topic(category=category, author=author, title=title)
        _submit_member_post(
            topic=topic,
            author=author,
            rendered=rendered,
            ip_address=ip_address,
            enforce_limits=enforce_limits,
            draft_place=f"category-{category.pk}",
        )
        if follow:  # the form's "Follow this topic"
            notifications.follow_after_posting(member=author, topic=topic)
    topic.refresh_from_db()
    return topic


def _merged_while_writing() -> Refusal:
    """A reply to a topic a moderator merged into another while it was written."""
    return Refusal(
        _(
            "A moderator merged this topic into another while you wrote: open the topic "
            "again (its address leads there) and post your reply there."
        ),
        field="body",
        code="merged",
    )


def reply(
    *,
    topic: Topic,
    author: User,
    body: str,
    ip_address: str | None = None,
    enforce_limits: bool = True,
    follow: bool = False,
) -> Post:
    """A member's reply. `enforce_limits=False` is for imports and demo content only: no
    flood control, link limit or ban check."""
    if topic.merged_into_id:
        raise _merged_while_writing()  # before the policy, which no longer shows the topic
    if not policy.can_reply(author, topic):
        raise NotFound(_("You cannot reply to this topic."))
    body = validate_post_body(body)
    rendered = lifecycle.render(body)

    @transaction.atomic
    def submit() -> Post:
        # Lock before looking for a duplicate so a double submit waits for the first to finish.
        locked = Topic.objects.select_for_update().filter(pk=topic.pk).first()
        if locked is not None and locked.merged_into_id:
            # Refused rather than followed: following would lock the other topic while
            # holding this one's lock.
            raise _merged_while_writing()
        duplicate = queries.recent_duplicate(topic=topic, author=author, body=body)
        if duplicate:
            return duplicate
        post = _submit_member_post(
            topic=topic,
            author=author,
            rendered=rendered,
            ip_address=ip_address,
            enforce_limits=enforce_limits,
            draft_place=f"topic-{topic.pk}",
        )
        if follow:  # the form's "Follow this topic"
            notifications.follow_after_posting(member=author, topic=topic)
        return post

    # A merge renumbering the topic's posts at the same moment can make PostgreSQL pick this
    # reply as a deadlock's victim: submitted again, it lands or is refused as merged.
    return _retrying_deadlocks(submit)


def edit_post(
    *,
    post: Post,
    editor: User,
    body: str,
    ip_address: str | None = None,
    enforce_limits: bool = True,
) -> Post:
    """Change a post's text. A member's edit passes the same abuse checks as a new post
    (links, bans), or it would be a way round them: post "hello", then edit in the spam.
    Moderators' edits and `enforce_limits=False` (the admin, imports) skip them."""
    if not policy.can_edit_post(editor, post):
        raise NotFound(_("You cannot edit this post."))
    body = validate_post_body(body)
    if body == post.body:
        return post
    rendered = lifecycle.render(body)
    with transaction.atomic():
        if enforce_limits and not policy.can_moderate_post(editor, post):
            limits.check_suspended(member=editor)
            limits.check_links(member=editor, cooked=rendered.cooked)
            limits.check_ban(email=editor.email, ip_address=ip_address)
            _check_edit_not_held(post=post, editor=editor)
        if lifecycle.edit(post, editor=editor, rendered=rendered, at=timezone.now()):
            written(post, draft_place=f"post-{post.pk}")
    return post


def _check_edit_not_held(*, post: Post, editor: User) -> None:
    """Where a category holds a new member's posts for approval, their published posts are
    not edited until the hold ends: the edit would publish text no moderator has seen.

    Refused rather than queued: queueing would take the approved post (and the replies that
    answer it) out of the topic until a moderator gets to it, as phpBB's re-approval does.
    The refusal keeps the approved text public and the member's new text in the form, and
    says when the hold ends. A post still waiting in the queue may be edited: the moderator
    reviews its latest text."""
    if post.status != Post.Status.PUBLISHED:
        return
    category = post.topic.category
    if hold_reason(author=editor, category=category, guest=False):
        posts = settings.FOLKMOOT["NEW_MEMBER_POSTS"]
        raise Refusal(
            _(
                "Moderators review new members' posts in %(category)s, so you can edit your "
                "posts here once you have %(posts)s published posts. Reply with your correction "
                "instead, or ask a moderator to change it."
            )
            % {"category": category.name, "posts": posts},
            field="body",
            code="edit_held",
        )


# --- Moderators' actions on topics and posts (each one logged) ------------------------------

Action = ModerationLog.Action


def _check_moderates(actor: User, topic: Topic) -> None:
    if not policy.can_moderate_topic(actor, topic):
        raise NotFound(_("No such topic."))


def _validate_reason(reason: str, *, required: bool) -> str:
    reason = reason.strip()
    if "\x00" in reason:
        raise Refusal(_("Null characters are not allowed."), field="reason", code="null_characters")
    if required and not reason:
        raise Refusal(_("Say why, for the other moderators."), field="reason", code="required")
    if len(reason) > lifecycle.NOTE_MAX_LENGTH:
        raise Refusal(
            _("Keep the reason under %(max)s characters (this one has %(length)s).")
            % {
                "max": lifecycle.NOTE_MAX_LENGTH,
                "length": number_format(len(reason), force_grouping=True),
            },
            field="reason",
            code="too_long",
        )
    return reason


def pin_topic(*, topic: Topic, actor: User, pinned: bool) -> bool:
    """Returns whether it changed (False: it already was, say another moderator was first)."""
    _check_moderates(actor, topic)
    with transaction.atomic():
        changed = lifecycle.pin_topic(topic, pinned=pinned)
        if changed:
            ModerationLog.record(
                Action.PIN if pinned else Action.UNPIN,
                moderator=actor,
                topic=topic,
                before="pinned" if not pinned else "not pinned",
                after="pinned" if pinned else "not pinned",
            )
    return changed


def lock_topic(*, topic: Topic, actor: User, locked: bool) -> bool:
    _check_moderates(actor, topic)
    with transaction.atomic():
        changed = lifecycle.lock_topic(topic, locked=locked)
        if changed:
            ModerationLog.record(
                Action.LOCK if locked else Action.UNLOCK,
                moderator=actor,
                topic=topic,
                before="open" if locked else "locked",
                after="locked" if locked else "open",
            )
    return changed


def move_topic(*, topic: Topic, actor: User, to: Category, reason: str = "") -> bool:
    """Move a topic to another category; the moderator must moderate both."""
    _check_moderates(actor, topic)
    if not policy.can_moderate(actor, to):
        raise NotFound(_("No such category."))
    reason = _validate_reason(reason, required=False)
    origin = topic.category
    with transaction.atomic():
        changed = lifecycle.move_topic(topic, to=to)
        if changed:
            ModerationLog.record(
                Action.MOVE,
                moderator=actor,
                topic=topic,
                category_id=origin.pk,
                reason=reason,
                before=origin.name,
                after=to.name,
            )
    return changed


def hide_post(*, post: Post, actor: User, reason: str) -> lifecycle.Hidden:
    """Hide a post with a reason moderators see in its place (the first post hides its topic)."""
    _check_moderates(actor, post.topic)
    reason = _validate_reason(reason, required=True)
    return _hide(post, actor=actor, why=lifecycle.HideReason.HIDDEN, reason=reason)


def delete_post(*, post: Post, actor: User, reason: str = "") -> bool:
    """Delete a post (the first post deletes its topic); a moderator can undo it (restore).
    Returns whether the topic went too."""
    _check_moderates(actor, post.topic)
    reason = _validate_reason(reason, required=False)
    return _hide(post, actor=actor, why=lifecycle.HideReason.DELETED, reason=reason).topic


def _hide(post: Post, *, actor: User, why: str, reason: str) -> lifecycle.Hidden:
    with transaction.atomic():
        before = post.hidden_as or post.status
        hidden = lifecycle.hide(post, why=why, note=reason)
        if not hidden.post and post.hidden_as == lifecycle.HideReason.REPORTED:
            # Hidden by reports until reviewed: the moderator's decision replaces that label.
            relabeled = lifecycle.relabel_hidden(
                post, why=why, note=reason, was=lifecycle.HideReason.REPORTED
            )
            hidden = lifecycle.Hidden(post=relabeled, topic=post.number == 1)
        if hidden.post:
            ModerationLog.record(
                Action.HIDE if why == lifecycle.HideReason.HIDDEN else Action.DELETE,
                moderator=actor,
                post=post,
                reason=reason,
                before=before,
                after=why,
            )
    return hidden


def restore_post(*, post: Post, actor: User) -> bool:
    """Unhide a hidden post, or undo a deletion: back under its number."""
    _check_moderates(actor, post.topic)
    with transaction.atomic():
        before = post.hidden_as or post.status
        restored = lifecycle.restore(post)
        if restored:
            ModerationLog.record(
                Action.RESTORE, moderator=actor, post=post, before=before, after="published"
            )
    return restored


# --- Between topics: merge, split, move posts; several posts at once -----------------------

MAX_SELECTED_POSTS = 500


def _selected(topic: Topic, post_ids: list[int]) -> list[int]:
    """The chosen posts that are numbered posts of this topic (others are ignored), or a
    Refusal when there are none."""
    if len(post_ids) > MAX_SELECTED_POSTS:
        raise Refusal(
            _("Choose at most %(max)s posts at once.") % {"max": MAX_SELECTED_POSTS},
            code="too_many",
        )
    chosen = Post.objects.filter(topic=topic, pk__in=post_ids, number__isnull=False)
    ids = list(chosen.order_by("number").values_list("pk", flat=True))
    if not ids:
        raise Refusal(_("Choose the posts first (tick their boxes)."), code="no_posts")
    return ids


def _check_movable(topic: Topic, post_ids: list[int]) -> None:
    if topic.posts.filter(pk__in=post_ids, number=1).exists():
        raise Refusal(
            _("The opening post stays with its topic: move or merge the whole topic instead."),
            code="opening_post",
        )


def _check_takes_posts(topic: Topic, refusal: str) -> None:
    """`refusal` names the topic's part in the action, e.g. "The merged topic is deleted…"."""
    if topic.is_deleted or topic.post_count == 0:
        raise Refusal(refusal, code="not_visible")


DEADLOCK_RETRIES = 3


def _retrying_deadlocks(action):
    """Run `action` (one transaction) again when PostgreSQL picked it as a deadlock's victim.
    A merge or split renumbers posts (a unique column: a full row lock) under the topics'
    locks, while the search index's writes take their key locks the other way round (post,
    then topic); the database breaks the cycle by failing one, and this one is worth redoing."""
    for attempt in range(DEADLOCK_RETRIES):
        try:
            return action()
        except OperationalError as error:
            deadlock = getattr(error.__cause__, "sqlstate", None) == "40P01"
            if not deadlock or attempt == DEADLOCK_RETRIES - 1:
                raise
    raise AssertionError("unreachable")


def _topic_label(topic: Topic) -> str:
    return f"#{topic.pk} {topic.title}"


def merge_topics(*, source: Topic, into: Topic, actor: User, reason: str = "") -> bool:
    """Merge `source` into `into`: its posts join, interleaved by time, and its URL redirects
    there. The moderator must moderate both categories. False: another moderator acted first."""
    _check_moderates(actor, source)
    if not policy.can_moderate_topic(actor, into):
        raise NotFound(_("No such topic."))
    if source.pk == into.pk:
        raise Refusal(_("A topic cannot be merged into itself."), field="into", code="same_topic")
    _check_takes_posts(source, _("The merged topic is deleted or not published yet."))
    _check_takes_posts(into, _("The target topic is deleted or not published yet."))
    reason = _validate_reason(reason, required=False)

    @transaction.atomic
    def merge() -> bool:
        merged = lifecycle.merge_topics(source, into=into)
        if merged:
            ModerationLog.record(
                Action.MERGE,
                moderator=actor,
                topic=into,
                category_id=source.category_id,
                reason=reason,
                before=_topic_label(source),
                after=_topic_label(into),
            )
        return merged

    return _retrying_deadlocks(merge)


def split_posts(
    *,
    topic: Topic,
    post_ids: list[int],
    actor: User,
    title: str,
    category: Category,
    reason: str = "",
) -> Topic | None:
    """Chosen posts of a topic (not its opening post) into a new topic with this title, in
    `category` (which the moderator must moderate too). None: the posts changed meanwhile."""
    _check_moderates(actor, topic)
    if not policy.can_moderate(actor, category):
        raise NotFound(_("No such category."))
    _check_takes_posts(topic, _("The split topic is deleted or not published yet."))
    ids = _selected(topic, post_ids)
    _check_movable(topic, ids)
    try:
        title = validate_title(title)
    except ValidationError as error:
        raise Refusal(" ".join(error.messages), field="title", code="title") from None
    if not topic.posts.filter(pk__in=ids, status=Post.Status.PUBLISHED).exists():
        raise Refusal(_("A new topic needs at least one shown post."), code="no_published")
    reason = _validate_reason(reason, required=False)
    return _retrying_deadlocks(
        lambda: _split(topic, ids, actor=actor, title=title, category=category, reason=reason)
    )


@transaction.atomic
def _split(topic: Topic, ids: list[int], *, actor: User, title: str, category, reason: str):
    new = lifecycle.split_topic(topic, post_ids=ids, category=category, title=title)
    if new is not None:
        _log_posts_taken(Action.SPLIT, actor, topic, into=new, count=len(ids), reason=reason)
    return new


def _log_posts_taken(action, actor: User, topic: Topic, *, into: Topic, count: int, reason: str):
    """The log line of a split or a move: `count` posts taken from `topic` into `into`."""
    ModerationLog.record(
        action,
        moderator=actor,
        topic=into,
        category_id=topic.category_id,
        reason=reason,
        before=_topic_label(topic),
        after=f"{_topic_label(into)} ({count} posts)",
    )


def move_posts(
    *, topic: Topic, post_ids: list[int], to: Topic, actor: User, reason: str = ""
) -> int:
    """Chosen posts of a topic (not its opening post) into another existing topic, interleaved
    by time there. Returns how many moved."""
    _check_moderates(actor, topic)
    if not policy.can_moderate_topic(actor, to):
        raise NotFound(_("No such topic."))
    if topic.pk == to.pk:
        raise Refusal(_("The posts are in that topic already."), field="to", code="same_topic")
    _check_takes_posts(topic, _("The source topic is deleted or not published yet."))
    _check_takes_posts(to, _("The target topic is deleted or not published yet."))
    ids = _selected(topic, post_ids)
    _check_movable(topic, ids)
    reason = _validate_reason(reason, required=False)
    return _retrying_deadlocks(lambda: _move(topic, ids, to=to, actor=actor, reason=reason))


@transaction.atomic
def _move(topic: Topic, ids: list[int], *, to: Topic, actor: User, reason: str) -> int:
    moved = lifecycle.move_posts(topic, post_ids=ids, to=to)
    if moved:
        _log_posts_taken(Action.MOVE_POSTS, actor, topic, into=to, count=moved, reason=reason)
    return moved


def hide_posts(*, topic: Topic, post_ids: list[int], actor: User, reason: str) -> int:
    """Hide several posts of a topic with one reason, each logged. Returns how many."""
    _check_moderates(actor, topic)
    reason = _validate_reason(reason, required=True)
    return _hide_each(topic, post_ids, actor=actor, why=lifecycle.HideReason.HIDDEN, reason=reason)


def delete_posts(*, topic: Topic, post_ids: list[int], actor: User, reason: str = "") -> int:
    """Delete several posts of a topic (its opening post deletes the topic), each logged and
    each undone by restoring it. Returns how many."""
    _check_moderates(actor, topic)
    reason = _validate_reason(reason, required=False)
    return _hide_each(topic, post_ids, actor=actor, why=lifecycle.HideReason.DELETED, reason=reason)


def _hide_each(topic: Topic, post_ids: list[int], *, actor: User, why: str, reason: str) -> int:
    ids = _selected(topic, post_ids)
    posts = Post.objects.select_related("topic__category", "author").filter(pk__in=ids)
    with transaction.atomic():
        # Replies first: the opening post, if chosen, then takes the topic with the rest.
        ordered = sorted(posts, key=lambda post: -post.number)
        return sum(_hide(post, actor=actor, why=why, reason=reason).post for post in ordered)


def rerender_posts(*, batch_size: int = 500) -> int:
    """Re-render every post cooked by an older renderer (with the link previews fetched so
    far). Returns how many changed."""
    stale = Post.objects.filter(renderer_version__lt=lifecycle.RENDERER_VERSION)
    ids = stale.values_list("pk", flat=True)
    return sum(lifecycle.refresh_cooked(pk) for pk in ids.iterator(chunk_size=batch_size))


# --- reactions and recommendations ----------------------------------------------------------

RECOMMENDATION_NOTE_MAX = 300


def react(*, post: Post, member: User, kind: str) -> str | None:
    """A member's reaction to a post: `kind` given, replacing the one they had; the same kind
    again takes it back. Returns their reaction now (None: none)."""
    if not policy.can_view_post(member, post):
        raise NotFound(_("No such post."))
    if kind not in Reaction.Kind.values:
        raise Refusal(_("Choose one of the reactions shown."))
    if not policy.can_react(member, post):
        if post.author_id == member.pk:
            raise Refusal(_("You cannot react to your own posts."), status=403)
        raise Refusal(_("You cannot react to posts in this topic."), status=403)
    with transaction.atomic():
        current = queries.reaction_of(post=post, member=member)
        new = None if current == kind else kind
        if new is not None:
            limits.check_reactions(member=member)
        lifecycle.react(post, member=member, kind=new)
    return new


def recommend_post(*, post: Post, moderator: User, note: str = "") -> bool:
    """A moderator recommends a post, with an optional note. False when it already was."""
    if not policy.can_view_post(moderator, post) or not policy.can_recommend(moderator, post):
        raise NotFound(_("No such post."))
    note = " ".join(note.split())
    if len(note) > RECOMMENDATION_NOTE_MAX:
        raise ValidationError(
            _("Keep the note to %(max)s characters (it has %(length)s).")
            % {"max": RECOMMENDATION_NOTE_MAX, "length": len(note)}
        )
    with transaction.atomic():
        recommended = lifecycle.recommend(post, moderator=moderator, note=note)
        # However it was recommended (from the queue or the post's own row), the members who
        # nominated it hear so, and their nominations leave the queue.
        _settle_nominations(post, moderator=moderator, outcome=Nomination.Outcome.RECOMMENDED)
        return recommended


def remove_recommendation(*, post: Post, moderator: User) -> bool:
    if not policy.can_moderate_post(moderator, post):
        raise NotFound(_("No such post."))
    with transaction.atomic():
        return lifecycle.unrecommend(post)


# --- nominations: members suggest posts for recommendation ------------------------------------


def nominate_post(*, post: Post, member: User, note: str = "") -> bool:
    """A member asks the moderators to recommend a post, with an optional note for them. It
    waits in the moderation queue. Returns False when this member had already nominated it
    (one nomination per member and post: the same request twice is one)."""
    if not policy.can_view_post(member, post):
        raise NotFound(_("No such post."))
    if not policy.can_nominate(member, post):
        if post.author_id == member.pk:
            raise Refusal(_("You cannot nominate your own posts."), status=403, code="own_post")
        if policy.can_moderate_post(member, post):
            raise Refusal(
                _("You moderate this category: recommend the post yourself."),
                status=403,
                code="moderator",
            )
        raise Refusal(_("You cannot nominate posts here."), status=403)
    note = " ".join(note.split())
    if "\x00" in note:
        raise Refusal(_("Null characters are not allowed."), field="note", code="null_characters")
    if len(note) > RECOMMENDATION_NOTE_MAX:
        raise Refusal(
            _("Keep the note to %(max)s characters (it has %(length)s).")
            % {"max": RECOMMENDATION_NOTE_MAX, "length": len(note)},
            field="note",
            code="too_long",
        )
    with transaction.atomic():
        if Recommendation.objects.filter(post=post).exists():
            raise Refusal(_("This post is already recommended."), code="already_recommended")
        if Nomination.objects.filter(post=post, member=member).exists():
            return False
        limits.check_nominations(member=member)
        _nomination, created = Nomination.objects.get_or_create(
            post=post, member=member, defaults={"note": note}
        )
    return created


def dismiss_nominations(*, post: Post, moderator: User) -> int:
    """A moderator of the post's category declines its waiting nominations; the nominators are
    told. Returns how many were waiting (0: another moderator was first)."""
    if not policy.can_moderate_post(moderator, post):
        raise NotFound(_("No such post."))
    with transaction.atomic():
        return _settle_nominations(post, moderator=moderator, outcome=Nomination.Outcome.DISMISSED)


def _settle_nominations(post: Post, *, moderator: User, outcome: str) -> int:
    """Decide the post's waiting nominations; after commit, tell their nominators. Runs inside
    the caller's transaction; the rows are locked so two moderators do not both tell them."""
    waiting = Nomination.objects.select_for_update().filter(
        post=post, outcome=Nomination.Outcome.PENDING
    )
    nominations = dict(waiting.values_list("pk", "member_id"))
    if not nominations:
        return 0
    Nomination.objects.filter(pk__in=nominations).update(
        outcome=outcome, decided_by=moderator, decided_at=timezone.now()
    )
    nominators = list(nominations.values())
    transaction.on_commit(
        lambda: notices.nomination_decided(
            post=post,
            recipients=nominators,
            actor=moderator,
            recommended=outcome == Nomination.Outcome.RECOMMENDED,
        )
    )
    return len(nominations)
