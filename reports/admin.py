from django.contrib import admin

from .models import ReviewComment


@admin.register(ReviewComment)
class ReviewCommentAdmin(admin.ModelAdmin):
    list_display = ["assessment", "pillar_key", "author", "created_at"]
    search_fields = ["text", "assessment__organization__name"]
    raw_id_fields = ["assessment", "author"]
