from django.urls import path

from . import views

app_name = "continuity"

urlpatterns = [
    path("continuity/", views.continuity_plan, name="plan"),
    path("continuity/draft/", views.continuity_plan_draft, name="draft"),
    path("continuity/plan.md", views.continuity_plan_markdown, name="markdown"),
    path("continuity/walk-throughs/", views.continuity_exercise_add, name="exercise_add"),
    path("continuity/gaps/send/", views.continuity_gap_send, name="gap_send"),
    path("continuity/<slug:key>/", views.continuity_plan_part, name="part"),
    path("continuity/<slug:key>/review/", views.continuity_part_review, name="review"),
    path(
        "consultant/clients/<int:org_pk>/continuity/",
        views.consultant_continuity_plan,
        name="consultant_plan",
    ),
    path(
        "consultant/clients/<int:org_pk>/continuity/comments/",
        views.consultant_continuity_comment_add,
        name="consultant_comment_add",
    ),
    path(
        "consultant/clients/<int:org_pk>/continuity/comments/<int:pk>/delete/",
        views.consultant_continuity_comment_delete,
        name="consultant_comment_delete",
    ),
]
