"""What the assessments app tells the apps above it, which it does not import.

``assessment_submitted`` is sent inside the transaction that submits an
assessment, with ``assessment`` (the submitted row) and ``user`` (who submitted
it): a receiver's writes commit or roll back with the submission. The action
plan (``action_plans``) listens to close the actions the answers now meet and
track the new ones.
"""

from django.dispatch import Signal

assessment_submitted = Signal()


def drafts_follow_profile(sender, instance, **kwargs):
    """A draft is asked with the business profile as it is now; a submitted one keeps its own.

    Connected to ``Organization`` saves (``AssessmentsConfig.ready``): accounts sits below
    this app, so it cannot tell it the profile changed.
    """
    from .models import Assessment

    Assessment.objects.filter(organization=instance, status=Assessment.Status.IN_PROGRESS).exclude(
        traits=instance.traits
    ).update(traits=instance.traits)
