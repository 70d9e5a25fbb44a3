"""The PDF report: the results templates, printed by WeasyPrint, offline.

Rendering never touches the network: the base URL is a file: URL, static
files are read from disk through django-weasyprint's fetcher, and any other
URL (http, https, ftp, files outside the static directories) is refused by
``OfflineURLFetcher``.

A submitted assessment's report never changes, so its PDF is rendered once
and served from the Django cache afterwards. The cache key holds everything
that may still change what the PDF prints: the template version, the
submission time, the organization's details and the consultant comments.
"""

from __future__ import annotations

import gc
import logging
import threading
from contextlib import contextmanager
from urllib.parse import urlparse

import weasyprint
from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone
from django_weasyprint.utils import DjangoURLFetcher

from assessments.models import Assessment

from .selectors import Report, build_report, comments_fingerprint

logger = logging.getLogger("resilience.reports")

# Bump whenever the report templates or the print stylesheet change, so that
# cached PDFs made with the old layout are not served any more.
REPORT_TEMPLATE_VERSION = "1"
PDF_TEMPLATE = "pdf/report.html"
# file:///static/... resolves through STATIC_URL to the file on disk.
BASE_URL = "file:///"
DEFAULT_CACHE_SECONDS = 60 * 60 * 24 * 30
_gc_lock = threading.Lock()
_renders_without_gc = 0
_gc_was_enabled = True


class ExternalFetchRefused(ValueError):
    """The report asked for a resource that is not a local static file."""


class OfflineURLFetcher(DjangoURLFetcher):
    """Serve static files from disk and data: URLs; refuse everything else.

    django-weasyprint's fetcher hands URLs it does not recognise to
    urllib, which would happily go to the network; this one does not.
    """

    def fetch(self, url, headers=None):
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file" and urlparse(url).path.startswith(settings.STATIC_URL):
            return super().fetch(url, headers)
        logger.warning("PDF report: refused to fetch %s (only static files are allowed)", url)
        raise ExternalFetchRefused(f"The PDF report may only use local static files, not {url}")


def render_report_html(report: Report) -> str:
    return render_to_string(PDF_TEMPLATE, {"report": report, "pdf": True})


def html_to_pdf(html: str) -> bytes:
    """Print HTML to PDF bytes with the offline fetcher."""
    with _garbage_collector_paused():
        document = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=OfflineURLFetcher())
        return document.write_pdf()


@contextmanager
def _garbage_collector_paused():
    """Pause the cyclic garbage collector while WeasyPrint lays the report out.

    Layout allocates hundreds of thousands of short-lived objects, and the
    collector's passes over them cost about a sixth of the render. Reference
    counting still frees almost everything; the collector resumes when the
    last concurrent render in the process ends.
    """
    global _renders_without_gc, _gc_was_enabled
    with _gc_lock:
        if _renders_without_gc == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _renders_without_gc += 1
    try:
        yield
    finally:
        with _gc_lock:
            _renders_without_gc -= 1
            if _renders_without_gc == 0 and _gc_was_enabled:
                gc.enable()


def render_report_pdf(report: Report) -> bytes:
    """Render the report to PDF bytes (no cache)."""
    return html_to_pdf(render_report_html(report))


def report_cache_key(assessment: Assessment) -> str:
    organization = assessment.organization
    parts = [
        "reports:pdf",
        REPORT_TEMPLATE_VERSION,
        str(assessment.pk),
        _stamp(assessment.submitted_at),
        _stamp(assessment.reviewed_at),
        _stamp(organization.updated_at),
        comments_fingerprint(assessment),
    ]
    return ":".join(parts)


def report_pdf(assessment: Assessment) -> bytes:
    """The PDF of a submitted assessment, rendered once and then served from the cache."""
    if not assessment.is_submitted:
        raise ValueError("Only a submitted assessment has a PDF report.")
    key = report_cache_key(assessment)
    pdf = cache.get(key)
    if pdf is None:
        pdf = render_report_pdf(build_report(assessment))
        timeout = getattr(settings, "REPORT_PDF_CACHE_SECONDS", DEFAULT_CACHE_SECONDS)
        cache.set(key, pdf, timeout)
    return pdf


def report_filename(assessment: Assessment) -> str:
    day = timezone.localdate(assessment.submitted_at or timezone.now())
    return f"resilience-report-{assessment.organization.slug}-{day:%Y-%m-%d}.pdf"


def _stamp(moment) -> str:
    return f"{moment.timestamp():.6f}" if moment else "-"
