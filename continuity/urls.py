from django.urls import path

from . import views

urlpatterns = [
    path("continuity/", views.plan, name="continuity"),
    path("continuity/draft/", views.plan_draft, name="continuity_draft"),
    path("continuity/plan.md", views.plan_markdown, name="continuity_markdown"),
    path("continuity/walk-throughs/", views.plan_exercise_add, name="continuity_exercise_add"),
    path("continuity/gaps/send/", views.plan_gap_send, name="continuity_gap_send"),
    path("continuity/<slug:key>/", views.plan_part, name="continuity_part"),
    path(
        "consultant/clients/<int:org_pk>/continuity/",
        views.consultant_plan,
        name="consultant_continuity",
    ),
    path(
        "consultant/clients/<int:org_pk>/continuity/comments/",
        views.consultant_plan_comment_add,
        name="consultant_continuity_comment_add",
    ),
]
