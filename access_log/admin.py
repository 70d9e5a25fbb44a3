from django.contrib import admin

from .models import AccessRecord


@admin.register(AccessRecord)
class AccessRecordAdmin(admin.ModelAdmin):
    """Read-only: the log is evidence, so nobody edits it by hand."""

    list_display = ["at", "organization", "viewer_name", "firm_name", "what"]
    list_filter = ["what"]
    search_fields = ["organization__name", "viewer_name", "firm_name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
