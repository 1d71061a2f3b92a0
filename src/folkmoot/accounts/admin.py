from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import GuestPost, User


@admin.register(User)
class MemberAdmin(UserAdmin):
    list_display = ("username", "email", "post_count", "date_joined", "is_staff", "is_active")
    readonly_fields = ("post_count",)


@admin.register(GuestPost)
class GuestPostAdmin(admin.ModelAdmin):
    list_display = ("post", "email", "display_name", "ip_address", "created_at", "claimed_at")
    search_fields = ("email", "display_name", "ip_address")
    raw_id_fields = ("post", "claimed_by")
    readonly_fields = ("claim_token",)
