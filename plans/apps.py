from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = "Action plans and targets"

    def ready(self):
        from assessments.signals import assessment_submitted

        from .services import plan_sync_on_submit

        assessment_submitted.connect(plan_sync_on_submit, dispatch_uid="plans.plan_sync")
