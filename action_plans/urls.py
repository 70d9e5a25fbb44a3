from django.urls import path

from . import views

app_name = "action_plan"

urlpatterns = [
    path("", views.action_plan, name="plan"),
    path("actions/", views.action_add, name="action_add"),
    path("actions/<int:pk>/", views.action_update, name="action_update"),
    path("actions/<int:pk>/status/", views.action_status, name="action_status"),
    path("actions/<int:pk>/delete/", views.action_delete, name="action_delete"),
    path("targets/", views.targets, name="targets"),
    path(
        "reminders/stop/<str:token>/",
        views.reminders_unsubscribe,
        name="reminders_unsubscribe",
    ),
]
