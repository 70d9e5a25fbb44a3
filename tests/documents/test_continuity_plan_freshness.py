"""After each kind of change, the continuity plan's PDF prints what the plan page shows.

No worker runs here (``queue``): the download itself must notice that the
stored PDF no longer prints what the page shows.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from continuity.models import PlanPart
from continuity.services import continuity_part_review
from documents.kinds import CONTINUITY_PLAN

from .conftest import plan_page_and_pdf, submitted_assessment

pytestmark = pytest.mark.django_db

BACKUP_GAP = "Test the restore: bring back one file from the backup"


@pytest.fixture
def stored(client, owner, plan, queue, renders):
    """The owner logged in, the plan's PDF downloaded once (so a PDF is stored)."""
    client.force_login(owner)
    plan_page_and_pdf(client)
    assert renders == [CONTINUITY_PLAN]
    return plan.pdf


def test_a_new_submission_that_closes_the_gaps_clears_the_to_do_list_of_both(
    client, owner, organization, stored
):
    page, pdf = plan_page_and_pdf(client)
    assert BACKUP_GAP in page and BACKUP_GAP in pdf
    assert "Still to do:" in pdf

    submitted_assessment(organization, owner, "4")  # every gap closed

    page, pdf = plan_page_and_pdf(client)
    assert BACKUP_GAP not in page and BACKUP_GAP not in pdf
    assert "Still to do:" not in pdf


def test_a_saved_part_is_printed_as_the_page_shows_it(client, plan, stored):
    part = plan.parts.get(key=PlanPart.Key.PREMISES)
    response = client.post(
        reverse("continuity:part", args=[part.key]),
        {"revision": str(part.revision), "evacuation_point": "The church car park"},
    )
    assert response.status_code == 302

    page, pdf = plan_page_and_pdf(client)
    assert "The church car park" in page and "The church car park" in pdf


def test_a_review_date_passing_prints_needs_review_on_both(client, owner, plan, stored):
    for part in plan.parts.all():  # each confirmed as it stands, so the plan is current
        continuity_part_review(part=part, revision=part.revision, user=owner)
    page, pdf = plan_page_and_pdf(client)
    assert "Needs review" not in page and "Needs review" not in pdf

    # Time passing fires no signal: a queryset update stands in for it.
    PlanPart.objects.filter(plan=plan).update(reviewed_at=timezone.now() - timedelta(days=400))

    page, pdf = plan_page_and_pdf(client)
    assert "Needs review" in page and "Status: Needs review" in pdf


def test_renaming_the_business_prints_the_new_name_on_the_plan(client, organization, stored):
    client.post(
        reverse("accounts:organization_edit"),
        {
            "name": "Corner Shop and Deli",
            "sector": organization.sector,
            "size_band": organization.size_band,
            "region": organization.region,
        },
    )

    page, pdf = plan_page_and_pdf(client)
    assert "Corner Shop and Deli" in page and "Corner Shop and Deli" in pdf


def test_a_stylesheet_change_renders_the_plan_again(client, stored, renders, monkeypatch):
    from documents import printing

    real = printing.stylesheet_text
    monkeypatch.setattr(
        printing,
        "stylesheet_text",
        lambda name: real(name) + '\nh1::after { content: " (new look)"; }',
    )

    _, pdf = plan_page_and_pdf(client)

    assert "Corner Shop (new look)" in pdf
    assert renders == [CONTINUITY_PLAN, CONTINUITY_PLAN]
