from django.contrib import admin

from .models import Attachment, LinkPreview, UploadPolicy


@admin.register(UploadPolicy)
class UploadPolicyAdmin(admin.ModelAdmin):
    list_display = ("group", "may_upload", "max_file_bytes", "quota_bytes")


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ("file", "owner", "post", "width", "height", "size_bytes", "created_at")
    raw_id_fields = ("owner", "post")


@admin.register(LinkPreview)
class LinkPreviewAdmin(admin.ModelAdmin):
    """Deleting a preview makes the next post that links it fetch it again."""

    list_display = ("url", "status", "title", "site_name", "fetched_at")
    list_filter = ("status",)
    search_fields = ("url", "title")
    readonly_fields = ("url_hash",)
