"""The printable plan and its Markdown twin; the PDF goes through the report's WeasyPrint path."""

import functools

import weasyprint
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from reports.pdf import BASE_URL, OfflineURLFetcher, html_to_pdf

from .selectors import PlanView

PDF_TEMPLATE = "pdf/continuity_plan.html"
MARKDOWN_TEMPLATE = "pdf/continuity_plan.md"
PRINT_STYLESHEET = "css/plan-print.css"


@functools.cache
def print_stylesheet() -> weasyprint.CSS:
    """Parsed once per process, as the report's is."""
    return weasyprint.CSS(
        url=f"{BASE_URL}{settings.STATIC_URL.lstrip('/')}{PRINT_STYLESHEET}",
        url_fetcher=OfflineURLFetcher(),
    )


def render_plan_pdf(view: PlanView) -> bytes:
    html = render_to_string(PDF_TEMPLATE, {"view": view, "printed_on": timezone.localdate()})
    return html_to_pdf(html, stylesheets=[print_stylesheet()])


def render_plan_markdown(view: PlanView) -> str:
    return render_to_string(MARKDOWN_TEMPLATE, {"view": view, "printed_on": timezone.localdate()})


def plan_filename(view: PlanView, extension: str) -> str:
    return f"continuity-plan-{view.organization.slug}-{timezone.localdate():%Y-%m-%d}.{extension}"
