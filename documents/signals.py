"""Render a document ahead of its download once a change that may alter it commits.

These receivers only save the worker's time: freshness is decided by the
digest (``services``), so a change they miss (a queryset ``update()``, a
``bulk_create``, a date passing) is still caught at the download and by
``manage.py render_documents``. Each enqueues after the commit, so the
worker never reads the rows before the change, and only if no render of
that document waits already (``tasks.refresh_enqueue``).
"""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts.models import Organization
from action_plans.models import ActionItem, Target
from assessments.models import Assessment
from continuity.models import ContinuityPlan, PlanExercise, PlanPart
from reports.models import ReviewComment

from . import tasks
from .kinds import CONTINUITY_PLAN, REPORT

CHANGES = (post_save, post_delete)


def _enqueue_after_commit(function, *args) -> None:
    transaction.on_commit(partial(function, *args))


@receiver(CHANGES, sender=Organization)
@receiver(CHANGES, sender=ActionItem)
@receiver(CHANGES, sender=Target)
def business_changed(sender, instance, raw=False, **kwargs):
    """The name printed on every document, or the action plan the latest report prints."""
    if raw:  # loaddata: the rows are not complete yet
        return
    organization_id = instance.pk if sender is Organization else instance.organization_id
    _enqueue_after_commit(tasks.organization_refresh_enqueue, organization_id)


@receiver(CHANGES, sender=Assessment)
def assessment_changed(sender, instance, raw=False, **kwargs):
    """A submission changes its report, the plan printed in the previous one, the plan's gaps."""
    if raw:
        return
    # Answers in progress print nowhere; a submitted assessment, or one deleted, may.
    if instance.status == Assessment.Status.SUBMITTED or kwargs["signal"] is post_delete:
        _enqueue_after_commit(tasks.organization_refresh_enqueue, instance.organization_id)


@receiver(CHANGES, sender=ReviewComment)
def review_comment_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        _enqueue_after_commit(tasks.refresh_enqueue, REPORT, [instance.assessment_id])


@receiver(CHANGES, sender=ContinuityPlan)
def continuity_plan_changed(sender, instance, raw=False, **kwargs):
    if not raw and kwargs["signal"] is post_save:
        _enqueue_after_commit(tasks.refresh_enqueue, CONTINUITY_PLAN, [instance.pk])


@receiver(CHANGES, sender=PlanPart)
@receiver(CHANGES, sender=PlanExercise)
def continuity_plan_part_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        _enqueue_after_commit(tasks.refresh_enqueue, CONTINUITY_PLAN, [instance.plan_id])
