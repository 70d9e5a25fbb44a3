from django.apps import AppConfig
from django.db.models.signals import post_save


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "Framework and assessments"

    def ready(self):
        from accounts.models import Organization

        from .signals import drafts_follow_profile

        post_save.connect(
            drafts_follow_profile, sender=Organization, dispatch_uid="drafts_follow_profile"
        )
