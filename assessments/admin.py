"""Admin for the question bank: search and filters, and read-only once a version is in use."""

from django.contrib import admin

from .models import (
    Answer,
    Assessment,
    FrameworkVersion,
    Level,
    Option,
    Pillar,
    Question,
    Recommendation,
    Sector,
    SectorPillarWeight,
)


class FrozenWhenUsedMixin:
    """Hide the edit and delete buttons for a version that assessments use.

    The models refuse such writes too; this only spares the administrator a
    form that cannot be saved.
    """

    def _framework_of(self, obj):
        return obj.framework_version() if hasattr(obj, "framework_version") else obj

    def has_change_permission(self, request, obj=None):
        if obj is not None and self._framework_of(obj).is_locked:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and self._framework_of(obj).is_locked:
            return False
        return super().has_delete_permission(request, obj)


class OptionInline(admin.TabularInline):
    model = Option
    extra = 0


class RecommendationInline(admin.StackedInline):
    model = Recommendation
    extra = 0


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(FrozenWhenUsedMixin, admin.ModelAdmin):
    list_display = ["version", "name", "is_active", "maturity_threshold", "imported_at"]
    list_filter = ["is_active"]
    search_fields = ["version", "name"]
    readonly_fields = ["checksum", "imported_at"]


@admin.register(Question)
class QuestionAdmin(FrozenWhenUsedMixin, admin.ModelAdmin):
    list_display = ["code", "short_text", "pillar", "level", "weight", "effort", "framework"]
    list_filter = ["framework", "pillar__key", "level__key", "effort", "allow_na"]
    search_fields = ["code", "text", "component", "help"]
    list_select_related = ["pillar", "level", "framework"]
    inlines = [OptionInline, RecommendationInline]

    @admin.display(description="text")
    def short_text(self, obj):
        return obj.text[:80]


@admin.register(Pillar, Level, Sector)
class KeyedContentAdmin(FrozenWhenUsedMixin, admin.ModelAdmin):
    list_display = ["key", "name", "framework", "position"]
    list_filter = ["framework"]
    search_fields = ["key", "name", "description"]


@admin.register(SectorPillarWeight)
class SectorPillarWeightAdmin(FrozenWhenUsedMixin, admin.ModelAdmin):
    list_display = ["sector", "pillar", "weight"]
    list_filter = ["sector__framework", "sector__key"]
    search_fields = ["sector__key", "pillar__key"]


@admin.register(Recommendation)
class RecommendationAdmin(FrozenWhenUsedMixin, admin.ModelAdmin):
    list_display = ["question", "sector_key"]
    list_filter = ["sector_key", "question__framework"]
    search_fields = ["question__code", "text"]


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    fields = ["question", "kind", "value", "note", "updated_at"]
    readonly_fields = fields
    can_delete = False


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = [
        "organization",
        "status",
        "framework",
        "overall_score",
        "started_at",
        "submitted_at",
    ]
    list_filter = ["status", "framework", "sector"]
    search_fields = ["organization__name"]
    readonly_fields = ["result", "overall_score", "maturity_index", "coverage", "submitted_at"]
    inlines = [AnswerInline]
