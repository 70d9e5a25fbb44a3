"""After each kind of change, the report's PDF prints what the results page shows.

No worker runs here (``queue``): the download itself must notice that the
stored PDF no longer prints what the page shows.
"""

import pytest
from django.urls import reverse

from action_plans import services as plan_services
from action_plans.models import ActionItem
from consultants.services import (
    assessment_mark_reviewed,
    review_comment_add,
    review_comment_delete,
)
from documents.kinds import REPORT
from documents.models import ReportPDF

from .conftest import WEAK_ANSWERS, report_page_and_pdf, submitted_assessment

pytestmark = pytest.mark.django_db

PLAN_HEADING = "Where the action plan stands"


@pytest.fixture
def stored(client, owner, assessment, queue, renders):
    """The owner logged in, the report's PDF downloaded once (so a PDF is stored)."""
    client.force_login(owner)
    report_page_and_pdf(client, assessment)
    assert renders == [REPORT]
    return ReportPDF.objects.get(assessment=assessment)


def test_submitted_answers_are_printed_as_the_results_page_shows_them(
    client, owner, organization, assessment, stored
):
    later = submitted_assessment(organization, owner, "2", WEAK_ANSWERS)

    page, pdf = report_page_and_pdf(client, later)

    score = f"{later.overall_score:.1f}"
    assert score != f"{assessment.overall_score:.1f}"
    assert score in page and score in pdf
    assert "Progress over time" in page and "Progress over time" in pdf


def test_a_review_comment_appears_in_both_and_leaves_both_when_deleted(
    client, assessment, consultant, stored
):
    text = "Agree an overdraft facility before you need it."
    comment = review_comment_add(assessment=assessment, author=consultant, text=text)

    page, pdf = report_page_and_pdf(client, assessment)
    assert text in page and text in pdf

    review_comment_delete(comment=comment)

    page, pdf = report_page_and_pdf(client, assessment)
    assert text not in page and text not in pdf


def test_marking_reviewed_is_printed_as_the_page_shows_it(client, assessment, consultant, stored):
    page, pdf = report_page_and_pdf(client, assessment)
    assert "Reviewed by your consultant" not in page and "Reviewed by your consultant" not in pdf

    assessment_mark_reviewed(assessment=assessment, user=consultant)

    page, pdf = report_page_and_pdf(client, assessment)
    assert "Reviewed by your consultant" in page and "Reviewed by your consultant" in pdf


def test_renaming_the_business_prints_the_new_name(client, organization, assessment, stored):
    response = client.post(
        reverse("accounts:organization_edit"),
        {
            "name": "Corner Shop and Deli",
            "sector": organization.sector,
            "size_band": organization.size_band,
            "region": organization.region,
        },
    )
    assert response.status_code == 302

    page, pdf = report_page_and_pdf(client, assessment)
    assert "Corner Shop and Deli" in page and "Corner Shop and Deli" in pdf


def test_a_changed_action_plan_item_is_printed_as_the_page_shows_it(
    client, owner, assessment, stored
):
    item = ActionItem.objects.filter(organization=assessment.organization).first()
    plan_services.action_item_update(
        item=item,
        user=owner,
        change=plan_services.ItemChange(
            status="doing", assignee="Priya at the till", revision=item.revision
        ),
    )

    page, pdf = report_page_and_pdf(client, assessment)
    assert "Priya at the till" in page and "Priya at the till" in pdf


def test_a_new_submission_takes_the_action_plan_out_of_the_earlier_report(
    client, owner, organization, assessment, stored
):
    page, pdf = report_page_and_pdf(client, assessment)
    assert PLAN_HEADING in page and PLAN_HEADING in pdf

    submitted_assessment(organization, owner, "4")

    page, pdf = report_page_and_pdf(client, assessment)
    assert PLAN_HEADING not in page and PLAN_HEADING not in pdf


def test_a_stylesheet_change_renders_the_pdf_again(
    client, assessment, stored, renders, monkeypatch
):
    from documents import printing

    real = printing.stylesheet_text
    monkeypatch.setattr(
        printing,
        "stylesheet_text",
        lambda name: real(name) + '\nh1::after { content: " (new look)"; }',
    )

    _, pdf = report_page_and_pdf(client, assessment)

    assert "Resilience report (new look)" in pdf
    assert renders == [REPORT, REPORT]


def test_a_template_change_renders_the_pdf_again(
    client, assessment, stored, renders, settings, tmp_path
):
    override = tmp_path / "templates" / "partials" / "report"
    override.mkdir(parents=True)
    original = (settings.BASE_DIR / "templates/partials/report/_method.html").read_text()
    (override / "_method.html").write_text(original + "<p>Printed by the new template.</p>")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path / "templates", *settings.TEMPLATES[0]["DIRS"]]}
    ]

    page, pdf = report_page_and_pdf(client, assessment)

    assert "Printed by the new template." in page and "Printed by the new template." in pdf
    assert renders == [REPORT, REPORT]
