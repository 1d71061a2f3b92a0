"""Every write of following and notifications: one function per user action, and `notify`,
the one entry point through which every app tells members of something.

`notify` runs inside the transaction of the change it reports: its rows (the notifications,
the queued emails) commit with the change or not at all."""

from bisect import bisect_right
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Case, OuterRef, PositiveIntegerField, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Least
from django.utils import timezone
from django.utils.translation import gettext as _

from folkmoot.accounts.models import User
from folkmoot.discussions import policy as discussion_policy
from folkmoot.discussions.models import Post, Topic
from folkmoot.live import broker as live
from folkmoot.mail import bounces as mail_bounces
from folkmoot.refusal import NotFound

from . import emails, kinds, policy
from .models import Delivery, Follow, KindPreference, MemberSettings, Notification, TopicRead

FOLLOW_TARGETS = ("topic", "category", "followed_member")


def _ids(recipients: Iterable) -> set[int]:
    return {getattr(r, "pk", r) for r in recipients if r is not None}


def _follow_filter(kind: str, post: Post | None, topic: Topic | None) -> dict | None:
    """The follow whose delivery choice decides how a recipient hears of a follow kind."""
    if kind == kinds.REPLY and topic is not None:
        return {"topic": topic}
    if kind == kinds.NEW_TOPIC and topic is not None:
        return {"category_id": topic.category_id}
    if kind == kinds.FOLLOWED_MEMBER and post is not None and post.author_id:
        return {"followed_member_id": post.author_id}
    return None


def notify(
    kind: str,
    *,
    recipients: Iterable,
    post: Post | None = None,
    topic: Topic | None = None,
    actor=None,
    note: str = "",
) -> None:
    """Tell `recipients` (members or their ids) of `kind` about `post`/`topic`, done by `actor`.

    Dropped: the actor, inactive members, those who ignore the actor (of mentions and quotes),
    everyone when the post or topic may not be seen (policy.may_be_told), those whose
    preferences turn the kind off (or whose follow says "not at all"). Records the on-site
    notification and queues emails (instant, through the mail outbox; none to an address
    that hard-bounced) or digest entries per preference. A bounded number of queries whatever the
    number of recipients (callers with many recipients pass them in batches: tasks.py)."""
    if kind not in kinds.LABELS:
        raise ValueError(f"Unknown notification kind {kind!r}")
    if topic is None and post is not None:
        topic = post.topic
    ids = _ids(recipients) - _ids([actor])
    if not ids or not policy.may_be_told(kind, post=post, topic=topic):
        return
    # 1 the recipients who are active members (and, for what an actor does to them, do not
    # ignore the actor), with their addresses.
    recipients_query = User.objects.filter(pk__in=ids, is_active=True)
    if kind in kinds.SILENCED_BY_IGNORING and getattr(actor, "pk", None):
        recipients_query = recipients_query.exclude(ignores__ignored_id=actor.pk)
    members = {
        pk: (email, language)
        for pk, email, language in recipients_query.values_list("pk", "email", "language")
    }
    # 2 their choices for this kind.
    choices = {
        pref.member_id: pref
        for pref in KindPreference.objects.filter(member_id__in=members, kind=kind)
    }
    # 3 for what they follow, how they hear of it.
    follows: dict[int, Follow] = {}
    target = _follow_filter(kind, post, topic) if kind in kinds.FOLLOW_KINDS else None
    if target is not None:
        follows = {
            follow.member_id: follow
            for follow in Follow.objects.filter(member_id__in=members, **target)
        }
    now = timezone.now()
    rows: list[Notification] = []
    instant_emails: list[tuple[int, str, Follow | None]] = []
    for member_id, (email, _language) in members.items():
        choice = choices.get(member_id)
        on_site = choice.on_site if choice else True
        by_email = (
            choice.by_email
            if choice
            else (kind in kinds.EMAILED_BY_DEFAULT or kind in kinds.FOLLOW_KINDS)
        )
        follow = follows.get(member_id)
        digest = ""
        if target is not None:
            if follow is None:
                continue  # told of a follow kind without following: nothing to go by
            delivery = follow.delivery
            if delivery == Delivery.NONE:
                continue
            on_site = on_site and delivery in (Delivery.SITE, Delivery.BOTH)
            wants_email = by_email and delivery in (Delivery.EMAIL, Delivery.BOTH)
            if by_email and delivery in (Delivery.DAILY, Delivery.WEEKLY):
                digest = delivery
            # One instant email per followed topic until the member reads it again.
            if wants_email and kind == kinds.REPLY and follow.awaiting_visit:
                wants_email = False
            by_email = wants_email
        if not (on_site or by_email or digest):
            continue
        rows.append(
            Notification(
                recipient_id=member_id,
                kind=kind,
                post=post,
                topic=topic,
                actor=actor if getattr(actor, "pk", None) else None,
                note=note[:500],
                created_at=now,
                on_site=on_site,
                digest=digest,
            )
        )
        if by_email and email:
            instant_emails.append((member_id, email, follow))
    # 4 the notifications, in one insert.
    Notification.objects.bulk_create(rows, batch_size=500)
    if instant_emails:
        # 5 no email to an address that hard-bounced: they are still told on the site.
        bounced = mail_bounces.bounced_among(email for _, email, _ in instant_emails)
        instant_emails = [entry for entry in instant_emails if entry[1].lower() not in bounced]
    _ring_bells_after_commit([row.recipient_id for row in rows if row.on_site])
    waiting = [follow.pk for _, _, follow in instant_emails if follow and kind == kinds.REPLY]
    if waiting:
        Follow.objects.filter(pk__in=waiting).update(awaiting_visit=True)
    for member_id, email, follow in instant_emails:
        emails.queue_instant(
            kind,
            to=email,
            language=members[member_id][1],
            member_id=member_id,
            post=post,
            topic=topic,
            actor=actor,
            note=note,
            follow=follow,
        )


