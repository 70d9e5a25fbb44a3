"""Each report's PDF is rendered off the request when the report changes, stored, and served."""

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django_tasks import task_backends

from assessments.services import assessment_start
from consultants.services import assessment_mark_reviewed, review_comment_add
from reports import pdf
from reports.models import ReportPDF
from reports.tasks import RENDER_RETRIES, render_report_pdf, report_pdf_render
from tests.factories import MembershipFactory, OrganizationFactory
from tests.reports.conftest import answer_all, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(settings):
    """The dummy task backend: tasks are recorded and never run, as with no worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    return task_backends["default"]


@pytest.fixture
def worker(settings):
    """The immediate backend: each task runs as soon as it is enqueued, as by an idle worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def rendered(submitted):
    """The submitted assessment, its PDF rendered and stored."""
    stored = report_pdf_render(assessment_id=submitted.pk)
    assert stored.is_fresh
    return stored


def renders_enqueued(queue) -> list[int]:
    return [result.args[0] for result in queue.results if result.task == render_report_pdf]


def stored_pdf(assessment) -> ReportPDF:
    return ReportPDF.objects.get(assessment=assessment)


def test_submitting_renders_the_pdf_in_a_task_and_the_download_serves_that_file(
    worker,
    submit_assessment,
    retail_org,
    owner,
    download,
    render_calls,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        assessment = submit_assessment(retail_org, owner)

    stored = stored_pdf(assessment)
    assert stored.is_fresh
    with stored.file.open("rb") as file:
        content = file.read()
    assert content.startswith(b"%PDF-")
    assert download(assessment).getvalue() == content
    assert render_calls == [assessment.pk]  # in the task, not at the download


def test_submitting_in_the_browser_only_enqueues_the_render(
    queue, client, framework, retail_org, owner, render_calls, django_capture_on_commit_callbacks
):
    assessment = assessment_start(organization=retail_org, user=owner)
    answer_all(assessment, owner)
    client.force_login(owner)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("assessment_submit", args=[assessment.pk]), {"confirm": "yes"}
        )

    assert response.status_code == 302
    assert renders_enqueued(queue) == [assessment.pk]
    assert render_calls == []
    assert not stored_pdf(assessment).file


def test_without_a_worker_the_first_download_renders_and_stores_the_pdf_once(
    queue, download, submitted, render_calls
):
    first = download(submitted).getvalue()
    second = download(submitted).getvalue()

    assert render_calls == [submitted.pk]
    assert second == first
    assert stored_pdf(submitted).is_fresh


def test_a_stale_pdf_is_rendered_again_at_download_and_its_old_file_deleted(
    queue,
    download,
    rendered,
    submitted,
    consultant,
    render_calls,
    django_capture_on_commit_callbacks,
):
    old_file = rendered.file.name
    with django_capture_on_commit_callbacks(execute=True):
        review_comment_add(assessment=submitted, author=consultant, text="Test a restore.")

    _, text = pdf_text(download(submitted))

    assert "Test a restore." in text
    assert render_calls == [submitted.pk]
    assert not default_storage.exists(old_file)
    assert default_storage.exists(stored_pdf(submitted).file.name)


def test_a_pdf_whose_file_was_lost_is_rendered_again_at_download(queue, download, rendered):
    default_storage.delete(rendered.file.name)

    response = download(rendered.assessment)

    assert response.status_code == 200
    assert response.getvalue().startswith(b"%PDF-")


def test_a_new_comment_marks_the_pdf_stale_and_enqueues_a_render(
    queue, rendered, submitted, consultant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        review_comment_add(assessment=submitted, author=consultant, text="Well done.")

    assert not stored_pdf(submitted).is_fresh
    assert renders_enqueued(queue) == [submitted.pk]


def test_a_deleted_comment_marks_the_pdf_stale_and_enqueues_a_render(
    queue, client, submitted, consultant, django_capture_on_commit_callbacks
):
    comment = review_comment_add(assessment=submitted, author=consultant, text="Oops.")
    report_pdf_render(assessment_id=submitted.pk)
    client.force_login(consultant)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("consultant_comment_delete", args=[comment.pk]))

    assert not stored_pdf(submitted).is_fresh
    assert renders_enqueued(queue) == [submitted.pk]


def test_marking_reviewed_marks_the_pdf_stale_and_enqueues_a_render(
    queue, rendered, submitted, consultant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assessment_mark_reviewed(assessment=submitted, user=consultant)

    assert not stored_pdf(submitted).is_fresh
    assert renders_enqueued(queue) == [submitted.pk]


def test_a_business_profile_change_marks_the_pdfs_of_that_business_only_stale(
    queue, client, rendered, submitted, owner, submit_assessment, django_capture_on_commit_callbacks
):
    other_org = OrganizationFactory(name="Other Shop", sector="retail")
    other = report_pdf_render(
        assessment_id=submit_assessment(
            other_org, MembershipFactory(organization=other_org).user
        ).pk
    )
    client.force_login(owner)
    profile = {
        "name": "Corner Shop Group",
        "sector": "retail",
        "size_band": "1-9",
        "region": "Kent",
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("organization_edit"), profile)

    assert response.status_code == 302
    assert not stored_pdf(submitted).is_fresh
    assert stored_pdf(other.assessment).is_fresh
    assert renders_enqueued(queue) == [submitted.pk]


def test_a_render_that_a_change_overtakes_leaves_the_pdf_stale(
    queue, submitted, consultant, monkeypatch
):
    real = pdf.render_report_pdf

    def render_while_a_comment_lands(report):
        # The report has been read; the change commits before the render is stored.
        review_comment_add(assessment=submitted, author=consultant, text="Late comment.")
        return real(report)

    monkeypatch.setattr(pdf, "render_report_pdf", render_while_a_comment_lands)

    stored = report_pdf_render(assessment_id=submitted.pk)

    assert stored.file
    assert not stored.is_fresh


def test_a_failed_render_is_logged_with_the_assessment_id_retried_and_the_download_still_works(
    worker, submitted, download, monkeypatch, caplog
):
    attempts = []

    def broken(report):
        attempts.append(report.assessment.pk)
        raise RuntimeError("no fonts")

    monkeypatch.setattr(pdf, "render_report_pdf", broken)

    render_report_pdf.enqueue(submitted.pk)

    assert attempts == [submitted.pk] * (RENDER_RETRIES + 1)
    assert f"PDF report of assessment {submitted.pk}: the render failed" in caplog.text
    assert not stored_pdf(submitted).is_fresh
    monkeypatch.undo()
    response = download(submitted)
    assert response.status_code == 200
    assert response.getvalue().startswith(b"%PDF-")


def test_the_render_command_renders_missing_and_stale_pdfs_and_with_all_every_one(
    queue,
    rendered,
    submit_assessment,
    retail_org,
    owner,
    render_calls,
    django_capture_on_commit_callbacks,
):
    missing = submit_assessment(retail_org, owner)

    call_command("render_report_pdfs")
    assert render_calls == [missing.pk]

    call_command("render_report_pdfs")
    assert render_calls == [missing.pk]

    call_command("render_report_pdfs", "--all")
    assert sorted(render_calls) == sorted([missing.pk, missing.pk, rendered.assessment_id])
    assert stored_pdf(missing).is_fresh and stored_pdf(rendered.assessment).is_fresh
