from django.contrib import admin

from .models import Bounce, OutboxEmail


class BounceInline(admin.TabularInline):
    model = Bounce
    fields = ("address", "code", "reply", "bounced_at")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    list_display = ("subject", "created_at", "attempts", "sent_at", "given_up_at")
    list_filter = ("sent_at", "given_up_at")
    readonly_fields = ("recipients", "attempts", "last_error", "sent_at", "given_up_at")
    exclude = ("mime",)
    inlines = [BounceInline]


@admin.register(Bounce)
class BounceAdmin(admin.ModelAdmin):
    """Addresses no notification or digest is sent to; delete a row to send to it again."""

    list_display = ("address", "code", "reply", "bounced_at")
    search_fields = ("address",)
    readonly_fields = ("address", "code", "reply", "bounced_at", "email")

    def has_add_permission(self, request) -> bool:
        return False
