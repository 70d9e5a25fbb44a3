"""The PDF report: valid, complete, offline, cached, and only for submitted assessments."""

import io
import re
import socket
import threading
import urllib.request
import xml.etree.ElementTree as ElementTree
import zlib
from unittest.mock import ANY

import pytest
import tinyhtml5
import weasyprint
from django.conf import settings
from django.urls import reverse
from django.utils.timezone import localdate
from pypdf import PdfReader

from consultants.models import ReviewComment
from reports import pdf
from reports.selectors import build_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def download(client, owner):
    client.force_login(owner)

    def get(assessment, **kwargs):
        return client.get(reverse("report_pdf", args=[assessment.pk]), **kwargs)

    return get


@pytest.fixture
def render_calls(monkeypatch):
    """Count real renders: the view must call the renderer only on a cache miss."""
    calls = []
    real = pdf.render_report_pdf

    def counting(report):
        calls.append(report.assessment.pk)
        return real(report)

    monkeypatch.setattr(pdf, "render_report_pdf", counting)
    return calls


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


def pdf_text(content: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(content))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_pdf_is_a_valid_document_with_a_sane_number_of_pages(download, submitted):
    response = download(submitted)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    reader, _ = pdf_text(response.content)
    assert 4 <= len(reader.pages) <= 20


def test_pdf_holds_the_organization_the_four_pillars_and_the_action_plan(download, submitted):
    _, text = pdf_text(download(submitted).content)

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
    _, text = pdf_text(download(submitted).content)

    meta_lines = [line for line in text.splitlines() if "· effort: " in line]
    assert meta_lines
    assert all(re.match(r"[A-Z]{2}-[FIA]-\d\d ", line) for line in meta_lines)
    assert any(line.startswith("FI-F-01 ") and "your answer: " in line for line in meta_lines)


def test_pdf_has_a_cover_then_running_headers_and_page_x_of_y(download, submitted):
    reader, _ = pdf_text(download(submitted).content)
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


def test_second_download_comes_from_the_cache_without_rendering_again(
    download, submitted, render_calls
):
    first = download(submitted)
    second = download(submitted)

    assert render_calls == [submitted.pk]
    assert second.content == first.content


def test_a_new_consultant_comment_refreshes_the_cached_pdf(
    download, submitted, consultant, render_calls
):
    download(submitted)
    ReviewComment.objects.create(
        assessment=submitted, author=consultant, text="Test a restore from the backup."
    )

    _, text = pdf_text(download(submitted).content)

    assert len(render_calls) == 2
    assert "Consultant comments" in text
    assert "Test a restore from the backup." in text


def test_a_new_template_version_refreshes_the_cached_pdf(
    download, submitted, render_calls, monkeypatch
):
    download(submitted)
    monkeypatch.setattr(pdf, "REPORT_TEMPLATE_VERSION", "test-next")
    download(submitted)

    assert len(render_calls) == 2


def test_pdf_of_an_assessment_in_progress_is_refused(download, in_progress, render_calls):
    response = download(in_progress, follow=True)

    assert response.redirect_chain == [(reverse("results", args=[in_progress.pk]), 302)]
    assert "available once the assessment is submitted" in response.content.decode()
    assert render_calls == []


def test_the_pdf_uses_only_the_print_stylesheet_handed_over_by_the_renderer(submitted):
    html = pdf.render_report_html(build_report(submitted))

    assert "bootstrap" not in html.lower()
    assert "<link" not in html and "<style" not in html
    assert "<script" not in html
    assert pdf.print_stylesheet().base_url.endswith("/static/css/report-print.css")


# Elements that print inline, as they would with no rule at all, and the SVG
# chart's own elements (WeasyPrint draws SVG with its own renderer).
INLINE_ELEMENTS = {"span", "strong", "em", "b", "i", "small", "a", "br", "abbr", "time"}
SVG_ELEMENTS = {"svg", "title", "desc", "g", "text", "tspan", "line", "rect", "circle", "polygon"}


