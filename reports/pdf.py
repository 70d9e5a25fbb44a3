"""The PDF report: the results templates, printed by WeasyPrint, offline.

Rendering never touches the network: the base URL is a file: URL, static
files are read from disk through django-weasyprint's fetcher, and any other
URL (http, https, ftp, files outside the static directories) is refused by
``OfflineURLFetcher``.

The print stylesheet and the report's own user-agent stylesheet (the
browser defaults, cut down to the elements the report uses) are parsed once
per process and handed to WeasyPrint as ``CSS`` objects, and each thread
keeps one ``FontConfiguration`` (fonts loaded once).

A submitted assessment's report never changes, so its PDF is rendered once
and served from the Django cache afterwards. The cache key holds everything
that may still change what the PDF prints: the template version, the
submission time, the organization's details and the consultant comments.
"""

from __future__ import annotations

import gc
import logging
import re
import threading
import xml.etree.ElementTree as ElementTree
import zlib
from contextlib import contextmanager
from urllib.parse import urljoin, urlparse

import cssselect2
import pydyf
import weasyprint
from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import timezone
from django_weasyprint.utils import DjangoURLFetcher
from weasyprint.text.fonts import FontConfiguration

from assessments.models import Assessment

from .selectors import Report, build_report, comments_fingerprint

logger = logging.getLogger("resilience.reports")

# Bump whenever the report templates or the print stylesheet change, so that
# cached PDFs made with the old layout are not served any more.
REPORT_TEMPLATE_VERSION = "9"
PDF_TEMPLATE = "pdf/report.html"
PRINT_STYLESHEET = "css/report-print.css"
USER_AGENT_STYLESHEET = "css/report-user-agent.css"
# file:///static/... resolves through STATIC_URL to the file on disk.
BASE_URL = "file:///"
DEFAULT_CACHE_SECONDS = 60 * 60 * 24 * 30
_gc_lock = threading.Lock()
_renders_without_gc = 0
_gc_was_enabled = True
_stylesheet_lock = threading.Lock()
_stylesheets: dict[str, weasyprint.CSS] = {}
_thread_state = threading.local()


# zlib's own default: a fifth of level 9's time on a report, for a file 3 % larger.
PDF_COMPRESSION_LEVEL = 6


class _DefaultLevelZlib:
    """zlib as pydyf (WeasyPrint's PDF writer) sees it, compressing at PDF_COMPRESSION_LEVEL.

    pydyf compresses every PDF stream at level 9, the slowest. On a full
    report that took 41 ms of a render; level 6 takes 9 ms and the file
    grows from 79 to 82 KB. pydyf has no setting for it, so it gets this
    module in place of zlib (only ``compressobj`` differs), for the whole
    process: every PDF here is made by this module.
    """

    def __getattr__(self, name):
        return getattr(zlib, name)

    @staticmethod
    def compressobj(level=zlib.Z_DEFAULT_COMPRESSION, *args, **kwargs):
        return zlib.compressobj(PDF_COMPRESSION_LEVEL, *args, **kwargs)


pydyf.zlib = _DefaultLevelZlib()


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


# Control characters other than tab and line breaks: text pasted from Word brings \x0b
# (a manual line break). No font has a glyph for them, and the .notdef glyphs WeasyPrint
# prints instead garble the text that PDF readers copy and search; XML refuses them too.
_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def render_report_html(report: Report) -> str:
    """The PDF's HTML: the report template without its indentation or control characters."""
    html = render_to_string(PDF_TEMPLATE, {"report": report, "pdf": True})
    return strip_indentation(_CONTROL_CHARACTERS.sub(" ", html))


class ReportHTML(weasyprint.HTML):
    """An HTML document for WeasyPrint, read by a C parser and styled from the report's defaults.

    Parsing: the report templates write well-formed XHTML, so the document
    is read with the standard library's XML parser (expat, written in C):
    under a millisecond, where WeasyPrint's HTML5 parser, in Python, took
    30 ms of a render. Both give the same tree (tests compare them); any
    other HTML, or text that XML refuses, goes to WeasyPrint's parser.

    Styling: WeasyPrint's own user-agent sheet covers every HTML element and
    matches its ~300 selectors (pseudo-elements included) against each
    element of the report, which took 7 % of a render;
    css/report-user-agent.css keeps WeasyPrint's values for the elements
    the report uses and nothing else.
    """

    def __init__(self, string: str, base_url: str = BASE_URL, url_fetcher=None):
        url_fetcher = url_fetcher or OfflineURLFetcher()
        try:
            root = xhtml_tree(string)
        except ElementTree.ParseError:
            super().__init__(string=string, base_url=base_url, url_fetcher=url_fetcher)
            return
        # What weasyprint.HTML.__init__ sets once it has parsed a string.
        self.base_url = base_url
        self.url_fetcher = url_fetcher
        self.media_type = "print"
        self.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
        self.etree_element = self.wrapper_element.etree_element

    def _ua_stylesheets(self, forms=False):
        return [user_agent_stylesheet()]


