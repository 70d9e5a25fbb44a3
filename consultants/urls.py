from django.urls import path, re_path

from . import views

urlpatterns = [
    path("", views.dashboard, name="consultant_dashboard"),
    path("portfolio/", views.portfolio, name="consultant_portfolio"),
    re_path(
        r"^portfolio/export\.(?P<fmt>csv|xlsx)$",
        views.portfolio_export,
        name="consultant_portfolio_export",
    ),
    path("clients/<int:org_pk>/", views.client_detail, name="consultant_client"),
    path("clients/<int:org_pk>/comments/", views.comment_add, name="consultant_comment_add"),
    path("comments/<int:pk>/delete/", views.comment_delete, name="consultant_comment_delete"),
    path("assessments/<int:pk>/reviewed/", views.mark_reviewed, name="consultant_mark_reviewed"),
    re_path(
        r"^assessments/(?P<pk>[0-9]+)/answers\.(?P<fmt>csv|xlsx)$",
        views.assessment_export,
        name="consultant_assessment_export",
    ),
    path("invitations/", views.invitations, name="consultant_invitations"),
    path(
        "invitations/<int:pk>/withdraw/",
        views.invitation_revoke,
        name="consultant_invitation_revoke",
    ),
    path("team/", views.team, name="consultant_team"),
    path("team/add/", views.team_add, name="consultant_team_add"),
    path("team/invite/", views.team_invite, name="consultant_team_invite"),
    path("team/<int:pk>/remove/", views.team_remove, name="consultant_team_remove"),
    # Reached from outside the workspace: the emailed link, and the owner's sharing page.
    path("join/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("sharing/", views.sharing, name="sharing"),
]
