from django.urls import path, re_path
from django.views.generic import RedirectView

from .views import action_plans, clients, dashboard, invitations, team

app_name = "consultants"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("portfolio/", dashboard.portfolio, name="portfolio"),
    re_path(
        r"^portfolio/export\.(?P<fmt>csv|xlsx)$",
        dashboard.portfolio_export,
        name="portfolio_export",
    ),
    path("clients/<int:org_pk>/", clients.client_detail, name="client"),
    path("clients/<int:org_pk>/comments/", clients.comment_add, name="comment_add"),
    path("comments/<int:pk>/delete/", clients.comment_delete, name="comment_delete"),
    path("clients/<int:org_pk>/actions/", action_plans.action_add, name="action_add"),
    path("actions/<int:pk>/comments/", action_plans.action_comment, name="action_comment"),
    path("assessments/<int:pk>/reviewed/", clients.mark_reviewed, name="mark_reviewed"),
    re_path(
        r"^assessments/(?P<pk>[0-9]+)/answers\.(?P<fmt>csv|xlsx)$",
        clients.assessment_export,
        name="assessment_export",
    ),
    path("invitations/", invitations.invitations, name="invitations"),
    path(
        "invitations/<int:pk>/withdraw/",
        invitations.invitation_revoke,
        name="invitation_revoke",
    ),
    path("team/", team.team, name="team"),
    path("team/invite/", team.team_invite, name="team_invite"),
    path("team/<int:pk>/remove/", team.team_remove, name="team_remove"),
    path(
        "team/<int:pk>/two-step-reset/",
        team.team_two_factor_reset,
        name="team_two_factor_reset",
    ),
    # The emailed link, reached from outside the workspace.
    path("join/<str:token>/", invitations.invitation_accept, name="invitation_accept"),
    # The owner's sharing page lived here before it moved to accounts; old links still work.
    path(
        "sharing/",
        RedirectView.as_view(pattern_name="accounts:sharing", permanent=True),
        name="sharing_old_address",
    ),
]
