from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

# Avatar background colours for members without a picture, picked by user id.
AVATAR_COLOURS = ("#2f6f9f", "#9f2f5b", "#3f8f4f", "#8f6f1f", "#6f3f9f", "#1f7f7f", "#9f4f2f")


class User(AbstractUser):
    """A forum member. Custom from day one so profile fields never need a swap later."""

    post_count = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "accounts_user"

    def __str__(self) -> str:
        return self.username

    @property
    def display_name(self) -> str:
        return self.username

    @property
    def initial(self) -> str:
        return (self.username[:1] or "?").upper()

    @property
    def avatar_colour(self) -> str:
        return AVATAR_COLOURS[(self.pk or 0) % len(AVATAR_COLOURS)]


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
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = GuestPostQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Guest post {self.post_id} by {self.email}"
