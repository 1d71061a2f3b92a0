from django.contrib import admin

from .models import Ban, ModerationLog, QueuedPost


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
    list_display = ("post", "reason", "created_at")
    raw_id_fields = ("post",)
