"""The plan's Markdown twin of the PDF (``documents`` prints the PDF)."""

from django.template.loader import render_to_string
from django.utils import timezone

from .selectors import PlanView

MARKDOWN_TEMPLATE = "pdf/continuity_plan.md"


def render_plan_markdown(view: PlanView) -> str:
    return render_to_string(MARKDOWN_TEMPLATE, {"view": view, "printed_on": timezone.localdate()})


def plan_filename(view: PlanView, extension: str) -> str:
    return f"continuity-plan-{view.organization.slug}-{timezone.localdate():%Y-%m-%d}.{extension}"
