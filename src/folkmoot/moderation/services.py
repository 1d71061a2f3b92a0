"""Moderators' decisions on held and reported posts, and members' reports: one function
each, logged. The post's change is made by discussions.lifecycle (through discussions.services
for the topic tools); the author's email is one of its events."""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from folkmoot.accounts.language import in_language_of
from folkmoot.discussions import lifecycle
from folkmoot.discussions import policy as discussions_policy
from folkmoot.discussions import services as discussions
from folkmoot.discussions.models import Post
from folkmoot.forums.policy import can_moderate
from folkmoot.notifications import kinds
from folkmoot.notifications.services import notify
from folkmoot.refusal import NotFound, Refusal

from . import limits, normalize
from .models import Ban, MemberWarning, ModerationLog, Report, Suspension


@transaction.atomic
def approve_post(*, post: Post, moderator, origin: str = "") -> Post:
    if not can_moderate(moderator, post.topic.category_id):
        raise NotFound(_("You do not moderate this category."))
    if lifecycle.approve(post, origin=origin):
        ModerationLog.objects.create(
            action=ModerationLog.Action.APPROVE, post=post, moderator=moderator, author=post.author
        )
    return post  # or someone else decided first


REJECT_REASON_MAX_LENGTH = ModerationLog._meta.get_field("reason").max_length


def validate_reject_reason(reason: str) -> str:
    """The reason as it will be logged and emailed, or a Refusal: never cut short."""
    reason = reason.strip()
    if "\x00" in reason:
        raise Refusal(_("Null characters are not allowed."), field="reason", code="null_characters")
    if len(reason) > REJECT_REASON_MAX_LENGTH:
        raise Refusal(
            _("Keep the reason under %(max)s characters (this one has %(length)s).")
            % {
                "max": REJECT_REASON_MAX_LENGTH,
                "length": number_format(len(reason), force_grouping=True),
            },
            field="reason",
            code="too_long",
        )
    return reason


@transaction.atomic
def reject_post(*, post: Post, moderator, reason: str = "", origin: str = "") -> Post:
    if not can_moderate(moderator, post.topic.category_id):
        raise NotFound(_("You do not moderate this category."))
    reason = validate_reject_reason(reason)
    if lifecycle.hide(post, why=lifecycle.HideReason.REJECTED, note=reason).post:
        ModerationLog.objects.create(
            action=ModerationLog.Action.REJECT,
            post=post,
            moderator=moderator,
            author=post.author,
            reason=reason,
        )
    return post


# --- Reports ---------------------------------------------------------------------------------

REPORT_NOTE_MAX_LENGTH = Report._meta.get_field("note").max_length


def report_post(*, post: Post, reporter, reason: str, note: str = "") -> Report:
    """A member reports a post they can read. Reporting it again while the first report is
    open changes nothing. Once REPORTS_TO_HIDE distinct trusted members (not new) have open
    reports on it, the post is hidden until a moderator reviews it."""
    if not (reporter.is_authenticated and reporter.is_active):
        raise NotFound(_("No such post."))
    if post.status != Post.Status.PUBLISHED or not discussions_policy.can_view_topic(
        reporter, post.topic
    ):
        raise NotFound(_("No such post."))
    if post.author_id == reporter.pk:
        raise Refusal(_("You cannot report your own post."), code="own_post")
    if reason not in Report.Reason.values:
        raise Refusal(_("Choose what is wrong with the post."), field="reason", code="reason")
    note = note.strip()
    if "\x00" in note or len(note) > REPORT_NOTE_MAX_LENGTH:
        raise Refusal(
            _("Keep the note under %(max)s characters, without null characters.")
            % {"max": REPORT_NOTE_MAX_LENGTH},
            field="note",
            code="note",
        )
    try:
        with transaction.atomic():
            report = Report.objects.create(post=post, reporter=reporter, reason=reason, note=note)
            _hide_if_reported_enough(post)
    except IntegrityError:  # an open report of theirs already (a double submit)
        return Report.objects.get(post=post, reporter=reporter, resolved_at__isnull=True)
    return report


def _hide_if_reported_enough(post: Post) -> None:
    needed = settings.FOLKMOOT["REPORTS_TO_HIDE"]
    if needed <= 0:
        return
    trusted = (
        Report.objects.filter(post=post, resolved_at__isnull=True)
        .filter(reporter__post_count__gte=limits.trusted_member_posts())
        .values("reporter")
        .distinct()
        .count()
    )
    if trusted < needed:
        return
    note = f"Hidden until a moderator reviews it: reported by {trusted} members."
    if lifecycle.hide(post, why=lifecycle.HideReason.REPORTED, note=note).post:
        ModerationLog.record(
            ModerationLog.Action.HIDE_REPORTED,
            moderator=None,
            post=post,
            reason=note,
            before="published",
            after=lifecycle.HideReason.REPORTED,
        )


