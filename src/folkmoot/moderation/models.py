import ipaddress

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class QueuedPost(models.Model):
    """A pending post waiting for a moderator. Its presence is what "awaiting approval" means;
    a pending guest post without one is still waiting for its author to register."""

    class Reason(models.TextChoices):
        GUEST = "guest", "Guest post in a moderated category"
        NEW_MEMBER = "new_member", "New member in a category that holds their posts"

    post = models.OneToOneField(
        "discussions.Post", on_delete=models.CASCADE, related_name="moderation_entry"
    )
    reason = models.CharField(max_length=20, choices=Reason.choices)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ("created_at", "pk")

    def __str__(self) -> str:
        return f"Post {self.post_id} awaiting approval"


class ModerationLog(models.Model):
    class Action(models.TextChoices):
        APPROVE = "approve", "Approved"
        REJECT = "reject", "Rejected"

    action = models.CharField(max_length=20, choices=Action.choices)
    post = models.ForeignKey(
        "discussions.Post", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return f"{self.get_action_display()} post {self.post_id}"


def validate_network(value: str) -> None:
    try:
        ipaddress.ip_network(value, strict=False)
    except ValueError:
        raise ValidationError(
            f"{value!r} is not an IP address or range like 203.0.113.0/24."
        ) from None


class Ban(models.Model):
    """Refuses posts from an email address or an IP range."""

    email = models.EmailField(blank=True, help_text="Refuse posts from this address.")
    ip_network = models.CharField(
        max_length=50,
        blank=True,
        validators=[validate_network],
        help_text="An address or a range in CIDR form, e.g. 203.0.113.0/24.",
    )
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return self.email or self.ip_network

    def clean(self):
        if not self.email and not self.ip_network:
            raise ValidationError("Give an email address, an IP range, or both.")

    def matches(self, *, email: str | None, ip_address: str | None) -> bool:
        if self.email and email and self.email.lower() == email.lower():
            return True
        if self.ip_network and ip_address:
            try:
                return ipaddress.ip_address(ip_address) in ipaddress.ip_network(
                    self.ip_network, strict=False
                )
            except ValueError:
                return False
        return False