def _ring_bells_after_commit(member_ids: list[int]) -> None:
    """Open pages of these members update their bell's count (live/views.py re-counts)."""

    def ring():
        for member_id in member_ids:
            live.publish(live.member_channel(member_id), 0)

    if member_ids:
        transaction.on_commit(ring)


# --- following ----------------------------------------------------------------------------


def _target_kwargs(*, topic=None, category=None, member=None) -> dict:
    given = {"topic": topic, "category": category, "followed_member": member}
    given = {key: value for key, value in given.items() if value is not None}
    if len(given) != 1:
        raise ValueError("Follow exactly one of a topic, a category or a member")
    return given


def _check_may_follow(user, target: dict) -> None:
    ((key, value),) = target.items()
    allowed = {
        "topic": policy.can_follow_topic,
        "category": policy.can_follow_category,
        "followed_member": policy.can_follow_member,
    }[key](user, value)
    if not allowed:
        raise NotFound(_("You cannot follow this."))


def follow(
    *,
    member,
    topic: Topic | None = None,
    category=None,
    followed_member=None,
    delivery: str = Delivery.BOTH,
    is_public: bool = True,
) -> Follow:
    """Follow (or change how one follows) a topic, a category or a member."""
    target = _target_kwargs(topic=topic, category=category, member=followed_member)
    _check_may_follow(member, target)
    if delivery not in Delivery.values:
        delivery = Delivery.BOTH
    try:
        with transaction.atomic():
            row, _ = Follow.objects.update_or_create(
                member=member, **target, defaults={"delivery": delivery, "is_public": is_public}
            )
    except IntegrityError:  # a concurrent follow of the same thing won: change that one
        row = Follow.objects.get(member=member, **target)
        Follow.objects.filter(pk=row.pk).update(delivery=delivery, is_public=is_public)
    return row


def unfollow(*, member, topic=None, category=None, followed_member=None) -> None:
    target = _target_kwargs(topic=topic, category=category, member=followed_member)
    Follow.objects.filter(member=member, **target).delete()


def unfollow_many(*, member, follow_ids: Iterable[int]) -> int:
    deleted, _ = Follow.objects.filter(member=member, pk__in=list(follow_ids)).delete()
    return deleted


def change_many(*, member, follow_ids: Iterable[int], delivery: str) -> int:
    if delivery not in Delivery.values:
        return 0
    return Follow.objects.filter(member=member, pk__in=list(follow_ids)).update(delivery=delivery)


def follow_after_posting(*, member, topic: Topic) -> None:
    """The reply or new-topic form's "Follow this topic": kept as it is if already followed."""
    if policy.can_follow_topic(member, topic):
        Follow.objects.get_or_create(member=member, topic=topic)


def set_follow_when_posting(*, member, value: bool) -> None:
    MemberSettings.objects.update_or_create(member=member, defaults={"follow_when_posting": value})


def set_kind_preference(*, member, kind: str, on_site: bool, by_email: bool) -> None:
    if kind not in kinds.LABELS:
        raise NotFound(_("No such kind of notification."))
    KindPreference.objects.update_or_create(
        member=member, kind=kind, defaults={"on_site": on_site, "by_email": by_email}
    )


