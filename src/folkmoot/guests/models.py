from django.conf import settings
from django.db import models
from django.utils import timezone


class GuestPostQuerySet(models.QuerySet):
    def unclaimed(self):
        return self.filter(claimed_at__isnull=True)


class GuestPost(models.Model):
    """Who wrote a guest's pending post, until an account with that email claims it."""

    post = models.OneToOneField("discussions.Post", on_delete=models.CASCADE, related_name="guest")
    email = models.EmailField(db_index=True)
    display_name = models.CharField(max_length=60, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # The secret in the "finish registering" link.
    claim_token = models.CharField(max_length=64, unique=True)
    # Scheme and host the guest posted on, so emails sent later link back to the same site.
    origin = models.CharField(max_length=200, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = GuestPostQuerySet.as_manager()

    class Meta:
        # Created by the accounts app before guest posting had an app of its own.
        db_table = "accounts_guestpost"

    def __str__(self) -> str:
        return f"Guest post {self.post_id} by {self.email}"
