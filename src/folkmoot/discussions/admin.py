from django.contrib import admin

from . import page_cache, services
from .models import Post, PostRevision, Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("title", "category", "author", "post_count", "last_posted_at", "is_pinned")
    list_filter = ("category", "is_pinned", "is_locked", "is_deleted")
    search_fields = ("title",)
    raw_id_fields = ("author", "last_post")
    # Moving a topic changes two categories' counters: that needs a service, not a form field.
    readonly_fields = ("category", "post_count", "next_number", "last_post", "last_posted_at")

    def has_add_permission(self, request):
        return False  # topics start on the site, where the first post is written with them

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        page_cache.content_changed()  # a title, pin or lock shows on cached pages


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

    def save_model(self, request, obj, form, change):
        # An edit from the admin is an edit like any other: re-rendered, with a revision kept.
        post = Post.objects.get(pk=obj.pk)
        services.edit_post(post=post, editor=request.user, body=form.cleaned_data["body"])