def unsubscribe(*, member_id: int, follow_id: int | None, kind: str | None) -> str:
    """From an email's one-click link (the signed token names member, follow or kind): the
    follow is dropped, or the kind's emails turned off. Returns what was done, for the page."""
    if follow_id is not None:
        row = Follow.objects.filter(pk=follow_id, member_id=member_id).first()
        if row is None:
            return _("You no longer follow this.")
        what = str(row.topic or row.category or row.followed_member)
        row.delete()
        return _("You no longer follow “%(name)s”.") % {"name": what}
    if kind in (f"digest:{Delivery.DAILY}", f"digest:{Delivery.WEEKLY}"):
        frequency = kind.partition(":")[2]
        Follow.objects.filter(member_id=member_id, delivery=frequency).update(
            delivery=Delivery.SITE
        )
        if frequency == Delivery.DAILY:
            return _("No more daily digests: what you follow now shows on the site only.")
        return _("No more weekly digests: what you follow now shows on the site only.")
    if kind in kinds.LABELS:
        KindPreference.objects.update_or_create(
            member_id=member_id, kind=kind, defaults={"by_email": False}
        )
        return _("No more emails for “%(kind)s”.") % {"kind": kinds.label(kind)}
    return _("Nothing to change.")


# --- reading ------------------------------------------------------------------------------


def mark_read(*, member, notification_id: int) -> Notification:
    row = Notification.objects.filter(pk=notification_id, recipient=member).first()
    if row is None:
        raise NotFound(_("No such notification."))
    if row.read_at is None:
        Notification.objects.filter(pk=row.pk, read_at__isnull=True).update(read_at=timezone.now())
        _ring_bells_after_commit([member.pk])
    if row.topic_id:  # going to the topic is visiting it: its next reply may be emailed
        Follow.objects.filter(member=member, topic_id=row.topic_id, awaiting_visit=True).update(
            awaiting_visit=False
        )
    return row


