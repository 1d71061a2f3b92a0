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


@admin.register(QueuedPost)
class QueuedPostAdmin(admin.ModelAdmin):
    list_display = ("post", "reason", "created_at")
    raw_id_fields = ("post",)