def resolve_reports(*, post: Post, moderator, outcome: str, reason: str = "") -> int:
    """A moderator's decision on a reported post: hide it, delete it, or dismiss the reports
    (a post the reports hid comes back). Every open report on it is closed with the outcome
    and its reporter told. Returns how many reports it closed."""
    if not can_moderate(moderator, post.topic.category_id):
        raise NotFound(_("You do not moderate this category."))
    if outcome not in Report.Outcome.values:
        raise Refusal(_("Choose hide, delete or dismiss."), code="outcome")
    with transaction.atomic():
        open_reports = list(
            Report.objects.select_for_update().filter(post=post, resolved_at__isnull=True)
        )
        if not open_reports:
            return 0  # another moderator decided first
        if outcome == Report.Outcome.HIDDEN:
            discussions.hide_post(post=post, actor=moderator, reason=reason or "Reported")
        elif outcome == Report.Outcome.DELETED:
            discussions.delete_post(post=post, actor=moderator, reason=reason)
        else:
            _dismiss(post, moderator=moderator, reason=reason, count=len(open_reports))
        Report.objects.filter(pk__in=[r.pk for r in open_reports]).update(
            resolved_at=timezone.now(), outcome=outcome
        )
        tell_reporters(open_reports, outcome=outcome, moderator=moderator)
    return len(open_reports)


def _dismiss(post: Post, *, moderator, reason: str, count: int) -> None:
    post.refresh_from_db(fields=["status", "hidden_as", "hidden_note"])
    hidden_by_reports = post.hidden_as == lifecycle.HideReason.REPORTED
    if hidden_by_reports:
        lifecycle.restore(post)
    ModerationLog.record(
        ModerationLog.Action.DISMISS_REPORTS,
        moderator=moderator,
        post=post,
        reason=reason or f"{count} report{'s' if count != 1 else ''} dismissed",
        before=lifecycle.HideReason.REPORTED if hidden_by_reports else post.status,
        after=post.status,
    )


def _english(text) -> str:
    with override(None):
        return str(text)


def tell_reporters(reports: list[Report], *, outcome: str, moderator) -> None:
    """Each reporter is told what came of their report: the one place this notice is sent."""
    post = reports[0].post
    notify(
        kinds.REPORT_OUTCOME,
        recipients=[report.reporter_id for report in reports],
        post=post,
        actor=moderator,
        # Stored in English, shown in each reader's language (notifications.models).
        note=_english(Report.Outcome(outcome).label),
    )


# --- Members ---------------------------------------------------------------------------------

WARNING_MAX_POINTS = 10
WARNING_MAX_DAYS = 3650


def warn_member(
    *, post: Post, moderator, reason: str, points: int = 1, expires_in_days: int | None = 30
) -> MemberWarning:
    """Warn the author of a post, from the post: a moderator of its category may. The member
    sees it on their warnings page; `expires_in_days=None` never expires."""
    if not can_moderate(moderator, post.topic.category_id) or post.author_id is None:
        raise NotFound(_("No such post."))
    reason = reason.strip()
    if not reason or "\x00" in reason or len(reason) > 500:
        raise Refusal(_("Say why, in under 500 characters."), field="reason", code="reason")
    if not 1 <= points <= WARNING_MAX_POINTS:
        raise Refusal(
            _("From 1 to %(max)s points.") % {"max": WARNING_MAX_POINTS},
            field="points",
            code="points",
        )
    if expires_in_days is not None and not 1 <= expires_in_days <= WARNING_MAX_DAYS:
        raise Refusal(_("Expires after 1 day to 10 years."), field="expires_in_days", code="days")
    now = timezone.now()
    expires_at = now + timedelta(days=expires_in_days) if expires_in_days else None
    with transaction.atomic():
        warning = MemberWarning.objects.create(
            member=post.author,
            moderator=moderator,
            post=post,
            reason=reason,
            points=points,
            created_at=now,
            expires_at=expires_at,
        )
        ModerationLog.record(
            ModerationLog.Action.WARN,
            moderator=moderator,
            post=post,
            reason=reason,
            after=f"{points} point{'s' if points != 1 else ''}"
            + (f", until {expires_at:%Y-%m-%d}" if expires_at else ", no expiry"),
        )
        tell_member_warned(warning)
    return warning


def tell_member_warned(warning: MemberWarning) -> None:
    """The member is told of a warning (and sees it on /mod/warnings/): the one place this
    notice is sent."""
    points = f"{warning.points} point{'s' if warning.points != 1 else ''}"
    notify(
        kinds.WARNED,
        recipients=[warning.member_id],
        post=warning.post,
        actor=warning.moderator,
        note=f"{warning.reason} ({points})",
    )


