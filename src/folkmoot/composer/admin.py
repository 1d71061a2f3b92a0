from django.contrib import admin

from .models import Attachment, UploadPolicy


@admin.register(UploadPolicy)
class UploadPolicyAdmin(admin.ModelAdmin):
    list_display = ("group", "may_upload", "max_file_bytes", "quota_bytes")


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ("file", "owner", "post", "width", "height", "size_bytes", "created_at")
    raw_id_fields = ("owner", "post")
