from django.apps import AppConfig


class ActionPlansConfig(AppConfig):
    name = "action_plans"
    # The label the app had as "plans": its tables and migrations keep their names.
    label = "plans"
    verbose_name = "Action plans and targets"

    def ready(self):
        from assessments.signals import assessment_submitted

        from .services import action_plan_sync_on_submit

        assessment_submitted.connect(
            action_plan_sync_on_submit, dispatch_uid="action_plans.action_plan_sync"
        )
