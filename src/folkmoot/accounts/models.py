from django.contrib.auth.models import AbstractUser
from django.db import models

# Avatar background colours for members without a picture, picked by user id.
# Avatar backgrounds are a fixed palette of CSS classes (site.css: .avatar-colour-0 …), not
# style attributes, which the Content-Security-Policy forbids.
AVATAR_PALETTE_SIZE = 7

SIGNATURE_MAX = 300  # characters of the signature's text: a line or two under each post
DISPLAY_NAME_MAX = 50


class Theme(models.TextChoices):
    SYSTEM = "system", "Same as my device"
    LIGHT = "light", "Light"
    DARK = "dark", "Dark"


class User(AbstractUser):
    """A forum member. Custom from day one so profile fields never need a swap later."""

    post_count = models.PositiveIntegerField(default=0)
    # A square picture, re-encoded on upload (people.services.set_avatar); the initial on a
    # coloured disc without one.
    avatar = models.FileField(upload_to="avatars/", blank=True, db_default="")
    # The name shown on posts and the profile; the username (what @mentions and /u/ use)
    # when blank.
    chosen_name = models.CharField(max_length=DISPLAY_NAME_MAX, blank=True, db_default="")
    # The text the member typed, and its HTML through the sanitizer (people.services).
    signature = models.TextField(max_length=SIGNATURE_MAX, blank=True, db_default="")
    signature_html = models.TextField(blank=True, db_default="")
    # An IANA zone name ("Europe/Berlin"): dates are shown in it. Blank: the site's zone.
    time_zone = models.CharField(max_length=64, blank=True, db_default="")
    # Applied by the server before the first paint (base.html), on every device they sign in on.
    theme = models.CharField(
        max_length=6, choices=Theme.choices, default=Theme.SYSTEM, db_default=Theme.SYSTEM
    )
    # A code from settings.LANGUAGES: pages and emails for this member are in it. Blank: the
    # site's language (FOLKMOOT_LANGUAGE).
    language = models.CharField(max_length=16, blank=True, db_default="")

    class Meta:
        db_table = "accounts_user"

    def __str__(self) -> str:
        return self.username

    @property
    def display_name(self) -> str:
        return self.chosen_name or self.username

    @property
    def initial(self) -> str:
        return (self.display_name[:1] or "?").upper()

    @property
    def avatar_class(self) -> str:
        return f"avatar-colour-{(self.pk or 0) % AVATAR_PALETTE_SIZE}"


class Ignore(models.Model):
    """`member` ignores `ignored`: their posts collapse on `member`'s pages, and their mentions
    and quotes do not notify `member`."""

    member = models.ForeignKey(User, on_delete=models.CASCADE, related_name="ignores")
    ignored = models.ForeignKey(User, on_delete=models.CASCADE, related_name="ignored_by")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "ignored"], name="ignore_once"),
            models.CheckConstraint(
                condition=~models.Q(member=models.F("ignored")), name="ignore_not_oneself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} ignores {self.ignored_id}"
