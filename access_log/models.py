"""Who outside a business looked at its data: one row per view, for the owner to read.

A row names the person and their firm as they were at the time (names are
copied, so the record still reads after someone leaves a firm or deletes their
account) and what was looked at. The business's own people are never
recorded: the log answers "who else has seen this?".
"""

from django.conf import settings
from django.db import models

from accounts.models import Firm, Organization
from assessments.models import Assessment


class AccessRecord(models.Model):
    class What(models.TextChoices):
        REPORT = "report", "Report"
        REPORT_PDF = "report_pdf", "Report PDF"
        COMPARISON = "comparison", "Comparison of assessments"
        CLIENT_PAGE = "client_page", "Scores, answers and action plan"
        ANSWERS_EXPORT = "answers_export", "Answers, downloaded"
        CONTINUITY_PLAN = "continuity_plan", "Continuity plan"
        CONTINUITY_PLAN_PDF = "continuity_plan_pdf", "Continuity plan PDF"

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="access_records"
    )
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    viewer_name = models.CharField(max_length=300)
    firm = models.ForeignKey(
        Firm, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    firm_name = models.CharField(max_length=200, blank=True)
    what = models.CharField(max_length=30, choices=What.choices)
    assessment = models.ForeignKey(
        Assessment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["organization", "-at"], name="access_by_organization")]

    def __str__(self):
        return f"{self.viewer_name} — {self.get_what_display()} — {self.at:%Y-%m-%d %H:%M}"
