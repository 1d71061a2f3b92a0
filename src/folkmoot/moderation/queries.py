from dataclasses import dataclass

from django.db.models import Count, Max

from folkmoot.accounts.models import User
from folkmoot.discussions.models import Nomination, Post
from folkmoot.forums.models import Category
from folkmoot.forums.policy import moderated_category_ids

from . import limits
from .models import MemberWarning, ModerationLog, QueuedPost, Report


def queue_for(user) -> list[QueuedPost]:
    """Posts awaiting approval in the categories this user moderates, oldest first."""
    entries = QueuedPost.objects.select_related(
        "post__author", "post__topic__category", "post__guest"
    ).filter(post__status="pending")
    if not user.is_staff:
        entries = entries.filter(post__topic__category__in=moderated_category_ids(user))
    # 1 query: entries with post, author, topic, category and guest record.
    return list(entries.order_by("created_at", "pk"))


@dataclass(frozen=True)
class ReportedPost:
    post: Post
    reports: list[Report]


def reported_posts_for(user) -> list[ReportedPost]:
    """Open reports in the categories this user moderates, grouped by post, the post reported
    first at the top. 1 query: reports with reporter, post, its author, topic and category."""
    reports = Report.objects.filter(resolved_at__isnull=True).select_related(
        "reporter", "post__author", "post__topic__category"
    )
    if not user.is_staff:
        reports = reports.filter(post__topic__category__in=moderated_category_ids(user))
    grouped: dict[int, ReportedPost] = {}
    for report in reports.order_by("created_at", "pk"):
        entry = grouped.setdefault(report.post_id, ReportedPost(post=report.post, reports=[]))
        entry.reports.append(report)
    return list(grouped.values())


@dataclass(frozen=True)
class NominatedPost:
    post: Post
    nominations: list[Nomination]

    @property
    def suggested_note(self) -> str:
        """The first nominator's note: the recommendation's note unless the moderator edits it."""
        return next((n.note for n in self.nominations if n.note), "")


def nominated_posts_for(user) -> list[NominatedPost]:
    """Waiting nominations of published posts in the categories this user moderates, grouped
    by post, the post nominated first at the top. 1 query: nominations with nominator, post,
    its author, topic and category."""
    nominations = (
        Nomination.objects.filter(
            outcome=Nomination.Outcome.PENDING, post__status=Post.Status.PUBLISHED
        )
        .select_related("member", "post__author", "post__topic__category")
        .defer("member__password", "post__author__password", "post__body")
    )
    if not user.is_staff:
        nominations = nominations.filter(post__topic__category__in=moderated_category_ids(user))
    grouped: dict[int, NominatedPost] = {}
    for nomination in nominations.order_by("created_at", "pk"):
        entry = grouped.setdefault(
            nomination.post_id, NominatedPost(post=nomination.post, nominations=[])
        )
        entry.nominations.append(nomination)
    return list(grouped.values())


LOG_PAGE_SIZE = 50


@dataclass(frozen=True)
class LogPage:
    entries: list[ModerationLog]
    has_more: bool
    categories: list[Category]


def log_page(
    user,
    *,
    moderator: str = "",
    member: str = "",
    category: int | None = None,
    action: str = "",
    before_id: int | None = None,
) -> LogPage:
    """The moderation log, newest first, filtered; a moderator of some categories reads the
    lines of those. 2 queries: the categories for the filter, and one page of lines with their
    moderator, member, topic, post and category (older pages by `before_id`)."""
    categories = Category.objects.only("pk", "name").order_by("position", "name")
    lines = ModerationLog.objects.select_related("moderator", "author", "topic", "post", "category")
    if not user.is_staff:
        ids = moderated_category_ids(user)
        categories = categories.filter(pk__in=ids)
        lines = lines.filter(category__in=ids)
    if moderator:
        lines = lines.filter(moderator__username__iexact=moderator)
    if member:
        lines = lines.filter(author__username__iexact=member)
    if category:
        lines = lines.filter(category_id=category)
    if action:
        lines = lines.filter(action=action)
    if before_id:
        lines = lines.filter(pk__lt=before_id)
    page = list(
        lines.defer(
            "post__body", "post__cooked", "moderator__password", "author__password"
        ).order_by("-pk")[: LOG_PAGE_SIZE + 1]
    )
    return LogPage(
        entries=page[:LOG_PAGE_SIZE],
        has_more=len(page) > LOG_PAGE_SIZE,
        categories=list(categories),
    )


def warnings_of(member) -> list[MemberWarning]:
    """A member's own warnings, newest first. 1 query: with the post and its topic."""
    return list(
        MemberWarning.objects.filter(member=member)
        .select_related("post__topic")
        .defer("post__body", "post__cooked")
    )


def categories_moderated_by(user) -> list[Category]:
    """The categories this user moderates (every one for staff), in the site's order. 1 query."""
    categories = Category.objects.only("pk", "name")
    if not user.is_staff:
        categories = categories.filter(pk__in=moderated_category_ids(user))
    return list(categories.order_by("position", "name"))


def chosen_posts(topic, post_ids: list[int]) -> list[Post]:
    """The ticked posts of a topic, in its order, with their authors. 1 query."""
    posts = Post.objects.filter(topic=topic, pk__in=post_ids, number__isnull=False)
    return list(posts.select_related("author").defer("body").order_by("number"))


ADDRESSES_SHOWN = 50
ACCOUNTS_SHOWN = 50


@dataclass(frozen=True)
class SeenAddress:
    ip_address: str
    posts: int
    last_seen: object  # datetime


@dataclass(frozen=True)
class SharedAccount:
    member: object  # accounts.User
    posts: int  # their posts from the member's addresses


@dataclass(frozen=True)
class MemberOverview:
    member: object
    addresses: list[SeenAddress]
    other_accounts: list[SharedAccount]
    suspended_until: object  # datetime or None
    banned_posts_hidden: int  # posts hidden with every post of theirs at once


def member_overview(viewer, member) -> MemberOverview:
    """What moderators see of a member: the addresses their posts came from (from posts in
    the categories this viewer moderates; every one for staff) and the other accounts that
    posted from the same addresses. 5 queries: addresses, accounts, their members,
    suspension, hidden posts."""
    posts = Post.objects.exclude(ip_address=None)
    if not viewer.is_staff:
        posts = posts.filter(topic__category__in=moderated_category_ids(viewer))
    seen = (
        posts.filter(author=member)
        .values("ip_address")
        .annotate(n=Count("pk"), last=Max("created_at"))
        .order_by("-last")[:ADDRESSES_SHOWN]
    )
    addresses = [SeenAddress(row["ip_address"], row["n"], row["last"]) for row in seen]
    shared = (
        posts.filter(ip_address__in=[a.ip_address for a in addresses], author__isnull=False)
        .exclude(author=member)
        .values("author")
        .annotate(n=Count("pk"))
        .order_by("-n", "author")[:ACCOUNTS_SHOWN]
    )
    counts = {row["author"]: row["n"] for row in shared}
    members = User.objects.filter(pk__in=list(counts)).only("pk", "username", "is_active")
    others = sorted(
        (SharedAccount(user, counts[user.pk]) for user in members),
        key=lambda account: (-account.posts, account.member.username),
    )
    return MemberOverview(
        member=member,
        addresses=addresses,
        other_accounts=others,
        suspended_until=limits.suspended_until(member),
        banned_posts_hidden=Post.objects.filter(
            author=member, status=Post.Status.DELETED, hidden_as="banned"
        ).count(),
    )
