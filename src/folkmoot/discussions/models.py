import html

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator

from folkmoot.url_memo import memo_reverse


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
    # Recommendations of its posts: the topic page asks for the "Recommended Posts" block only
    # when there are some, so a topic without any costs no query for it.
    recommendation_count = models.PositiveIntegerField(default=0, db_default=0)
    # Set when a moderator merged this topic into another: its posts live there now, and its
    # URL redirects there (lifecycle.merge_topics). A merged topic is deleted and empty.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = TopicQuerySet.as_manager()

    class Meta:
        indexes = [
            # The category list, in its order (queries.CATEGORY_ORDER), then the columns its
            # filter reads (Django writes `NOT is_deleted`, which no index can seek on), so a
            # page's ids come from the index alone.
            models.Index(
                fields=[
                    "category",
                    "-is_pinned",
                    "-last_posted_at",
                    "-id",
                    "is_deleted",
                    "post_count",
                ],  # fmt: skip
                name="topic_listing_idx",
            ),
            # A category's latest post (lifecycle._latest_in_category): its topics newest
            # first, skipping the few deleted ones, with the last post's id in the index.
            models.Index(
                fields=["category", "-last_posted_at", "-id", "is_deleted", "last_post"],
                name="topic_latest_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return memo_reverse("topic", kwargs={"topic_id": self.pk, "slug": self.slug})


# A post's excerpt (the "Recommended Posts" block, profiles): about two lines.
EXCERPT_CHARS = 220


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
    # {kind: count} of its reactions, written with each reaction under the post's lock, so a
    # topic page shows counts without a query of its own.
    reaction_counts = models.JSONField(default=dict, db_default={}, blank=True)
    # Why a numbered post is not shown (lifecycle.HideReason: hidden with a reason, deleted,
    # hidden by reports until reviewed) and the note moderators see in its place.
    hidden_as = models.CharField(max_length=16, blank=True, db_default="")
    hidden_note = models.CharField(max_length=500, blank=True, db_default="")

    objects = PostQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["topic", "number"], name="post_number_unique_in_topic")
        ]
        # A topic page in reading order; with the id in it, a page's ids come from the index
        # alone (SQLite keeps the rowid in every index; PostgreSQL needs it listed).
        indexes = [
            models.Index(fields=["topic", "status", "number", "id"], name="post_reading_idx")
        ]

    def __str__(self) -> str:
        return f"#{self.number} in {self.topic_id}"

    def get_absolute_url(self) -> str:
        return memo_reverse("post_permalink", kwargs={"post_id": self.pk})

    @property
    def excerpt(self) -> str:
        """The post's opening words as plain text (escaped where shown): about two lines."""
        text = " ".join(html.unescape(strip_tags(self.cooked)).split())
        return Truncator(text).chars(EXCERPT_CHARS)


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


class Reaction(models.Model):
    """One member's reaction to one post: a member has at most one per post."""

    class Kind(models.TextChoices):
        LIKE = "like", "Like"
        THANKS = "thanks", "Thanks"
        HAHA = "haha", "Haha"
        CONFUSED = "confused", "Confused"
        SAD = "sad", "Sad"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reactions"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "member"], name="one_reaction_per_member")
        ]
        # Who reacted to a post, newest first, a page at a time.
        indexes = [models.Index(fields=["post", "-created_at", "-id"], name="reaction_list_idx")]

    def __str__(self) -> str:
        return f"{self.kind} on post {self.post_id} by {self.member_id}"


# The emoji shown for each kind, in the order the row shows them.
REACTION_EMOJI = {
    Reaction.Kind.LIKE: "\N{THUMBS UP SIGN}",
    Reaction.Kind.THANKS: "\N{PERSON WITH FOLDED HANDS}",
    Reaction.Kind.HAHA: "\N{SMILING FACE WITH OPEN MOUTH AND SMILING EYES}",
    Reaction.Kind.CONFUSED: "\N{CONFUSED FACE}",
    Reaction.Kind.SAD: "\N{CRYING FACE}",
}


class Recommendation(models.Model):
    """A moderator's pick of a post, shown above the posts on every page of its topic."""

    post = models.OneToOneField(Post, on_delete=models.CASCADE, related_name="recommendation")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="recommendations")
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["topic", "-created_at"], name="recommendation_topic_idx")]

    def __str__(self) -> str:
        return f"Recommendation of post {self.post_id}"

    @property
    def excerpt(self) -> str:
        return self.post.excerpt


class Nomination(models.Model):
    """A member's suggestion that the moderators recommend a post. It waits in the moderation
    queue until a moderator of the category recommends the post or dismisses the suggestion;
    the nominator is told which (services.recommend_post, services.dismiss_nominations)."""

    class Outcome(models.TextChoices):
        PENDING = "pending", "Waiting"
        RECOMMENDED = "recommended", "Recommended"
        DISMISSED = "dismissed", "Dismissed"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="nominations")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="nominations"
    )
    note = models.CharField(max_length=300, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "member"], name="one_nomination_per_member")
        ]
        # The queue: waiting nominations, oldest first.
        indexes = [models.Index(fields=["outcome", "created_at"], name="nomination_queue_idx")]

    def __str__(self) -> str:
        return f"Nomination of post {self.post_id} by {self.member_id}"
