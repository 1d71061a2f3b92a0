from django.contrib import admin
from django.db import transaction

from . import lifecycle, services
from .models import Post, PostRevision, Topic

READ_ONLY_TOPIC_FIELDS = (
    "category", "slug", "author", "created_at", "is_deleted", "post_count", "next_number",
    "last_post", "last_posted_at",
)  # fmt: skip


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("title", "category", "author", "post_count", "last_posted_at", "is_pinned")
    list_filter = ("category", "is_pinned", "is_locked", "is_deleted")
    search_fields = ("title",)
    raw_id_fields = ("author", "last_post")
    # Only what a transition of the lifecycle changes is editable here: a title, a pin, a lock.
    # Moving (two categories' counters) and hiding go through the site's moderation.
    fields = ("title", "is_pinned", "is_locked", *READ_ONLY_TOPIC_FIELDS)
    readonly_fields = READ_ONLY_TOPIC_FIELDS

    def has_add_permission(self, request):
        return False  # topics start on the site, where the first post is written with them

    def has_delete_permission(self, request, obj=None):
        return False  # counters: hide its first post instead

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        # Not obj.save(): the lifecycle makes each change and its consequences (cached pages).
        data = form.cleaned_data
        lifecycle.rename_topic(obj, title=data["title"])
        lifecycle.pin_topic(obj, pinned=data["is_pinned"])
        lifecycle.lock_topic(obj, locked=data["is_locked"])


class PostRevisionInline(admin.TabularInline):
    model = PostRevision
    extra = 0
    readonly_fields = ("body", "editor", "created_at")
    can_delete = False


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ("__str__", "topic", "author", "status", "created_at")
    list_filter = ("status",)
    search_fields = ("body",)
    raw_id_fields = ("topic", "author")
    readonly_fields = (
        "topic", "author", "number", "status", "cooked", "renderer_version", "ip_address",
        "created_at", "edited_at",
    )  # fmt: skip
    inlines = [PostRevisionInline]

    def has_add_permission(self, request):
        return False  # posts are written on the site, where they are numbered and counted

    def has_delete_permission(self, request, obj=None):
        return False  # counters and numbers: hide it on the site instead

    def save_model(self, request, obj, form, change):
        # An edit from the admin is an edit like any other: re-rendered, with a revision kept.
        post = Post.objects.get(pk=obj.pk)
        services.edit_post(post=post, editor=request.user, body=form.cleaned_data["body"])
