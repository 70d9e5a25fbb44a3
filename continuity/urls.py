from django.urls import path

from . import views

app_name = "continuity"

urlpatterns = [
    path("continuity/", views.plan, name="plan"),
    path("continuity/draft/", views.plan_draft, name="draft"),
    path("continuity/plan.md", views.plan_markdown, name="markdown"),
    path("continuity/walk-throughs/", views.plan_exercise_add, name="exercise_add"),
    path("continuity/gaps/send/", views.plan_gap_send, name="gap_send"),
    path("continuity/<slug:key>/", views.plan_part, name="part"),
    path(
        "consultant/clients/<int:org_pk>/continuity/",
        views.consultant_plan,
        name="consultant_plan",
    ),
    path(
        "consultant/clients/<int:org_pk>/continuity/comments/",
        views.consultant_plan_comment_add,
        name="consultant_comment_add",
    ),
]
