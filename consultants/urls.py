from django.urls import path, re_path
from django.views.generic import RedirectView

from .views import clients, dashboard, invitations, plans, team

urlpatterns = [
    path("", dashboard.dashboard, name="consultant_dashboard"),
    path("portfolio/", dashboard.portfolio, name="consultant_portfolio"),
    re_path(
        r"^portfolio/export\.(?P<fmt>csv|xlsx)$",
        dashboard.portfolio_export,
        name="consultant_portfolio_export",
    ),
    path("clients/<int:org_pk>/", clients.client_detail, name="consultant_client"),
    path("clients/<int:org_pk>/comments/", clients.comment_add, name="consultant_comment_add"),
    path("comments/<int:pk>/delete/", clients.comment_delete, name="consultant_comment_delete"),
    path("clients/<int:org_pk>/actions/", plans.action_add, name="consultant_action_add"),
    path("actions/<int:pk>/comments/", plans.action_comment, name="consultant_action_comment"),
    path("assessments/<int:pk>/reviewed/", clients.mark_reviewed, name="consultant_mark_reviewed"),
    re_path(
        r"^assessments/(?P<pk>[0-9]+)/answers\.(?P<fmt>csv|xlsx)$",
        clients.assessment_export,
        name="consultant_assessment_export",
    ),
    path("invitations/", invitations.invitations, name="consultant_invitations"),
    path(
        "invitations/<int:pk>/withdraw/",
        invitations.invitation_revoke,
        name="consultant_invitation_revoke",
    ),
    path("team/", team.team, name="consultant_team"),
    path("team/invite/", team.team_invite, name="consultant_team_invite"),
    path("team/<int:pk>/remove/", team.team_remove, name="consultant_team_remove"),
    # The emailed link, reached from outside the workspace.
    path("join/<str:token>/", invitations.invitation_accept, name="invitation_accept"),
    # The owner's sharing page lived here before it moved to accounts; old links still work.
    path(
        "sharing/",
        RedirectView.as_view(pattern_name="sharing", permanent=True),
        name="sharing_old_address",
    ),
]
