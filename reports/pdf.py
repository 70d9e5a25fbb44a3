"""The PDF report: the results templates, printed by WeasyPrint, offline.

Rendering never touches the network: the base URL is a file: URL, and the
only files WeasyPrint may read are the static files that Django's finders
resolve (``OfflineURLFetcher``); any other URL is refused.

As WeasyPrint's documentation recommends for many documents, the print
stylesheet is parsed once per process and fonts are loaded once (per thread,
see ``_font_config``).
"""

from __future__ import annotations

import functools
import logging
import mimetypes
import threading
from pathlib import Path
from urllib.parse import unquote, urlparse

import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from assessments.models import Assessment
from core.text import CONTROL_CHARACTERS

from .selectors import Report

logger = logging.getLogger("resilience.reports")

PDF_TEMPLATE = "pdf/report.html"
PRINT_STYLESHEET = "css/report-print.css"
# file:///static/... names a static file, which the fetcher reads from disk.
BASE_URL = "file:///"
_thread_state = threading.local()


class ExternalFetchRefused(ValueError):
    """The report asked for a resource that is not a local static file."""


class OfflineURLFetcher(URLFetcher):
    """Serve data: URLs and the static files Django's finders resolve; refuse everything else.

    WeasyPrint's own fetcher would go to the network for http(s) URLs and
    read any file on disk for file: URLs. This one reads only a file that
    ``django.contrib.staticfiles`` would serve, found after URL-decoding the
    path, so neither ``%2e%2e`` nor an absolute path reaches anything else.
    """

    def fetch(self, url, headers=None):
        if url.split(":", 1)[0].lower() == "data":
            return super().fetch(url, headers)
        path = static_file_path(url)
        if path is None:
            logger.warning("PDF report: refused to fetch %s (only static files are allowed)", url)
            raise ExternalFetchRefused(f"The PDF report may only use local static files, not {url}")
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url=Path(path).as_uri(), body=open(path, "rb"), headers={"Content-Type": content_type}
        )


def static_file_path(url: str) -> str | None:
    """The file on disk that a file:///static/... URL names, or None if it names no static file."""
    parsed = urlparse(url)
    if parsed.scheme.lower() != "file" or parsed.netloc:
        return None
    path = unquote(parsed.path)
    if not path.startswith(settings.STATIC_URL):
        return None
    try:
        return finders.find(path.removeprefix(settings.STATIC_URL))
    except SuspiciousFileOperation:  # a name that climbs out of the static directories
        return None


def render_report_html(report: Report) -> str:
    return render_to_string(PDF_TEMPLATE, {"report": report})


def html_to_pdf(html: str, stylesheets=()) -> bytes:
    """Print HTML to PDF bytes with the offline fetcher (and extra ``weasyprint.CSS`` sheets)."""
    html = CONTROL_CHARACTERS.sub(" ", html)
    document = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=OfflineURLFetcher())
    return document.write_pdf(stylesheets=list(stylesheets), font_config=_font_config())


@functools.cache
def print_stylesheet() -> weasyprint.CSS:
    """The report's print stylesheet, parsed once per process (a deploy restarts the process).

    WeasyPrint only reads a parsed stylesheet while it renders, so every
    thread can share this one.
    """
    return weasyprint.CSS(
        url=f"{BASE_URL}{settings.STATIC_URL.lstrip('/')}{PRINT_STYLESHEET}",
        url_fetcher=OfflineURLFetcher(),
    )


def _font_config() -> FontConfiguration:
    """One ``FontConfiguration`` per thread, kept between renders.

    Loading the fonts once saves time on every report, as WeasyPrint's
    documentation suggests; but it holds a Pango font map, which is not
    safe to share between threads rendering at the same time (app servers
    run several threads, and any of them may render a PDF on demand).
    """
    font_config = getattr(_thread_state, "font_config", None)
    if font_config is None:
        font_config = _thread_state.font_config = FontConfiguration()
    return font_config


def render_report_pdf(report: Report) -> bytes:
    """Render the report to PDF bytes."""
    return html_to_pdf(render_report_html(report), stylesheets=[print_stylesheet()])


def report_filename(assessment: Assessment) -> str:
    day = timezone.localdate(assessment.submitted_at or timezone.now())
    return f"resilience-report-{assessment.organization.slug}-{day:%Y-%m-%d}.pdf"
