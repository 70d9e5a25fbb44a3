from django.urls import path

from . import views

urlpatterns = [
    path("", views.plan, name="plan"),
    path("actions/", views.action_add, name="plan_action_add"),
    path("actions/<int:pk>/", views.action_update, name="plan_action_update"),
    path("actions/<int:pk>/status/", views.action_status, name="plan_action_status"),
    path("targets/", views.targets, name="plan_targets"),
    path(
        "reminders/stop/<str:token>/",
        views.reminders_unsubscribe,
        name="plan_reminders_unsubscribe",
    ),
]