def test_every_element_of_the_report_has_its_defaults_in_the_user_agent_stylesheet(
    submitted, consultant
):
    """An element missing from css/report-user-agent.css would print as plain inline text."""
    ReviewComment.objects.create(assessment=submitted, author=consultant, text="Well done.")
    html = pdf.render_report_html(build_report(submitted))
    sheet = (settings.BASE_DIR / "static/css/report-user-agent.css").read_text()
    rules = re.findall(r"([^{}]+)\{([^{}]*)\}", re.sub(r"/\*.*?\*/", "", sheet, flags=re.S))
    displayed = {
        tag
        for selectors, declarations in rules
        if "display:" in declarations
        for tag in re.findall(r"(?<![-.#:\w\[])([a-z][a-z0-9]*)\b", selectors)
    }

    used = {tag.lower() for tag in re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", html)}
    svg_inside = set(re.findall(r"<([a-zA-Z]+)", "".join(re.findall(r"<svg.*?</svg>", html, re.S))))

    assert {"p", "h2", "li", "dd", "table", "td"} <= used  # the report really was read
    assert used - INLINE_ELEMENTS - (svg_inside & SVG_ELEMENTS) <= displayed


def test_the_report_is_styled_from_its_own_user_agent_stylesheet():
    document = pdf.ReportHTML(string="<p>Hi</p>", base_url=pdf.BASE_URL)

    assert document._ua_stylesheets() == [pdf.user_agent_stylesheet()]
    # The hook is WeasyPrint's own: a renamed one would silently bring its defaults back.
    assert "_ua_stylesheets" in vars(weasyprint.HTML)


def test_the_pdf_outline_follows_the_report_headings(download, submitted):
    reader, _ = pdf_text(download(submitted).content)

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
    real_fetch = pdf.OfflineURLFetcher.fetch

    def spy(self, url, headers=None):
        response = real_fetch(self, url, headers)
        fetched.append((url, response.path))
        return response

    monkeypatch.setattr(pdf.OfflineURLFetcher, "fetch", spy)
    monkeypatch.setattr(pdf, "_stylesheets", {})  # as in a new process
    report = build_report(submitted)

    first = pdf.render_report_pdf(report)
    second = pdf.render_report_pdf(report)

    assert first.startswith(b"%PDF-") and second.startswith(b"%PDF-")
    assert network_tripwire == []
    # Read and parsed for the first report only; the second one reuses them.
    assert sorted(fetched) == [
        ("file:///static/css/report-print.css", ANY),
        ("file:///static/css/report-user-agent.css", ANY),
    ]
    assert all(path.endswith(url.removeprefix("file:///")) for url, path in fetched)


def test_pdf_streams_are_compressed_at_zlibs_default_level_not_the_slowest(submitted, monkeypatch):
    levels = []
    real = zlib.compressobj

    def spy(level, *args, **kwargs):
        levels.append(level)
        return real(level, *args, **kwargs)

    monkeypatch.setattr(zlib, "compressobj", spy)

    document = pdf.render_report_pdf(build_report(submitted))

    # pydyf asks for level 9; if it stopped going through zlib.compressobj, nothing is seen here.
    assert levels and set(levels) == {pdf.PDF_COMPRESSION_LEVEL} == {6}
    _, text = pdf_text(document)
    assert "Corner Shop Ltd" in text


def _same_tree(a, b) -> bool:
    return (
        (a.tag, a.attrib, a.text or "", a.tail or "", len(a))
        == (b.tag, b.attrib, b.text or "", b.tail or "", len(b))
    ) and all(_same_tree(x, y) for x, y in zip(a, b, strict=True))


def test_the_report_is_read_by_the_xml_parser_into_the_tree_the_html_parser_builds(
    submit_assessment, retail_org, owner, consultant
):
    note = 'Sam\'s "plan" & <script>alert(1)</script>\r\nsecond line — café ✓'
    assessment = submit_assessment(retail_org, owner, notes={"OP-F-01": note})
    ReviewComment.objects.create(assessment=assessment, author=consultant, text="A < B & C")
    html = pdf.render_report_html(build_report(assessment))

    fast = pdf.xhtml_tree(html)  # raises if the templates stopped writing well-formed XHTML
    slow = tinyhtml5.parse(html, namespace_html_elements=False)

    assert _same_tree(fast, slow)
    assert len(list(fast.iter())) > 300


def test_the_report_document_is_set_up_as_weasyprint_sets_up_its_own(submitted):
    html = pdf.render_report_html(build_report(submitted))

    ours = vars(pdf.ReportHTML(html))
    theirs = vars(weasyprint.HTML(string=html, base_url=pdf.BASE_URL))

    assert ours.keys() == theirs.keys()
    assert (ours["base_url"], ours["media_type"]) == (theirs["base_url"], theirs["media_type"])


def test_html_that_is_not_well_formed_xml_still_prints():
    html = "<html><body><p>One<br>two & three</p></body></html>"
    with pytest.raises(ElementTree.ParseError):
        pdf.xhtml_tree(html)

    _, text = pdf_text(pdf.html_to_pdf(html))

    assert "One" in text and "two & three" in text


def test_a_note_pasted_with_control_characters_prints_as_clean_text(
    download, submit_assessment, retail_org, owner
):
    note = "Copied from Word:\x0bline two\x0cand a \x01stray byte"
    assessment = submit_assessment(retail_org, owner, notes={"OP-F-01": note})

    _, text = pdf_text(download(assessment).content)

    assert "Copied from Word: line two and a stray byte" in " ".join(text.split())
    assert "\x00" not in text


def test_each_thread_keeps_its_own_font_configuration():
    """Pango font maps are not thread-safe: a thread reuses its own, never another's."""
    mine = pdf._font_config()
    others = []
    thread = threading.Thread(target=lambda: others.append(pdf._font_config()))
    thread.start()
    thread.join()

    assert pdf._font_config() is mine
    assert others[0] is not mine


def test_stripping_the_indentation_keeps_every_word_and_the_spaces_between_them():
    html = (
        '<dl>\n  <div class="report-answer">\n    <dt>\n      OP-F-01 Who knows\n'
        "      the plan?\n    </dt>\n    <dd>\n      Your answer: Partly\n      <br>\n"
        "      Note: Plan lives in Sam's head;\n      writing it down in May.\n    </dd>\n"
        "  </div>\n</dl>\n<p>\n  <strong>Inventory</strong>: weekly\n  <em>counted</em>\n</p>"
    )

    assert pdf.strip_indentation(html) == (
        '<dl><div class="report-answer"><dt>OP-F-01 Who knows the plan?</dt>'
        "<dd>Your answer: Partly<br>Note: Plan lives in Sam's head; writing it down in May.</dd>"
        "</div></dl><p><strong>Inventory</strong>: weekly <em>counted</em></p>"
    )


def test_stripping_the_indentation_collapses_tabs_and_runs_of_spaces():
    html = "<dl><dd>Note:  two  spaces\tand a tab</dd> <dd>  Lead</dd></dl>"

    assert pdf.strip_indentation(html) == (
        "<dl><dd>Note: two spaces and a tab</dd> <dd>Lead</dd></dl>"
    )


def test_a_note_with_tabs_and_runs_of_spaces_prints_single_spaced(
    download, submit_assessment, retail_org, owner
):
    note = "Two  spaces,\ta tab   and three spaces"
    assessment = submit_assessment(retail_org, owner, notes={"OP-F-01": note})

    _, text = pdf_text(download(assessment).content)

    assert "Two spaces, a tab and three spaces" in text


def test_stripping_the_indentation_leaves_preformatted_text_alone():
    html = "<div>\n  <pre>  two\n\n    lines </pre>\n  <textarea>\n a\n</textarea>\n</div>"

    assert pdf.strip_indentation(html) == (
        "<div><pre>  two\n\n    lines </pre> <textarea>\n a\n</textarea></div>"
    )


def test_a_multi_line_note_reaches_the_pdf_intact(download, submit_assessment, retail_org, owner):
    note = "Plan lives in Sam's head;\n\n    writing it down in May."
    assessment = submit_assessment(retail_org, owner, notes={"OP-F-01": note})

    _, text = pdf_text(download(assessment).content)

    assert "Plan lives in Sam's head; writing it down in May." in " ".join(text.split())


def test_a_remote_image_in_the_report_hits_the_guard_not_the_network(network_tripwire, caplog):
    html = (
        '<html><body><img src="http://example.com/logo.png" alt="">'
        '<link rel="stylesheet" href="https://cdn.example.com/x.css"><p>Hi</p></body></html>'
    )

    content = pdf.html_to_pdf(html)

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
    ],
)
def test_the_fetcher_refuses_anything_but_static_files(url):
    with pytest.raises(pdf.ExternalFetchRefused, match="only use local static files"):
        pdf.OfflineURLFetcher().fetch(url)
