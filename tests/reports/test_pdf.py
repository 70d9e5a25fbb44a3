"""The PDF report: valid, complete, offline, and only for submitted assessments."""

import os
import re
import socket
import threading
import urllib.request
from types import SimpleNamespace
from unittest.mock import ANY

import pytest
import weasyprint
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.timezone import localdate

from documents import printing, services
from documents.kinds import REPORT, report_html
from tests.reports.conftest import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def network_tripwire(monkeypatch):
    """Fail any attempt to reach another host, and record it."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args[:2])
        raise OSError("network access during a test")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    return attempts


def test_pdf_is_a_valid_document_with_a_sane_number_of_pages(download, submitted):
    response = download(submitted)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    content = response.getvalue()
    assert content.startswith(b"%PDF-")
    reader, _ = pdf_text(content)
    assert 4 <= len(reader.pages) <= 20


def test_pdf_holds_the_organization_the_four_pillars_and_the_action_plan(download, submitted):
    _, text = pdf_text(download(submitted))

    assert "Corner Shop Ltd" in text
    for pillar in ("Operational", "Financial", "Adaptive", "Technology"):
        assert f"{pillar} resilience" in text
    assert "Action plan" in text
    assert "Next 30 days" in text and "Next 12 months" in text
    assert "Retail advice for FI-F-01" in text
    assert "Manufacturing advice" not in text
    assert "How scores are calculated" in text
    assert "Plan lives in Sam's head" in text  # the appendix note


def test_each_action_names_its_question_and_effort_on_a_line_of_its_own(download, submitted):
    _, text = pdf_text(download(submitted))

    meta_lines = [line for line in text.splitlines() if "· effort: " in line]
    assert meta_lines
    assert all(re.match(r"[A-Z]{2}-[FIA]-\d\d ", line) for line in meta_lines)
    assert any(line.startswith("FI-F-01 ") and "your answer: " in line for line in meta_lines)


def test_pdf_has_a_cover_then_running_headers_and_page_x_of_y(download, submitted):
    reader, _ = pdf_text(download(submitted))
    pages = [page.extract_text() for page in reader.pages]
    total = len(pages)

    assert "Resilience report" in pages[0]
    assert f"Confidential · Page 1 of {total}" in pages[0]
    date = f"{localdate(submitted.submitted_at):%-d %B %Y}"
    assert f"Corner Shop Ltd · {date}" not in pages[0]  # the cover has no running header
    for number, text in enumerate(pages[1:], start=2):
        assert f"Confidential · Page {number} of {total}" in text
        assert f"Corner Shop Ltd · {date}" in text


def test_pdf_is_an_attachment_named_after_the_organization_and_date(download, submitted):
    response = download(submitted)

    day = f"{localdate(submitted.submitted_at):%Y-%m-%d}"
    assert response["Content-Disposition"] == (
        f'attachment; filename="resilience-report-corner-shop-ltd-{day}.pdf"'
    )


def test_pdf_is_never_cached_by_browsers_or_proxies(download, submitted):
    assert "no-store" in download(submitted)["Cache-Control"]


def test_pdf_of_an_assessment_in_progress_is_refused(download, in_progress, render_calls):
    response = download(in_progress, follow=True)

    assert response.redirect_chain == [(reverse("reports:results", args=[in_progress.pk]), 302)]
    assert "available once the assessment is submitted" in response.content.decode()
    assert render_calls == []


def test_the_pdf_uses_only_the_print_stylesheet_handed_over_by_the_renderer(submitted):
    html = report_html(submitted)

    assert "bootstrap" not in html.lower()
    assert "<link" not in html and "<style" not in html
    assert "<script" not in html
    assert printing.stylesheet(REPORT.stylesheet).base_url.endswith("/static/css/report-print.css")


def test_the_pdf_outline_follows_the_report_headings(download, submitted):
    reader, _ = pdf_text(download(submitted))

    def titles(outline, depth=0):
        for item in outline:
            if isinstance(item, list):
                yield from titles(item, depth + 1)
            else:
                yield item.title, depth

    outline = dict(titles(reader.outline))
    assert outline["Resilience report"] == 0
    assert outline["Summary"] == outline["Action plan"] == 1
    assert outline["Operational resilience"] == 2


def test_rendering_reads_the_stylesheet_from_disk_once_and_never_the_network(
    submitted, network_tripwire, monkeypatch
):
    fetched = []
    real_fetch = printing.OfflineURLFetcher.fetch

    def spy(self, url, headers=None):
        response = real_fetch(self, url, headers)
        fetched.append((url, response.path))
        return response

    monkeypatch.setattr(printing.OfflineURLFetcher, "fetch", spy)
    printing.stylesheet_text.cache_clear()  # as in a new process
    html = report_html(submitted)

    first = services.render(REPORT, html)
    second = services.render(REPORT, html)

    assert first.startswith(b"%PDF-") and second.startswith(b"%PDF-")
    assert network_tripwire == []
    # Read and parsed for the first report only; the second one reuses it.
    assert fetched == [("file:///static/css/report-print.css", ANY)]
    assert os.path.samefile(fetched[0][1], settings.BASE_DIR / "static/css/report-print.css")


def test_a_note_pasted_with_control_characters_prints_as_clean_text(
    download, submit_assessment, retail_org, owner
):
    note = "Copied from Word:\x0bline two\x0cand a \x01stray byte"
    assessment = submit_assessment(retail_org, owner, notes={"OP-F-01": note})

    _, text = pdf_text(download(assessment))

    assert "Copied from Word: line two and a stray byte" in " ".join(text.split())
    assert "\x00" not in text


def test_each_thread_keeps_its_own_font_configuration():
    """Pango font maps are not thread-safe: a thread reuses its own, never another's."""
    mine = printing._font_config()
    others = []
    thread = threading.Thread(target=lambda: others.append(printing._font_config()))
    thread.start()
    thread.join()

    assert printing._font_config() is mine
    assert others[0] is not mine


