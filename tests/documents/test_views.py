"""The downloads: access as on the pages they print, and a fixed number of queries."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from action_plans.services import action_item_add
from consultants.services import review_comment_add
from documents import services
from documents.kinds import CONTINUITY_PLAN, REPORT
from documents.models import ContinuityPlanPDF, ReportPDF
from tests.conftest import verified_login
from tests.factories import FirmMembershipFactory

from .conftest import page_text, pdf_text

pytestmark = pytest.mark.django_db

# The session, the access check, what the document prints (with what its submission changed
# in the plan), its stored row: none per row.
REPORT_DOWNLOAD_QUERIES = 14
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


# --- The on-demand budget: a stale PDF too long to print while someone waits ---------


@pytest.fixture
def long_documents(settings):
    """Every document counts as long: its HTML is over the on-demand budget."""
    settings.PDF_ON_DEMAND_MAX_HTML_BYTES = 1000


def test_a_stale_short_report_is_printed_at_the_download(
    client, owner, assessment, consultant, queue, renders
):
    services.pdf_refresh(REPORT, assessment)
    review_comment_add(assessment=assessment, author=consultant, text="Printed at once.")
    client.force_login(owner)

    response = client.get(reverse("documents:report_pdf", args=[assessment.pk]))

    assert "Printed at once." in pdf_text(response)
    assert renders == [REPORT, REPORT]


def test_a_stale_long_report_is_prepared_and_the_last_pdf_offered_with_its_date(
    client, owner, assessment, consultant, queue, renders, long_documents
):
    services.pdf_refresh(REPORT, assessment)
    stored = ReportPDF.objects.get(assessment=assessment)
    review_comment_add(assessment=assessment, author=consultant, text="Not printed yet.")
    queue.clear()
    client.force_login(owner)
    url = reverse("documents:report_pdf", args=[assessment.pk])

    response = client.get(url)

    assert response.status_code == 202
    text = page_text(response, status=202)
    assert "A new PDF of this report is being prepared" in text
    assert f"PDF of {date_format(timezone.localtime(stored.rendered_at), 'j F Y')}" in text
    assert f'href="{url}?stored=1"' in response.content.decode()
    assert renders == [REPORT]  # the first render only: none while the owner waited
    assert [r.task.name for r in queue.results] == ["refresh_report_pdf"]

    older = pdf_text(client.get(f"{url}?stored=1"))
    assert "Corner Shop" in older
    assert "Not printed yet." not in older


def test_a_long_report_never_printed_says_so_and_is_prepared(
    client, owner, assessment, queue, renders, long_documents
):
    client.force_login(owner)
    url = reverse("documents:report_pdf", args=[assessment.pk])

    response = client.get(url)

    text = page_text(response, status=202)
    assert "No PDF of this report has been printed yet, and it is long" in text
    assert "?stored=1" not in response.content.decode()
    assert renders == []
    assert [r.task.name for r in queue.results] == ["refresh_report_pdf"]
    assert client.get(f"{url}?stored=1").status_code == 404


def test_a_long_report_already_queued_is_not_queued_again(
    client, owner, assessment, queue, long_documents
):
    client.force_login(owner)
    url = reverse("documents:report_pdf", args=[assessment.pk])

    client.get(url)
    client.get(url)

    assert [r.task.name for r in queue.results] == ["refresh_report_pdf"]


def test_a_fresh_long_report_is_served_as_stored(
    client, owner, assessment, queue, renders, long_documents
):
    services.pdf_refresh(REPORT, assessment)
    client.force_login(owner)

    response = client.get(reverse("documents:report_pdf", args=[assessment.pk]))

    assert "Corner Shop" in pdf_text(response)
    assert renders == [REPORT]


def test_a_stale_long_plan_is_prepared_for_the_owner_and_the_consultant(
    client, owner, consultant, organization, plan, queue, renders, long_documents
):
    services.pdf_refresh(CONTINUITY_PLAN, plan)
    ContinuityPlanPDF.objects.filter(plan=plan).update(digest="stale")
    for user, url in (
        (owner, reverse("documents:continuity_plan_pdf")),
        (consultant, reverse("documents:consultant_continuity_plan_pdf", args=[organization.pk])),
    ):
        verified_login(client, user)  # an owner needs no code; it does no harm
        assert "A new PDF of this plan is being prepared" in page_text(client.get(url), status=202)
        assert "Corner Shop" in pdf_text(client.get(f"{url}?stored=1"))
    assert renders == [CONTINUITY_PLAN]


def test_a_long_report_for_a_consultant_of_a_second_firm_is_never_printed_on_demand(
    client, assessment, consultant, queue, renders, long_documents
):
    earlier = FirmMembershipFactory().user
    review_comment_add(assessment=assessment, author=earlier, text="From the first firm.")
    verified_login(client, consultant)

    response = client.get(reverse("documents:report_pdf", args=[assessment.pk]))

    assert "This report is too long to print while you wait" in page_text(response)
    assert renders == []


@pytest.fixture
def unwritable_media(settings, tmp_path):
    """MEDIA_ROOT below a plain file: every write fails, as on a read-only or lost disk
    (a read-only mode bit would not stop root, which CI runs as)."""
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    settings.MEDIA_ROOT = blocker / "media"


def test_a_download_while_the_media_disk_is_unwritable_still_gets_the_current_pdf(
    client, owner, assessment, consultant, queue, unwritable_media, caplog
):
    review_comment_add(assessment=assessment, author=consultant, text="Printed, not stored.")
    verified_login(client, owner)

    response = client.get(reverse("documents:report_pdf", args=[assessment.pk]))

    assert response.status_code == 200
    assert "Printed, not stored." in pdf_text(response)
    assert f"PDF report of assessment {assessment.pk}: the PDF could not be stored" in caplog.text
    assert not ReportPDF.objects.filter(assessment=assessment).exclude(digest="").exists()