_SVG_ROOT = "{http://www.w3.org/2000/svg}svg"
_XMLNS_ATTRIBUTE = "{http://www.w3.org/2000/xmlns/}xmlns"


def xhtml_tree(html: str) -> ElementTree.Element:
    """The element tree of well-formed XHTML, as WeasyPrint's HTML5 parser would build it.

    Raises ``ElementTree.ParseError`` for anything that is not well-formed XML.
    """
    # Our own template's output: user text in it is escaped, so it cannot declare entities.
    root = ElementTree.fromstring(html)  # noqa: S314
    if root.tag != "html":
        raise ElementTree.ParseError("not an XHTML document without a namespace")
    # The HTML5 parser keeps an SVG root's namespace declaration as an attribute.
    for svg in root.iter(_SVG_ROOT):
        svg.set(_XMLNS_ATTRIBUTE, "http://www.w3.org/2000/svg")
    return root


def html_to_pdf(html: str, stylesheets=()) -> bytes:
    """Print HTML to PDF bytes with the offline fetcher (and extra ``weasyprint.CSS`` sheets)."""
    with _garbage_collector_paused():
        document = ReportHTML(html)
        return document.write_pdf(stylesheets=list(stylesheets), font_config=_font_config())


def print_stylesheet() -> weasyprint.CSS:
    """The report's print stylesheet, parsed once per process."""
    return _static_stylesheet(PRINT_STYLESHEET)


def user_agent_stylesheet() -> weasyprint.CSS:
    """The defaults the report starts from, in place of WeasyPrint's, parsed once per process."""
    return _static_stylesheet(USER_AGENT_STYLESHEET)


def _static_stylesheet(name: str) -> weasyprint.CSS:
    """A stylesheet from the static files, read through the offline fetcher and parsed once.

    WeasyPrint only reads a parsed stylesheet while it renders (it shares
    its own user-agent stylesheet the same way), so all threads use one
    object. Deploying a changed stylesheet restarts the process.
    """
    sheet = _stylesheets.get(name)
    if sheet is None:
        with _stylesheet_lock:
            sheet = _stylesheets.get(name)
            if sheet is None:
                sheet = _stylesheets[name] = weasyprint.CSS(
                    url=urljoin(BASE_URL, static(name)), url_fetcher=OfflineURLFetcher()
                )
    return sheet


def _font_config() -> FontConfiguration:
    """One ``FontConfiguration`` per thread, kept between renders.

    It holds the Pango font map and its caches (fonts, struts), which are
    not safe to share between threads rendering at the same time; reusing
    it in the same thread saves loading the fonts again for every report.
    """
    font_config = getattr(_thread_state, "font_config", None)
    if font_config is None:
        font_config = _thread_state.font_config = FontConfiguration()
    return font_config


# Elements whose text keeps its white space exactly as written.
_VERBATIM = re.compile(r"(<(pre|textarea|script|style)\b.*?</\2\s*>)", re.IGNORECASE | re.DOTALL)
# White space that holds a line break, a tab or more than one space, with the tag just
# before it and the tag name just after.
_LINE_BREAK_RUN = re.compile(
    r"(<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^<>]*>)?"
    r"(?:[ \t\r]*\n[ \t\r\n]*|[ \t]{2,}|\t)"
    r"(?=<(/?)([a-zA-Z][a-zA-Z0-9]*))?"
)
# Block-level in the print stylesheet: a space next to these starts or ends a line, so never shows.
_BLOCK_TAGS = frozenset(
    {
        *("html", "head", "body", "meta", "link", "title", "section", "div", "p"),
        *("h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd"),
        *("table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td"),
        *("figure", "figcaption", "br", "hr"),
    }
)


def strip_indentation(html: str) -> str:
    """Drop the template indentation that WeasyPrint would otherwise lay out and throw away.

    Only white space that holds a line break, a tab or more than one
    space changes: next to a block-level tag it goes (a space there never
    shows), anywhere else it becomes one space, which is all HTML ever
    shows of it. Text inside <pre>, <textarea>, <script> and <style> is
    left as it is. Text boxes that end in a line break and indentation
    make WeasyPrint lay their last line out twice; without them a report
    renders about 5 % faster. Afterwards white space never needs
    collapsing, which lets the print stylesheet set ``white-space:
    pre-wrap`` on the long text (see css/report-print.css).
    """
    parts = _VERBATIM.split(html)
    # re.split with two groups gives: text, verbatim element, its tag name, text, ...
    kept = [_LINE_BREAK_RUN.sub(_collapse_run, text) for text in parts[::3]]
    verbatim = parts[1::3]
    return "".join(a + b for a, b in zip(kept, [*verbatim, ""], strict=True))


def _collapse_run(match: re.Match) -> str:
    tag_before, name_before, name_after = match.group(1) or "", match.group(3), match.group(5)
    for name in (name_before, name_after):
        if name and name.lower() in _BLOCK_TAGS:
            return tag_before
    return tag_before + " "


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
    return html_to_pdf(render_report_html(report), stylesheets=[print_stylesheet()])


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
