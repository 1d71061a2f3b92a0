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