def mark_all_read(*, member) -> int:
    marked = Notification.objects.filter(recipient=member, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if marked:
        _ring_bells_after_commit([member.pk])
    return marked


def read_topic(*, member, topic: Topic, number: int) -> int:
    """The member has seen the topic's posts up to `number` (the page's script says so once
    they scrolled past them, or the page's "Mark read" button): one row per member and topic
    holds the highest number read, which never goes down. Its notifications about those posts
    are read, and its next reply may be emailed again. Returns the number now recorded."""
    if not discussion_policy.can_view_topic(member, topic):
        raise NotFound(_("No such topic."))
    number = max(0, min(number, topic.next_number - 1))
    _raise_read_mark(member=member, topic=topic, number=number)
    return number


def read_own_post(*, post: Post) -> None:
    """A consequence of the lifecycle's publish (discussions/events.py): the author has read
    the post they just wrote, so their reply never turns the topic unread for them, with or
    without the page's script. Like any reading, the mark only goes up."""
    _raise_read_mark(member=post.author, topic=post.topic, number=post.number)


def _raise_read_mark(*, member, topic: Topic, number: int) -> None:
    now = timezone.now()
    with transaction.atomic():
        raised = TopicRead.objects.filter(
            member=member, topic=topic, last_number__lt=number
        ).update(last_number=number, read_at=now)
        if not raised:
            try:
                with transaction.atomic():  # a savepoint: two tabs may insert at once
                    TopicRead.objects.get_or_create(
                        member=member,
                        topic=topic,
                        defaults={"last_number": number, "read_at": now},
                    )
            except IntegrityError:
                TopicRead.objects.filter(member=member, topic=topic, last_number__lt=number).update(
                    last_number=number, read_at=now
                )
        visited_topic(member=member, topic=topic, up_to=number)


def mark_all_topics_read(*, member) -> None:
    """ "Mark all read": everything posted until now counts as read, in one row whatever the
    number of topics; the member's notifications are read with it."""
    now = timezone.now()
    with transaction.atomic():
        if not TopicRead.objects.filter(member=member, topic__isnull=True).update(read_at=now):
            try:
                with transaction.atomic():
                    TopicRead.objects.create(member=member, topic=None, read_at=now)
            except IntegrityError:
                TopicRead.objects.filter(member=member, topic__isnull=True).update(read_at=now)
        mark_all_read(member=member)
        Follow.objects.filter(member=member, awaiting_visit=True).update(awaiting_visit=False)


def visited_topic(*, member, topic: Topic, up_to: int | None = None) -> None:
    """The member read the topic (up to post number `up_to`): those notifications are read
    and its next reply may be emailed again."""
    now = timezone.now()
    about = Notification.objects.filter(recipient=member, topic=topic, read_at__isnull=True)
    if up_to is not None:
        about = about.filter(Q(post__isnull=True) | Q(post__number__lte=up_to))
    if about.update(read_at=now):
        _ring_bells_after_commit([member.pk])
    Follow.objects.filter(member=member, topic=topic, awaiting_visit=True).update(
        awaiting_visit=False
    )


# --- consequences of the lifecycle (called from discussions/events.py) ---------------------


def carry_to_merged_topic(
    *,
    source_id: int,
    target_id: int,
    source_numbers: dict[int, int],
    target_numbers: dict[int, int],
) -> None:
    """Topic `source_id` was merged into `target_id` (called by the lifecycle's merge, in its
    transaction), its posts and the target's numbered again: `source_numbers` and
    `target_numbers` map each post's old number in its topic to its number in the merged one.

    Followers of the source follow the target with their own choices (delivery, anonymity);
    who followed both keeps the target's row. Each member's read mark in the target becomes
    the highest merged number up to which they had read every post: all of both topics read
    is all of the merged topic read, and no post they had not read counts as read. A topic
    never opened counts as unread. A fixed number of queries, whatever the number of members."""
    merged_top = len(source_numbers) + len(target_numbers)
    reads_of = {source_id: _read_up_to(source_numbers, merged_top)}
    reads_of[target_id] = _read_up_to(target_numbers, merged_top)
    marks: dict[int, set[int]] = {source_id: set(), target_id: set()}
    for topic_id, mark in (
        TopicRead.objects.filter(topic_id__in=[source_id, target_id])
        .values_list("topic_id", "last_number")
        .distinct()
    ):
        marks[topic_id].add(mark)

    def merged_mark(topic_id: int) -> Case:
        """A read mark of this topic (the row's `last_number`) as a mark in the merged topic."""
        read_up_to = reads_of[topic_id]
        whens = [When(last_number=mark, then=Value(read_up_to(mark))) for mark in marks[topic_id]]
        return Case(*whens, default=Value(0), output_field=PositiveIntegerField())

    source_reads = TopicRead.objects.filter(topic_id=source_id)
    target_reads = TopicRead.objects.filter(topic_id=target_id)
    if marks[target_id]:
        in_source = source_reads.filter(member_id=OuterRef("member_id"))
        target_reads.update(
            last_number=Least(
                merged_mark(target_id),
                Coalesce(
                    Subquery(in_source.annotate(mark=merged_mark(source_id)).values("mark")[:1]),
                    Value(reads_of[source_id](0)),
                ),
            )
        )
    if marks[source_id]:
        source_reads.filter(member_id__in=target_reads.values("member_id")).delete()
        source_reads.update(
            topic_id=target_id,
            last_number=Least(merged_mark(source_id), Value(reads_of[target_id](0))),
        )
    source_follows = Follow.objects.filter(topic_id=source_id)
    following_target = Follow.objects.filter(topic_id=target_id).values("member_id")
    source_follows.filter(member_id__in=following_target).delete()
    source_follows.update(topic_id=target_id)


def _read_up_to(numbers: dict[int, int], merged_top: int):
    """For a member who read one topic's posts up to a number: the highest merged number up to
    which they read every one of its posts (the merged topic's last when they read them all)."""
    old = sorted(numbers)
    # earliest[i]: the lowest merged number among the posts numbered old[i] and after.
    earliest = [0] * len(old)
    lowest = merged_top + 1
    for index in range(len(old) - 1, -1, -1):
        lowest = min(lowest, numbers[old[index]])
        earliest[index] = lowest

    def read_up_to(mark: int) -> int:
        first_unread = bisect_right(old, mark)
        return earliest[first_unread] - 1 if first_unread < len(old) else merged_top

    return read_up_to


def forget_post(*, post: Post) -> None:
    """A hidden post's notifications disappear (those about the author's own post stay); a
    hidden first post hides its topic, and every notification about the topic with it."""
    about = Notification.objects.filter(topic_id=post.topic_id) if post.number == 1 else None
    if about is None:
        about = Notification.objects.filter(post=post)
    about.exclude(kind__in=kinds.ABOUT_RECIPIENT).delete()
