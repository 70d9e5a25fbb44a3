from django.urls import path

from . import views

urlpatterns = [
    path("plan/", views.plan, name="plan"),
    path("plan/plan.pdf", views.plan_pdf, name="plan_pdf"),
    path("plan/plan.md", views.plan_markdown, name="plan_markdown"),
    path("plan/walk-throughs/", views.plan_exercise_add, name="plan_exercise_add"),
    path("plan/<slug:key>/", views.plan_part, name="plan_part"),
    path("consultant/clients/<int:org_pk>/plan/", views.consultant_plan, name="consultant_plan"),
    path(
        "consultant/clients/<int:org_pk>/plan/comments/",
        views.consultant_plan_comment_add,
        name="consultant_plan_comment_add",
    ),
    path(
        "consultant/clients/<int:org_pk>/plan.pdf",
        views.consultant_plan_pdf,
        name="consultant_plan_pdf",
    ),
]
