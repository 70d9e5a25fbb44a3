"""``render_documents``: the sweep renders every stale PDF, and only those."""

import pytest
from django.core.management import call_command

from consultants.services import review_comment_add
from documents.kinds import CONTINUITY_PLAN, REPORT

pytestmark = pytest.mark.django_db


def test_the_sweep_renders_missing_and_stale_pdfs_only(
    assessment, plan, consultant, queue, renders, capsys
):
    call_command("render_documents")
    assert renders == [REPORT, CONTINUITY_PLAN]
    assert "Rendered 2 stale PDFs." in capsys.readouterr().out

    call_command("render_documents")
    assert renders == [REPORT, CONTINUITY_PLAN]

    review_comment_add(assessment=assessment, author=consultant, text="Well done.")
    call_command("render_documents")
    assert renders == [REPORT, CONTINUITY_PLAN, REPORT]


# --- A worker killed in the middle of a render ------------------------------------------------


@pytest.fixture
def database_queue(settings):
    """The queue the app servers use in production: rows in the database, run by db_worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _claimed_render(assessment, worker_id):
    """A report render taken off the queue by ``worker_id``, which then died mid-render."""
    from django_tasks_db.models import DBTaskResult

    from documents.tasks import refresh_enqueue

    refresh_enqueue(REPORT, [assessment.pk])
    task = DBTaskResult.objects.ready().get(args_kwargs__args=[assessment.pk])
    task.claim(worker_id)
    return task


def test_a_render_whose_worker_was_killed_is_queued_again_when_that_worker_restarts(
    assessment, database_queue
):
    from django_tasks_db.models import DBTaskResult

    lost = _claimed_render(assessment, "host-a-1")

    call_command("requeue_lost_renders", worker_id="host-a-1")

    lost.refresh_from_db()
    assert lost.status == "FAILED"
    waiting = DBTaskResult.objects.ready().get()
    assert (waiting.task_path, waiting.args_kwargs["args"]) == (lost.task_path, [assessment.pk])


def test_a_render_running_on_another_worker_is_left_alone(assessment, database_queue):
    from django_tasks_db.models import DBTaskResult

    running = _claimed_render(assessment, "host-b-1")

    call_command("requeue_lost_renders", worker_id="host-a-1")

    running.refresh_from_db()
    assert running.status == "RUNNING"
    assert not DBTaskResult.objects.ready().exists()
