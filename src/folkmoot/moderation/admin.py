from django.contrib import admin

from .models import Ban, ModerationLog, QueuedPost, RateLimit


@admin.register(Ban)
class BanAdmin(admin.ModelAdmin):
    list_display = ("email", "ip_network", "reason", "created_at")
    search_fields = ("email", "ip_network", "reason")


@admin.register(ModerationLog)
class ModerationLogAdmin(admin.ModelAdmin):
    list_display = ("created_at", "action", "post", "author", "moderator", "reason")
    list_filter = ("action",)
    raw_id_fields = ("post", "moderator", "author")

    # The log is a record: readable in the admin, written only by moderation.services.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(QueuedPost)
class QueuedPostAdmin(admin.ModelAdmin):
    """Read only: a held post is approved or rejected in the queue, through the lifecycle."""

    list_display = ("post", "reason", "created_at")
    raw_id_fields = ("post",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RateLimit)
class RateLimitAdmin(admin.ModelAdmin):
    """Counters, written only by moderation.limits. Staff may delete one to lift a limit
    early (a guest's daily cap after a mistake)."""

    list_display = ("key", "count", "expires_at")
    search_fields = ("key",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
