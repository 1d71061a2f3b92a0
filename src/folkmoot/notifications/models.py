from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import kinds


class Delivery(models.TextChoices):
    """How a member hears about what they follow."""

    BOTH = "both", _("Instantly, on the site and by email")
    SITE = "site", _("Instantly, on the site")
    EMAIL = "email", _("Instantly, by email")
    DAILY = "daily", _("In a daily email digest")
    WEEKLY = "weekly", _("In a weekly email digest")
    NONE = "none", _("Not at all (only in my followed list)")


class Follow(models.Model):
    """A member follows exactly one of: a topic, a category, another member."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    topic = models.ForeignKey(
        "discussions.Topic", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    category = models.ForeignKey(
        "forums.Category", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    followed_member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="followers",
    )
    delivery = models.CharField(max_length=8, choices=Delivery.choices, default=Delivery.BOTH)
    # "Let others see that I follow this": unticked, the follower list counts it as anonymous.
    is_public = models.BooleanField(default=True)
    # An instant email about this topic went out and the member has not read it since: no
    # second email until they do (one email per followed topic until the next visit).
    awaiting_visit = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="follow_has_one_target",
                condition=(
                    Q(topic__isnull=False, category__isnull=True, followed_member__isnull=True)
                    | Q(topic__isnull=True, category__isnull=False, followed_member__isnull=True)
                    | Q(topic__isnull=True, category__isnull=True, followed_member__isnull=False)
                ),
            ),
            models.UniqueConstraint(
                fields=["member", "topic"],
                condition=Q(topic__isnull=False),
                name="follow_topic_once",
            ),
            models.UniqueConstraint(
                fields=["member", "category"],
                condition=Q(category__isnull=False),
                name="follow_category_once",
            ),
            models.UniqueConstraint(
                fields=["member", "followed_member"],
                condition=Q(followed_member__isnull=False),
                name="follow_member_once",
            ),
        ]
        # The fan-out walks a target's followers in id order, batch by batch.
        indexes = [
            models.Index(fields=["topic", "id"], name="follow_topic_idx"),
            models.Index(fields=["category", "id"], name="follow_category_idx"),
            models.Index(fields=["followed_member", "id"], name="follow_member_idx"),
        ]

    def __str__(self) -> str:
        target = self.topic_id or self.category_id or self.followed_member_id
        return f"{self.member_id} follows {target}"

    @property
    def target(self):
        return self.topic or self.category or self.followed_member


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=kinds.CHOICES)
    post = models.ForeignKey(
        "discussions.Post", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    topic = models.ForeignKey(
        "discussions.Topic", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Shown in the bell and the list (false: only waiting for a digest).
    on_site = models.BooleanField(default=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # "daily" or "weekly" while it waits for its digest; "" otherwise.
    digest = models.CharField(max_length=8, blank=True, default="")
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["recipient", "on_site", "read_at"], name="notification_unread_idx"
            ),
            models.Index(fields=["recipient", "-created_at"], name="notification_list_idx"),
            models.Index(fields=["digest", "emailed_at"], name="notification_digest_idx"),
            models.Index(fields=["post"], name="notification_post_idx"),
        ]

    def __str__(self) -> str:
        return f"{kinds.label(self.kind)} → {self.recipient_id}"

    @property
    def label(self) -> str:
        return kinds.label(self.kind)

    @property
    def shown_note(self) -> str:
        return kinds.shown_note(self.kind, self.note)


class KindPreference(models.Model):
    """A member's choice for one kind; without a row, the kind's defaults apply."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=kinds.CHOICES)
    on_site = models.BooleanField(default=True)
    by_email = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "kind"], name="kind_preference_once")
        ]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.kind}"


class MemberSettings(models.Model):
    """Per-member settings of following; without a row, the defaults."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    # "Follow this topic" is ticked on the reply and new-topic forms.
    follow_when_posting = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"settings of {self.member_id}"


class TopicRead(models.Model):
    """How far a member has read: one row per member and topic they opened, holding the
    highest post number read (never one row per post), and one row with no topic holding when
    they last chose "Mark all read": everything posted before `read_at` counts as read. A
    member without that row has read everything posted before they joined."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(
        "discussions.Topic", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    last_number = models.PositiveIntegerField(default=0)
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "topic"],
                condition=Q(topic__isnull=False),
                name="topic_read_once",
            ),
            models.UniqueConstraint(
                fields=["member"], condition=Q(topic__isnull=True), name="all_read_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} read {self.topic_id or 'all'} to {self.last_number}"