def ban_member(*, post: Post, moderator, reason: str, ip_range: bool = False) -> list[Ban]:
    """Ban the author of a post: their email address goes on the ban list, and at the
    moderator's choice the network the post came from (an IPv4 /24, an IPv6 /64), so they can
    post no more (moderation.limits.check_ban). Site-wide, so staff only."""
    if not (moderator.is_authenticated and moderator.is_active and moderator.is_staff):
        raise NotFound(_("No such post."))
    if post.author_id is None or post.author.is_staff:
        raise NotFound(_("No such member."))
    reason = reason.strip()
    if not reason or "\x00" in reason or len(reason) > 200:
        raise Refusal(_("Say why, in under 200 characters."), field="reason", code="reason")
    address = normalize.ip_address(post.ip_address)
    if ip_range and address is None:
        raise Refusal(_("This post has no address to ban."), field="ip_range", code="no_address")
    with transaction.atomic():
        bans = [Ban.objects.create(email=post.author.email, reason=reason)]
        if ip_range:
            prefix = 24 if address.version == 4 else normalize.IPV6_SUBNET
            network = normalize.ip_network(f"{address}/{prefix}")
            bans.append(Ban.objects.create(ip_network=str(network), reason=reason))
        ModerationLog.record(
            ModerationLog.Action.BAN,
            moderator=moderator,
            post=post,
            reason=reason,
            after=", ".join(str(ban) for ban in bans),
        )
    return bans


SUSPENSION_MAX_DAYS = 365


def suspend_member(*, post: Post, moderator, reason: str, days: int) -> Suspension:
    """Suspend the author of a post for `days`, from the post: a moderator of its category
    may. Until it ends they post nothing (limits.check_suspended) and are told until when."""
    if not can_moderate(moderator, post.topic.category_id) or post.author_id is None:
        raise NotFound(_("No such post."))
    if post.author.is_staff or can_moderate(post.author, post.topic.category_id):
        raise Refusal(_("Moderators of this category are not suspended here."), code="moderator")
    reason = reason.strip()
    if not reason or "\x00" in reason or len(reason) > 500:
        raise Refusal(_("Say why, in under 500 characters."), field="reason", code="reason")
    if not 1 <= days <= SUSPENSION_MAX_DAYS:
        raise Refusal(
            _("From 1 to %(max)s days.") % {"max": SUSPENSION_MAX_DAYS}, field="days", code="days"
        )
    now = timezone.now()
    until = now + timedelta(days=days)
    with transaction.atomic():
        suspension = Suspension.objects.create(
            member=post.author, moderator=moderator, reason=reason, created_at=now, until=until
        )
        ModerationLog.record(
            ModerationLog.Action.SUSPEND,
            moderator=moderator,
            post=post,
            reason=reason,
            after=f"suspended until {until:%Y-%m-%d %H:%M} UTC",
        )
        with in_language_of(post.author):  # the one reader of the note
            note = _("Suspended until %(until)s UTC: %(reason)s") % {
                "until": f"{until:%Y-%m-%d %H:%M}",
                "reason": reason,
            }
        notify(kinds.WARNED, recipients=[post.author_id], post=post, actor=moderator, note=note)
    return suspension


def _check_staff(moderator) -> None:
    if not (moderator.is_authenticated and moderator.is_active and moderator.is_staff):
        raise NotFound(_("No such member."))


def hide_member_posts(*, member, moderator, reason: str) -> int:
    """Hide every shown post of a member at once (a banned spammer's): site-wide, so staff
    only. Each post is hidden through the lifecycle (topics they started go with their
    opening posts), labelled so that `restore_member_posts` brings back exactly these.
    Returns how many."""
    _check_staff(moderator)
    if member.is_staff:
        raise NotFound(_("No such member."))
    reason = validate_reject_reason(reason) or "Every post of a banned member"
    posts = Post.objects.select_related("topic__category", "author").filter(
        author=member, status=Post.Status.PUBLISHED
    )
    with transaction.atomic():
        # Replies before opening posts: an opening post then takes its topic's rest with it.
        hidden = sum(
            lifecycle.hide(post, why=lifecycle.HideReason.BANNED, note=reason).post
            for post in posts.order_by("-number", "-pk")
        )
        if hidden:
            ModerationLog.record(
                ModerationLog.Action.HIDE_MEMBER_POSTS,
                moderator=moderator,
                member=member,
                reason=reason,
                after=f"{hidden} post{'s' if hidden != 1 else ''} hidden",
            )
    return hidden


def restore_member_posts(*, member, moderator) -> int:
    """Undo `hide_member_posts`: every post of the member it hid comes back under its number
    (opening posts first, so their topics come back). Returns how many."""
    _check_staff(moderator)
    posts = Post.objects.select_related("topic__category", "author").filter(
        author=member, status=Post.Status.DELETED, hidden_as=lifecycle.HideReason.BANNED
    )
    with transaction.atomic():
        restored = sum(lifecycle.restore(post) for post in posts.order_by("number", "pk"))
        if restored:
            ModerationLog.record(
                ModerationLog.Action.RESTORE_MEMBER_POSTS,
                moderator=moderator,
                member=member,
                after=f"{restored} post{'s' if restored != 1 else ''} restored",
            )
    return restored
