"""Serving and storing: a fresh stored PDF is served as it is; anything else is rendered now."""

from datetime import timedelta

import pytest
import weasyprint
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from consultants.services import review_comment_add
from documents import services
from documents.kinds import CONTINUITY_PLAN, REPORT, report_html
from documents.models import ReportPDF

from .conftest import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def download(client, owner):
    client.force_login(owner)
    return lambda assessment: client.get(reverse("documents:report_pdf", args=[assessment.pk]))


def test_a_fresh_stored_pdf_is_served_without_weasyprint(download, assessment, queue, monkeypatch):
    first = b"".join(download(assessment).streaming_content)

    def no_weasyprint(*args, **kwargs):
        raise AssertionError("WeasyPrint was called for a fresh PDF")

    monkeypatch.setattr(weasyprint, "HTML", no_weasyprint)

    assert b"".join(download(assessment).streaming_content) == first


def test_the_html_of_a_document_is_the_same_on_every_request(assessment, plan):
    # Anything that changed per request (a time, a token) would make every stored PDF stale.
    assert report_html(assessment) == report_html(assessment)
    assert CONTINUITY_PLAN.html(plan) == CONTINUITY_PLAN.html(plan)


def test_a_stale_pdf_is_rendered_again_and_its_old_file_deleted(
    download, assessment, consultant, queue, renders
):
    download(assessment)
    old_file = ReportPDF.objects.get(assessment=assessment).file.name

    review_comment_add(assessment=assessment, author=consultant, text="Test a restore.")

    assert "Test a restore." in pdf_text(download(assessment))
    assert renders == [REPORT, REPORT]
    assert not default_storage.exists(old_file)
    assert services.is_fresh(REPORT, assessment)


def test_a_pdf_whose_file_was_lost_is_rendered_again_at_download(download, assessment, queue):
    download(assessment)
    default_storage.delete(ReportPDF.objects.get(assessment=assessment).file.name)

    response = download(assessment)

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_a_render_overtaken_by_a_later_one_keeps_the_later_file(assessment, queue):
    services.pdf_refresh(REPORT, assessment)
    stored = ReportPDF.objects.get(assessment=assessment)
    later = (stored.file.name, stored.digest)

    kept = stored.store(
        content=b"%PDF- older",
        name="older.pdf",
        digest="0" * 64,
        read_at=stored.rendered_at - timedelta(seconds=1),
    )

    assert (kept.file.name, kept.digest) == later
    assert default_storage.exists(later[0])
    assert not default_storage.exists("reports/older.pdf")


def test_a_change_committed_during_a_render_leaves_the_pdf_stale(
    assessment, consultant, queue, monkeypatch
):
    real = services.render

    def render_while_a_comment_lands(document, html):
        # The HTML has been built; the change commits before the render is stored.
        review_comment_add(assessment=assessment, author=consultant, text="Late comment.")
        return real(document, html)

    monkeypatch.setattr(services, "render", render_while_a_comment_lands)

    services.pdf_refresh(REPORT, assessment)

    assert ReportPDF.objects.get(assessment=assessment).file
    assert not services.is_fresh(REPORT, assessment)


def test_a_pdf_goes_stale_when_the_printed_date_passes(plan, queue, monkeypatch):
    services.pdf_refresh(CONTINUITY_PLAN, plan)
    tomorrow = timezone.now() + timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: tomorrow)

    assert not services.is_fresh(CONTINUITY_PLAN, plan)
