"""WeasyPrint, offline: HTML and a print stylesheet in, PDF bytes out.

Rendering never touches the network: the base URL is a file: URL, and the
only files WeasyPrint may read are the static files that Django's finders
resolve (``OfflineURLFetcher``); any other URL is refused.

As WeasyPrint's documentation recommends for many documents, each print
stylesheet is read and parsed once per process and fonts are loaded once
(per thread, see ``_font_config``).
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
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from core.text import CONTROL_CHARACTERS

logger = logging.getLogger("resilience.documents")

# file:///static/... names a static file, which the fetcher reads from disk.
BASE_URL = "file:///"
_thread_state = threading.local()


class ExternalFetchRefused(ValueError):
    """The document asked for a resource that is not a local static file."""


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
            logger.warning("PDF: refused to fetch %s (only static files are allowed)", url)
            raise ExternalFetchRefused(f"A PDF may only use local static files, not {url}")
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


def stylesheet_url(name: str) -> str:
    """The file:///static/... URL of a static file, as the fetcher reads it."""
    return f"{BASE_URL}{settings.STATIC_URL.lstrip('/')}{name}"


@functools.cache
def stylesheet_text(name: str) -> str:
    """A print stylesheet's text, read once per process (a deploy restarts the process).

    The text is one of the inputs a stored PDF's digest is taken of, so a
    changed stylesheet makes every PDF printed with it stale.
    """
    response = OfflineURLFetcher().fetch(stylesheet_url(name))
    try:
        return response.read().decode("utf-8")
    finally:
        response.close()


@functools.lru_cache(maxsize=8)
def _parsed(name: str, text: str) -> weasyprint.CSS:
    # WeasyPrint only reads a parsed stylesheet while it renders, so every thread can share it.
    return weasyprint.CSS(
        string=text, base_url=stylesheet_url(name), url_fetcher=OfflineURLFetcher()
    )


def stylesheet(name: str) -> weasyprint.CSS:
    """The print stylesheet ``name`` (a static path), parsed from ``stylesheet_text``."""
    return _parsed(name, stylesheet_text(name))


def html_to_pdf(html: str, stylesheets=()) -> bytes:
    """Print HTML to PDF bytes with the offline fetcher (and extra ``weasyprint.CSS`` sheets)."""
    html = CONTROL_CHARACTERS.sub(" ", html)
    document = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=OfflineURLFetcher())
    return document.write_pdf(stylesheets=list(stylesheets), font_config=_font_config())


def _font_config() -> FontConfiguration:
    """One ``FontConfiguration`` per thread, kept between renders.

    Loading the fonts once saves time on every document, as WeasyPrint's
    documentation suggests; but it holds a Pango font map, which is not
    safe to share between threads rendering at the same time (app servers
    run several threads, and any of them may render a PDF on demand).
    """
    font_config = getattr(_thread_state, "font_config", None)
    if font_config is None:
        font_config = _thread_state.font_config = FontConfiguration()
    return font_config
