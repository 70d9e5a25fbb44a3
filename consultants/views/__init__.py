"""The consultant workspace, one module per concern: dashboard, clients, invitations, team."""
