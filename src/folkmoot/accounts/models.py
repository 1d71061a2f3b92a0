from django.contrib.auth.models import AbstractUser
from django.db import models

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
