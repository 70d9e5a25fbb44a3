"""Storing and serving the PDFs: a stored file is served only when it prints what the page shows.

Freshness is derived, never announced: a stored PDF is fresh exactly when
its digest equals ``digest_of`` the HTML the document prints now. A
download computes that HTML; a fresh file is served, anything else is
rendered from that same HTML, stored and served, so a download never waits
for a worker and never serves a PDF whose text differs from the page.

Within the on-demand budget, that is: a stale PDF whose HTML is longer than
``settings.PDF_ON_DEMAND_MAX_HTML_BYTES`` would keep the person waiting
longer than a download should (the budget: 2.5 s), so it is not printed in
the request. The download answers ``Preparing`` instead, and the view queues
the render and offers the last stored PDF, dated. The HTML's length is
known anyway (the digest is taken of it), so telling costs nothing.
"""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass

import weasyprint
from django.conf import settings
from django.db.models import Model
from django.utils import timezone

from . import printing
from .kinds import Document
from .models import StoredPDF

logger = logging.getLogger("resilience.documents")


def digest_of(document: Document, html: str) -> str:
    """The sha256 of what a PDF is printed from: its HTML, print stylesheet and WeasyPrint."""
    inputs = (html, printing.stylesheet_text(document.stylesheet), weasyprint.__version__)
    return hashlib.sha256("\0".join(inputs).encode()).hexdigest()


def render(document: Document, html: str) -> bytes:
    """Print ``html`` to PDF bytes with the document's stylesheet."""
    return printing.html_to_pdf(html, stylesheets=[printing.stylesheet(document.stylesheet)])


def _stored(document: Document, source_id: int) -> StoredPDF | None:
    return document.model.objects.filter(**{f"{document.source_field}_id": source_id}).first()


def _is_fresh(stored: StoredPDF | None, digest: str) -> bool:
    return (
        stored is not None
        and stored.digest == digest
        and stored.file.storage.exists(stored.file.name)
    )


def is_fresh(document: Document, source: Model) -> bool:
    """Whether the stored PDF of ``source`` prints what the document prints now."""
    return _is_fresh(_stored(document, source.pk), digest_of(document, document.html(source)))


def _render_and_store(document: Document, source_id: int, html: str, digest: str, read_at):
    content = render(document, html)
    _store(document, source_id, content, digest, read_at)
    return content


def _store(document: Document, source_id: int, content: bytes, digest: str, read_at) -> None:
    stored, _ = document.model.objects.get_or_create(**{f"{document.source_field}_id": source_id})
    name = document.file_name(source_id)
    stored.store(content=content, name=name, digest=digest, read_at=read_at)


@dataclass(frozen=True)
class Preparing:
    """A stale PDF too long to print on demand: the last one stored (with a file), if any."""

    stored: StoredPDF | None


def is_long(html: str) -> bool:
    """Whether printing ``html`` would take longer than a download may (the on-demand budget)."""
    return len(html.encode()) > settings.PDF_ON_DEMAND_MAX_HTML_BYTES


def pdf_file(document: Document, source: Model):
    """The PDF of ``source`` as it prints now, opened: the stored file if fresh, else a new one.

    A stale PDF too long to print on demand is not printed: ``Preparing``.
    """
    read_at = timezone.now()
    html = document.html(source)
    digest = digest_of(document, html)
    stored = _stored(document, source.pk)
    if stored is not None and stored.digest == digest:
        try:
            return stored.file.open("rb")
        except FileNotFoundError:  # the row outlived its file: a wiped or restored disk
            pass
    if is_long(html):
        return Preparing(stored=stored_pdf(document, source))
    # These bytes, not the stored row: a render that raced this one may have stored other HTML.
    content = render(document, html)
    try:
        _store(document, source.pk, content, digest, read_at)
    except OSError:
        # A full, read-only or lost media disk: the person still gets the PDF they asked for,
        # and the operator a loud log line; the stored one stays stale until a render stores.
        logger.exception(
            "%s %s: the PDF could not be stored; served without storing", document.name, source.pk
        )
    return io.BytesIO(content)


def stored_pdf(document: Document, source: Model) -> StoredPDF | None:
    """The last PDF of ``source`` stored, fresh or not, if its file is there."""
    stored = _stored(document, source.pk)
    if stored is None or not stored.file or not stored.file.storage.exists(stored.file.name):
        return None
    return stored


def pdf_refresh(document: Document, source: Model) -> bool:
    """Render and store the PDF of ``source`` unless the stored one is fresh; True if rendered."""
    read_at = timezone.now()
    html = document.html(source)
    digest = digest_of(document, html)
    if _is_fresh(_stored(document, source.pk), digest):
        return False
    _render_and_store(document, source.pk, html, digest, read_at)
    return True
