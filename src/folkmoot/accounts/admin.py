from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import User


@admin.register(User)
class MemberAdmin(UserAdmin):
    list_display = ("username", "email", "post_count", "date_joined", "is_staff", "is_active")
    readonly_fields = ("post_count",)
