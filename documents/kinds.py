"""The documents printed to PDF: what each prints, with which stylesheet, from which rows.

One function per document builds the HTML it prints; its digest decides
whether a stored PDF is fresh (``services``). So a template must print
nothing that changes with every request: a date is fine (the PDF is then
stale the next day, which is right), a time of day is not.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from assessments.models import Assessment
from continuity.models import ContinuityPlan
from continuity.selectors import build_continuity_plan
from reports.selectors import build_report

from .models import ContinuityPlanPDF, ReportPDF, StoredPDF


@dataclass(frozen=True)
class Document:
    """A kind of stored PDF: its model, its source rows and how it prints one of them."""

    name: str  # in log lines: "<name> <pk>"
    model: type[StoredPDF]
    source_field: str  # the model's one-to-one field to its source
    stylesheet: str  # a static file
    html: Callable[[Model], str]
    sources: Callable[[], QuerySet]  # every row that has this document, ready to print

    def file_name(self, source_id: int) -> str:
        return f"{self.source_field}-{source_id}.pdf"


def report_html(assessment: Assessment, *, comments_of_firm=None) -> str:
    """The report of a submitted assessment as the PDF prints it (every firm's comments)."""
    report = build_report(assessment, comments_of_firm=comments_of_firm)
    return render_to_string("pdf/report.html", {"report": report})


def report_filename(assessment: Assessment) -> str:
    day = timezone.localdate(assessment.submitted_at or timezone.now())
    return f"resilience-report-{assessment.organization.slug}-{day:%Y-%m-%d}.pdf"


def continuity_plan_html(plan: ContinuityPlan) -> str:
    """The continuity plan as the PDF prints it: the business's own, without consultant comments."""
    view = build_continuity_plan(plan, with_comments=False, printed=True)
    return render_to_string(
        "pdf/continuity_plan.html", {"view": view, "printed_on": timezone.localdate()}
    )


def continuity_plan_filename(plan: ContinuityPlan) -> str:
    return f"continuity-plan-{plan.organization.slug}.pdf"


REPORT = Document(
    name="PDF report of assessment",
    model=ReportPDF,
    source_field="assessment",
    stylesheet="css/report-print.css",
    html=report_html,
    sources=lambda: Assessment.objects.submitted().select_related("organization", "framework"),
)

CONTINUITY_PLAN = Document(
    name="PDF of continuity plan",
    model=ContinuityPlanPDF,
    source_field="plan",
    stylesheet="css/plan-print.css",
    html=continuity_plan_html,
    sources=lambda: ContinuityPlan.objects.select_related("organization"),
)

DOCUMENTS = (REPORT, CONTINUITY_PLAN)
