from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class TopicQuerySet(models.QuerySet):
    def visible(self):
        # A topic with no published post yet is one whose first post awaits approval.
        return self.filter(is_deleted=False, post_count__gt=0)


class Topic(models.Model):
    category = models.ForeignKey("forums.Category", on_delete=models.CASCADE, related_name="topics")
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, allow_unicode=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="topics"
    )
    created_at = models.DateTimeField(default=timezone.now)
    is_pinned = models.BooleanField(default=False)
    is_locked = models.BooleanField(default=False)
    is_deleted = models.BooleanField(default=False)

    # Denormalized, written in the same transaction as the post that changes them.
    post_count = models.PositiveIntegerField(default=0)
    last_post = models.ForeignKey(
        "Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_posted_at = models.DateTimeField(default=timezone.now, db_index=True)
    # The number the next published post takes. Numbers never change once given.
    next_number = models.PositiveIntegerField(default=1)

    objects = TopicQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(
                fields=["category", "-is_pinned", "-last_posted_at"], name="topic_listing_idx"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("topic", kwargs={"topic_id": self.pk, "slug": self.slug})


class PostQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Post.Status.PUBLISHED)


class Post(models.Model):
    class Status(models.TextChoices):
        PUBLISHED = "published", "Published"
        PENDING = "pending", "Awaiting approval"
        DELETED = "deleted", "Deleted"

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="posts")
    # Given at publication under a lock on the topic; null while the post is pending.
    number = models.PositiveIntegerField(null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="posts"
    )
    body = models.TextField(help_text="Markdown source, as the author wrote it.")
    cooked = models.TextField(help_text="Sanitized HTML rendered from the body.")
    renderer_version = models.PositiveIntegerField(default=0)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PUBLISHED, db_index=True
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["topic", "number"], name="post_number_unique_in_topic")
        ]
        indexes = [models.Index(fields=["topic", "status", "number"], name="post_reading_idx")]

    def __str__(self) -> str:
        return f"#{self.number} in {self.topic_id}"

    def get_absolute_url(self) -> str:
        return reverse("post_permalink", kwargs={"post_id": self.pk})


class PostRevision(models.Model):
    """The body a post had before an edit; moderators can read every one."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("created_at", "pk")

    def __str__(self) -> str:
        return f"Revision of post {self.post_id} from {self.created_at:%Y-%m-%d %H:%M}"
