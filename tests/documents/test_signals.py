"""Changes that commit enqueue a render, which the worker runs only for a stale PDF."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from action_plans.services import action_item_add
from assessments.services import assessment_start
from consultants.services import review_comment_add
from documents import services, tasks
from documents.kinds import CONTINUITY_PLAN, REPORT
from documents.models import ReportPDF

from .conftest import pdf_text

pytestmark = pytest.mark.django_db


def enqueued(queue) -> list[tuple[str, int]]:
    return [(result.task.name, result.args[0]) for result in queue.results]


def test_a_committed_comment_is_rendered_by_the_worker_and_then_served_as_stored(
    worker, client, owner, assessment, consultant, renders, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        review_comment_add(assessment=assessment, author=consultant, text="Well done, Ada.")

    assert renders == [REPORT]
    assert services.is_fresh(REPORT, assessment)
    client.force_login(owner)
    assert "Well done, Ada." in pdf_text(
        client.get(reverse("documents:report_pdf", args=[assessment.pk]))
    )
    assert renders == [REPORT]  # by the worker, not at the download


def test_nothing_is_enqueued_before_the_change_commits(
    queue, assessment, consultant, django_capture_on_commit_callbacks
):
    queue.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        review_comment_add(assessment=assessment, author=consultant, text="Not yet.")

    assert queue.results == []
    for callback in callbacks:
        callback()
    assert enqueued(queue) == [("refresh_report_pdf", assessment.pk)]


def test_a_new_submission_enqueues_every_document_of_the_business(
    worker, owner, organization, plan, renders, django_capture_on_commit_callbacks
):
    from .conftest import submitted_assessment

    with django_capture_on_commit_callbacks(execute=True):
        later = submitted_assessment(organization, owner, "4")

    assert services.is_fresh(REPORT, later)
    assert services.is_fresh(CONTINUITY_PLAN, plan)
    # The earlier report no longer prints the action plan: rendered again too.
    earlier = ReportPDF.objects.exclude(assessment=later).get()
    assert services.is_fresh(REPORT, earlier.assessment)


def test_answers_in_progress_enqueue_nothing(
    queue, owner, organization, assessment, django_capture_on_commit_callbacks
):
    queue.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assessment_start(organization=organization, user=owner)

    assert queue.results == []


def test_the_task_renders_nothing_when_the_stored_pdf_is_fresh(worker, assessment, renders):
    tasks.refresh_report_pdf.enqueue(assessment.pk)
    tasks.refresh_report_pdf.enqueue(assessment.pk)

    assert renders == [REPORT]


def test_a_failed_render_is_logged_retried_and_the_download_still_works(
    worker, client, owner, assessment, monkeypatch, caplog
):
    attempts = []

    def broken(document, html):
        attempts.append(document)
        raise RuntimeError("no fonts")

    monkeypatch.setattr(services, "render", broken)

    tasks.refresh_report_pdf.enqueue(assessment.pk)

    assert attempts == [REPORT] * (tasks.RENDER_RETRIES + 1)
    assert f"PDF report of assessment {assessment.pk}: the render failed" in caplog.text
    assert not services.is_fresh(REPORT, assessment)
    monkeypatch.undo()
    client.force_login(owner)
    assert "Corner Shop" in pdf_text(
        client.get(reverse("documents:report_pdf", args=[assessment.pk]))
    )


def test_fifty_changes_in_a_row_enqueue_one_render_per_document(
    queue, owner, organization, assessment, plan, consultant, django_capture_on_commit_callbacks
):
    queue.clear()
    for number in range(50):
        with django_capture_on_commit_callbacks(execute=True):
            action_item_add(organization=organization, user=owner, title=f"Task {number}")
        with django_capture_on_commit_callbacks(execute=True):
            review_comment_add(assessment=assessment, author=consultant, text=f"Note {number}.")

    assert sorted(enqueued(queue)) == [
        ("refresh_continuity_plan_pdf", plan.pk),
        ("refresh_report_pdf", assessment.pk),
    ]


def test_a_change_while_the_render_runs_enqueues_one_more(
    queue, assessment, consultant, renders, django_capture_on_commit_callbacks
):
    queue.clear()
    with django_capture_on_commit_callbacks(execute=True):
        review_comment_add(assessment=assessment, author=consultant, text="First.")
    tasks.refresh_report_pdf.call(assessment.pk)  # the worker takes it: the render starts

    for text in ("Second.", "Third."):
        with django_capture_on_commit_callbacks(execute=True):
            review_comment_add(assessment=assessment, author=consultant, text=text)

    assert renders == [REPORT]
    assert enqueued(queue) == [("refresh_report_pdf", assessment.pk)] * 2


def test_a_render_queued_long_ago_and_never_run_does_not_block_the_next(
    queue, assessment, consultant, django_capture_on_commit_callbacks
):
    queue.clear()
    with django_capture_on_commit_callbacks(execute=True):
        review_comment_add(assessment=assessment, author=consultant, text="Lost with its worker.")
    ReportPDF.objects.filter(assessment=assessment).update(
        render_queued_at=timezone.now() - tasks.QUEUED_RENDER_EXPIRES - timedelta(minutes=1)
    )

    with django_capture_on_commit_callbacks(execute=True):
        review_comment_add(assessment=assessment, author=consultant, text="Seen again.")

    assert enqueued(queue) == [("refresh_report_pdf", assessment.pk)] * 2
