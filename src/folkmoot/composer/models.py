from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.utils import timezone


class Draft(models.Model):
    """The text a member is writing, saved by the editor every few seconds.

    `seq` rises by one on every save; a save that names an older seq comes from a stale tab and
    is refused, so it can never overwrite newer text written elsewhere.
    """

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drafts"
    )
    key = models.CharField(max_length=64, help_text="What the draft is for, e.g. topic-12.")
    body = models.TextField(blank=True)
    seq = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["author", "key"], name="one_draft_per_place")
        ]

    def __str__(self) -> str:
        return f"Draft {self.key} by {self.author_id}"


class UploadPolicy(models.Model):
    """What the members of a group may upload. A member gets the most generous of their groups;
    members of no such group get settings.FOLKMOOT['UPLOADS_DEFAULT']."""

    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="upload_policy")
    may_upload = models.BooleanField(default=True)
    max_file_bytes = models.PositiveIntegerField(default=5 * 1024 * 1024)
    quota_bytes = models.PositiveBigIntegerField(default=100 * 1024 * 1024)

    class Meta:
        verbose_name_plural = "upload policies"

    def __str__(self) -> str:
        return f"Uploads for {self.group}"


def attachment_path(attachment: "Attachment", filename: str) -> str:
    now = timezone.now()
    return f"attachments/{now:%Y/%m}/{filename}"


class Attachment(models.Model):
    """An uploaded image, re-encoded by the server. Tied to a post once a post uses it."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attachments"
    )
    post = models.ForeignKey(
        "discussions.Post",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attachments",
    )
    file = models.FileField(upload_to=attachment_path, max_length=255)
    original_name = models.CharField(max_length=255, blank=True)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size_bytes = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return self.file.name


class LinkPreview(models.Model):
    """What a linked page says about itself (OpenGraph, Twitter card, <title>), fetched in the
    background for links that stand alone in a post. One row per URL; a failed fetch is kept
    too, so it is not tried again on every post until it is due for a retry."""

    class Status(models.TextChoices):
        OK = "ok", "Fetched"
        FAILED = "failed", "Failed"

    # URLs can be longer than an index allows: the unique key is the URL's SHA-256.
    url_hash = models.CharField(max_length=64, unique=True)
    url = models.TextField()
    status = models.CharField(max_length=8, choices=Status.choices)
    title = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    site_name = models.CharField(max_length=200, blank=True)
    image_url = models.TextField(blank=True, help_text="http or https only; shown if https.")
    fetched_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.url} ({self.status})"

    @property
    def is_ok(self) -> bool:
        return self.status == self.Status.OK


def remote_image_path(image: "RemoteImage", filename: str) -> str:
    now = timezone.now()
    return f"remote/{now:%Y/%m}/{filename}"


class RemoteImage(models.Model):
    """Our own copy of an image a post (or a link preview) shows from another site, fetched by
    the worker and re-encoded like an upload. Readers' browsers only ever load this copy: until
    it exists the post shows a plain link, so no reader fetches a third-party or private URL.
    One row per URL; a failed fetch is kept too, and tried again after a day."""

    class Status(models.TextChoices):
        OK = "ok", "Fetched"
        FAILED = "failed", "Failed"

    url_hash = models.CharField(max_length=64, unique=True)
    url = models.TextField()
    status = models.CharField(max_length=8, choices=Status.choices)
    file = models.FileField(upload_to=remote_image_path, max_length=255, blank=True)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    fetched_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.url} ({self.status})"

    @property
    def is_ok(self) -> bool:
        return self.status == self.Status.OK and bool(self.file)
