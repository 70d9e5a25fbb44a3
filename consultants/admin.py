from django.contrib import admin

from .models import Invitation


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "kind", "role", "firm", "created_at", "expires_at", "state"]
    list_filter = ["kind", "firm"]
    search_fields = ["email", "firm__name"]
    # The token exists only as a digest; nothing here can recreate a link.
    readonly_fields = ["token_hash", "created_at", "accepted_at", "accepted_by", "organization"]
    raw_id_fields = ["invited_by"]
