from django.db import models
from django.utils.text import slugify

from folkmoot.url_memo import memo_reverse


class CategoryQuerySet(models.QuerySet):
    def for_index(self):
        """Categories as the index lists them, with their latest post and its author."""
        return self.select_related("last_post__author", "last_post__topic").order_by(
            "position", "name"
        )


class Category(models.Model):
    class GuestPolicy(models.TextChoices):
        NONE = "none", "Guests may not post"
        REGISTER_LATER = "register_later", "Guests post now and register later"
        MODERATED = "moderated", "Guests post now; every guest post is moderated"

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, allow_unicode=True)
    description = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)
    guest_policy = models.CharField(
        max_length=20, choices=GuestPolicy.choices, default=GuestPolicy.REGISTER_LATER
    )
    moderate_new_members = models.BooleanField(
        default=False,
        help_text="Hold posts from new members (and registered guests) for a moderator.",
    )
    moderators = models.ManyToManyField(
        "accounts.User", blank=True, related_name="moderated_categories"
    )

    # Denormalized, written in the same transaction as the post or topic that changes them.
    topic_count = models.PositiveIntegerField(default=0)
    post_count = models.PositiveIntegerField(default=0)
    last_post = models.ForeignKey(
        "discussions.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ("position", "name")
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name, allow_unicode=True) or "category"
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return memo_reverse("category", kwargs={"category_id": self.pk, "slug": self.slug})
