from django.contrib import admin

from .models import Post, PostRevision, Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("title", "category", "author", "post_count", "last_posted_at", "is_pinned")
    list_filter = ("category", "is_pinned", "is_locked", "is_deleted")
    search_fields = ("title",)
    raw_id_fields = ("author", "last_post")
    readonly_fields = ("post_count", "next_number", "last_post", "last_posted_at")


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
    readonly_fields = ("number", "cooked", "renderer_version", "ip_address")
    inlines = [PostRevisionInline]
