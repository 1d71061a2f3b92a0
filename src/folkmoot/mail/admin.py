from django.contrib import admin

from .models import OutboxEmail


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    list_display = ("subject", "created_at", "attempts", "sent_at", "given_up_at")
    list_filter = ("sent_at", "given_up_at")
    readonly_fields = ("recipients", "attempts", "last_error", "sent_at", "given_up_at")
    exclude = ("mime",)
