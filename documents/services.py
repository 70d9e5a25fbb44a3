"""Storing and serving the PDFs: a stored file is served only when it prints what the page shows.

Freshness is derived, never announced: a stored PDF is fresh exactly when
its digest equals ``digest_of`` the HTML the document prints now. A
download computes that HTML; a fresh file is served, anything else is
rendered from that same HTML, stored and served, so a download never waits
for a worker and never serves a PDF whose text differs from the page.
"""

from __future__ import annotations

import hashlib
import io

import weasyprint
from django.db.models import Model
from django.utils import timezone

from . import printing
from .kinds import Document
from .models import StoredPDF


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
    stored, _ = document.model.objects.get_or_create(**{f"{document.source_field}_id": source_id})
    name = document.file_name(source_id)
    stored.store(content=content, name=name, digest=digest, read_at=read_at)
    return content


def pdf_file(document: Document, source: Model):
    """The PDF of ``source`` as it prints now, opened: the stored file if fresh, else a new one."""
    read_at = timezone.now()
    html = document.html(source)
    digest = digest_of(document, html)
    stored = _stored(document, source.pk)
    if stored is not None and stored.digest == digest:
        try:
            return stored.file.open("rb")
        except FileNotFoundError:  # the row outlived its file: a wiped or restored disk
            pass
    # These bytes, not the stored row: a render that raced this one may have stored other HTML.
    return io.BytesIO(_render_and_store(document, source.pk, html, digest, read_at))


def pdf_refresh(document: Document, source: Model) -> bool:
    """Render and store the PDF of ``source`` unless the stored one is fresh; True if rendered."""
    read_at = timezone.now()
    html = document.html(source)
    digest = digest_of(document, html)
    if _is_fresh(_stored(document, source.pk), digest):
        return False
    _render_and_store(document, source.pk, html, digest, read_at)
    return True
