from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import normalize


class QueuedPost(models.Model):
    """A pending post waiting for a moderator. Its presence is what "awaiting approval" means;
    a pending guest post without one is still waiting for its author to register."""

    class Reason(models.TextChoices):
        GUEST = "guest", _("Guest post in a moderated category")
        NEW_MEMBER = "new_member", _("New member in a category that holds their posts")

    post = models.OneToOneField(
        "discussions.Post", on_delete=models.CASCADE, related_name="moderation_entry"
    )
    reason = models.CharField(max_length=20, choices=Reason.choices)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ("created_at", "pk")
        # The queue in its order (queries.queue_for), oldest first, without a sort.
        indexes = [models.Index(fields=["created_at", "id"], name="queue_order_idx")]

    def __str__(self) -> str:
        return f"Post {self.post_id} awaiting approval"


class ModerationLog(models.Model):
    """One line per moderation action: who, what, when, why, and the state before and after.
    Append-only: written by the services that act, never edited or deleted from the site."""

    class Action(models.TextChoices):
        APPROVE = "approve", _("Approved")
        REJECT = "reject", _("Rejected")
        PIN = "pin", _("Pinned")
        UNPIN = "unpin", _("Unpinned")
        LOCK = "lock", _("Locked")
        UNLOCK = "unlock", _("Unlocked")
        MOVE = "move", _("Moved")
        HIDE = "hide", _("Hid")
        DELETE = "delete", _("Deleted")
        RESTORE = "restore", _("Restored")
        HIDE_REPORTED = "hide_reported", _("Hidden by reports")
        DISMISS_REPORTS = "dismiss_reports", _("Dismissed reports")
        WARN = "warn", _("Warned")
        BAN = "ban", _("Banned")
        MERGE = "merge", _("Merged")
        SPLIT = "split", _("Split")
        MOVE_POSTS = "move_posts", _("Moved posts")
        SUSPEND = "suspend", _("Suspended")
        HIDE_MEMBER_POSTS = "hide_member_posts", _("Hid all posts of")
        RESTORE_MEMBER_POSTS = "restore_member_posts", _("Restored posts of")

    action = models.CharField(max_length=20, choices=Action.choices)
    post = models.ForeignKey(
        "discussions.Post", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    topic = models.ForeignKey(
        "discussions.Topic", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The category the action happened in (for a move, the one it left): who may read the line.
    category = models.ForeignKey(
        "forums.Category", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The member acted upon: the post's author, or the member warned.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=500, blank=True)
    before = models.CharField(max_length=200, blank=True)
    after = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return f"{self.get_action_display()} post {self.post_id}"

    @classmethod
    def record(
        cls,
        action: str,
        *,
        moderator,
        post=None,
        topic=None,
        category_id: int | None = None,
        member=None,
        reason: str = "",
        before: str = "",
        after: str = "",
    ) -> "ModerationLog":
        """One line, written in the transaction of the action it records."""
        if topic is None and post is not None:
            topic = post.topic
        if member is None and post is not None:
            member = post.author
        return cls.objects.create(
            action=action,
            moderator=moderator,
            post=post,
            topic=topic,
            category_id=category_id
            if category_id is not None
            else getattr(topic, "category_id", None),
            author=member,
            reason=reason[:500],
            before=before[:200],
            after=after[:200],
        )


class Report(models.Model):
    """A member's report of a post. Open until a moderator decides (hide, delete, dismiss);
    the decision is kept as its outcome, and the reporter is told."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam or advertising")
        RUDE = "rude", _("Rude, abusive or harassing")
        OFF_TOPIC = "off_topic", _("Off topic")
        ILLEGAL = "illegal", _("Illegal content")
        OTHER = "other", _("Something else")

    class Outcome(models.TextChoices):
        HIDDEN = "hidden", _("The post was hidden")
        DELETED = "deleted", _("The post was deleted")
        DISMISSED = "dismissed", _("No action was needed")

    post = models.ForeignKey("discussions.Post", on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports_made"
    )
    reason = models.CharField(max_length=20, choices=Reason.choices)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    resolved_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)

    class Meta:
        ordering = ("created_at", "pk")
        constraints = [
            # One open report per member and post: reporting twice changes nothing.
            models.UniqueConstraint(
                fields=["post", "reporter"],
                condition=models.Q(resolved_at__isnull=True),
                name="one_open_report_per_reporter",
            )
        ]

    def __str__(self) -> str:
        return f"Report of post {self.post_id} by {self.reporter_id}"


class MemberWarning(models.Model):
    """A moderator's warning to a member: a reason, points, and when it stops counting."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="warnings"
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    post = models.ForeignKey(
        "discussions.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=500)
    points = models.PositiveSmallIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return f"Warning to {self.member_id}: {self.points} point(s)"

    @property
    def is_active(self) -> bool:
        return self.expires_at is None or self.expires_at > timezone.now()


def validate_network(value: str) -> None:
    try:
        normalize.ip_network(value)
    except ValueError:
        raise ValidationError(
            f"{value!r} is not an IP address or range like 203.0.113.0/24."
        ) from None


class Ban(models.Model):
    """Refuses posts from an email address or an IP range."""

    email = models.EmailField(
        blank=True,
        help_text="Refuse posts from this address, and from the variants that reach the same "
        "inbox or look the same (capitals, +tags, dots, quotes, lookalike letters).",
    )
    ip_network = models.CharField(
        max_length=50,
        blank=True,
        validators=[validate_network],
        help_text="An address or a range in CIDR form, e.g. 203.0.113.0/24. An IPv6 address "
        "bans its whole /64, which one customer can rotate through.",
    )
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return self.email or self.ip_network

    def clean(self):
        if not self.email and not self.ip_network:
            raise ValidationError(_("Give an email address, an IP range, or both."))

    def matches(self, *, email: str | None, ip_address: str | None) -> bool:
        """Compares normalized forms (moderation/normalize.py), so `::ffff:192.0.2.9` is in
        192.0.2.0/24 and `J.Doe+x@exаmple.org` is jdoe@example.org."""
        if self.email and email and normalize.email_key(self.email) == normalize.email_key(email):
            return True
        address = normalize.ip_address(ip_address)
        if self.ip_network and address is not None:
            try:
                return address in normalize.ip_network(self.ip_network)
            except ValueError:
                return False
        return False


class Suspension(models.Model):
    """A member may not post until `until` (moderation.limits.check_suspended), and is told
    until when. The latest one that has not ended counts."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="suspensions"
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    until = models.DateTimeField()

    class Meta:
        ordering = ("-until", "-pk")
        indexes = [models.Index(fields=["member", "-until"], name="suspension_member_idx")]

    def __str__(self) -> str:
        return f"{self.member_id} suspended until {self.until:%Y-%m-%d %H:%M}"


class RateLimit(models.Model):
    """One sender's count in one limit's current window (flood control, daily caps).

    Kept in the database, not the cache: every app process sees the same row, with or without
    Redis, and no cache eviction can reset it. The key is unique, so concurrent requests count
    by conditional UPDATEs on one row (moderation/limits.py). Expired rows are deleted by the
    hourly housekeeping task."""

    key = models.CharField(max_length=255, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key}: {self.count} until {self.expires_at:%Y-%m-%d %H:%M}"


class SpentProof(models.Model):
    """A solved proof-of-work challenge already used by a post: the unique digest makes a
    second use fail, in whichever process it arrives. Kept until the challenge expires."""

    digest = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"Proof {self.digest[:12]}… until {self.expires_at:%Y-%m-%d %H:%M}"
