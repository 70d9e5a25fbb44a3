"""The plan's Markdown twin of the PDF (``documents`` prints the PDF)."""

from django.template.loader import render_to_string
from django.utils import timezone

from .selectors import ContinuityPlanView

MARKDOWN_TEMPLATE = "pdf/continuity_plan.md"


def render_continuity_plan_markdown(view: ContinuityPlanView) -> str:
    return render_to_string(MARKDOWN_TEMPLATE, {"view": view, "printed_on": timezone.localdate()})


def continuity_plan_filename(view: ContinuityPlanView, extension: str) -> str:
    return f"continuity-plan-{view.organization.slug}-{timezone.localdate():%Y-%m-%d}.{extension}"
