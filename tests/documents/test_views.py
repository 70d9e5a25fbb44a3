"""The downloads: access as on the pages they print, and a fixed number of queries."""

import pytest
from django.urls import reverse

from action_plans.services import action_item_add
from consultants.services import review_comment_add
from documents import services
from documents.kinds import CONTINUITY_PLAN, REPORT
from tests.conftest import verified_login

from .conftest import pdf_text

pytestmark = pytest.mark.django_db

# The session, the access check, what the document prints, its stored row: none per row.
REPORT_DOWNLOAD_QUERIES = 13
PLAN_DOWNLOAD_QUERIES = 12


def test_downloading_a_fresh_report_takes_the_same_queries_with_more_data(
    client, owner, assessment, consultant, queue, django_assert_max_num_queries
):
    url = reverse("documents:report_pdf", args=[assessment.pk])
    client.force_login(owner)
    services.pdf_refresh(REPORT, assessment)
    with django_assert_max_num_queries(REPORT_DOWNLOAD_QUERIES):
        client.get(url)

    for number in range(5):
        review_comment_add(assessment=assessment, author=consultant, text=f"Note {number}.")
        action_item_add(organization=assessment.organization, user=owner, title=f"Task {number}")
    services.pdf_refresh(REPORT, assessment)
    with django_assert_max_num_queries(REPORT_DOWNLOAD_QUERIES):
        client.get(url)


def test_downloading_a_fresh_plan_takes_a_fixed_number_of_queries(
    client, owner, plan, queue, django_assert_max_num_queries
):
    client.force_login(owner)
    services.pdf_refresh(CONTINUITY_PLAN, plan)
    with django_assert_max_num_queries(PLAN_DOWNLOAD_QUERIES):
        client.get(reverse("documents:continuity_plan_pdf"))


def test_the_clients_consultant_downloads_the_plan_without_comments(
    client, consultant, organization, plan, queue
):
    verified_login(client, consultant)

    response = client.get(
        reverse("documents:consultant_continuity_plan_pdf", args=[organization.pk])
    )

    assert response["Content-Disposition"].startswith("attachment")
    assert "Corner Shop" in pdf_text(response)
