from django.urls import path

from . import views

# The paths the pages linked to before the PDFs had an app of their own.
app_name = "documents"

urlpatterns = [
    path("assessments/<int:pk>/report.pdf", views.report_pdf, name="report_pdf"),
    path("continuity/plan.pdf", views.continuity_plan_pdf, name="continuity_plan_pdf"),
    path(
        "consultant/clients/<int:org_pk>/continuity.pdf",
        views.consultant_continuity_plan_pdf,
        name="consultant_continuity_plan_pdf",
    ),
]