def test_a_note_with_tabs_and_runs_of_spaces_prints_single_spaced(
    download, submit_assessment, retail_org, owner
):
    note = "Two  spaces,\ta tab   and three spaces"
    assessment = submit_assessment(retail_org, owner, notes={"OP-F-01": note})

    _, text = pdf_text(download(assessment))

    assert "Two spaces, a tab and three spaces" in text


def test_a_multi_line_note_reaches_the_pdf_intact(download, submit_assessment, retail_org, owner):
    note = "Plan lives in Sam's head;\n\n    writing it down in May."
    assessment = submit_assessment(retail_org, owner, notes={"OP-F-01": note})

    _, text = pdf_text(download(assessment))

    assert "Plan lives in Sam's head; writing it down in May." in " ".join(text.split())


def test_a_remote_image_in_the_report_hits_the_guard_not_the_network(network_tripwire, caplog):
    html = (
        '<html><body><img src="http://example.com/logo.png" alt="">'
        '<link rel="stylesheet" href="https://cdn.example.com/x.css"><p>Hi</p></body></html>'
    )

    content = printing.html_to_pdf(html)

    assert content.startswith(b"%PDF-")
    assert network_tripwire == []
    assert "refused to fetch http://example.com/logo.png" in caplog.text
    assert "refused to fetch https://cdn.example.com/x.css" in caplog.text


def test_the_tripwire_catches_weasyprints_default_fetcher(network_tripwire):
    """Without the guard WeasyPrint would go to the network: the tripwire sees it."""
    weasyprint.HTML(string='<img src="http://example.com/logo.png" alt="">').write_pdf()

    assert network_tripwire


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/a.png",
        "https://example.com/a.css",
        "ftp://example.com/a",
        "file:///etc/passwd",
        "file:///static/../resilience_site/settings/base.py",
        "file:///static/css/%2e%2e/%2e%2e/resilience_site/settings/base.py",
        "file:///static/%2e%2e%2fmanage.py",
        "file:///static//etc/passwd",
        "file:///static/%2Fetc%2Fpasswd",
        "file://elsewhere.example/static/css/report-print.css",
        "file:///static/css/no-such-file.css",
    ],
)
def test_the_fetcher_refuses_anything_but_static_files(url):
    with pytest.raises(printing.ExternalFetchRefused, match="only use local static files"):
        printing.OfflineURLFetcher().fetch(url)


@pytest.mark.parametrize(
    "url", ["file:///static/css/report-print.css", "file:///static/css/report%2Dprint.css"]
)
def test_the_fetcher_reads_a_static_file_from_disk(url):
    response = printing.OfflineURLFetcher().fetch(url)
    body = response.read()
    response.close()

    assert body == (settings.BASE_DIR / "static/css/report-print.css").read_bytes()
    assert response.content_type == "text/css"


def test_a_strength_that_fits_on_two_lines_is_not_broken_onto_three():
    """The strengths and gaps sit in narrow columns. WeasyPrint broke this item after
    "after" when the template's indentation ended it, so the partial writes each item
    on one line."""
    row = SimpleNamespace(
        component="Culture and empowering employees",
        answer_label="Every year and after any big change, with staff leading part of it",
        code="AD-I-02",
    )
    pillar = SimpleNamespace(key="adaptive", name="Adaptive", strengths=[row], levels=[])
    html = render_to_string(
        "partials/report/_pillar.html", {"pillar": pillar, "report": SimpleNamespace()}
    )
    column = html[html.index('<ul class="report-list">') : html.index("</ul>") + 5]

    page = f'<div style="width: 84mm">{column}</div>'
    sheet = printing.stylesheet(REPORT.stylesheet)
    _, text = pdf_text(printing.html_to_pdf(page, stylesheets=[sheet]))

    assert text.splitlines()[:2] == [
        "Culture and empowering employees: Every year and",
        "after any big change, with staff leading part of it (AD-I-02)",
    ]
