from django.contrib import admin

from .models import GuestPost


@admin.register(GuestPost)
class GuestPostAdmin(admin.ModelAdmin):
    list_display = ("post", "email", "display_name", "ip_address", "created_at", "claimed_at")
    search_fields = ("email", "display_name", "ip_address")
    raw_id_fields = ("post", "claimed_by")
    readonly_fields = ("claim_token",)
