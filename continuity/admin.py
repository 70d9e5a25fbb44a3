from django.contrib import admin

from .models import ContinuityPlan, PlanComment, PlanExercise, PlanPart


class PlanPartInline(admin.TabularInline):
    model = PlanPart
    fields = ["key", "is_draft", "revision", "reviewed_at", "reviewed_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(ContinuityPlan)
class ContinuityPlanAdmin(admin.ModelAdmin):
    list_display = ["organization", "created_at"]
    search_fields = ["organization__name"]
    raw_id_fields = ["organization", "drafted_from"]
    inlines = [PlanPartInline]


@admin.register(PlanExercise)
class PlanExerciseAdmin(admin.ModelAdmin):
    list_display = ["plan", "held_on", "participants"]
    raw_id_fields = ["plan", "recorded_by"]


@admin.register(PlanComment)
class PlanCommentAdmin(admin.ModelAdmin):
    list_display = ["plan", "part_key", "author", "firm", "created_at"]
    raw_id_fields = ["plan", "author"]
