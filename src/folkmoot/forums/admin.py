from django.contrib import admin

from .models import Category


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "position", "guest_policy", "moderate_new_members", "topic_count")
    filter_horizontal = ("moderators",)
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("topic_count", "post_count", "last_post")
