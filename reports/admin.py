from django.contrib import admin

from .models import ReviewComment, SectorBenchmark


@admin.register(ReviewComment)
class ReviewCommentAdmin(admin.ModelAdmin):
    list_display = ["assessment", "pillar_key", "author", "created_at"]
    search_fields = ["text", "assessment__organization__name"]
    raw_id_fields = ["assessment", "author"]


@admin.register(SectorBenchmark)
class SectorBenchmarkAdmin(admin.ModelAdmin):
    list_display = ["sector", "computed_at"]
    readonly_fields = ["sector", "bands", "computed_at"]
