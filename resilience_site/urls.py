from django.contrib import admin
from django.urls import include, path

from questionnaire import views as questionnaire_views

from . import views

urlpatterns = [
    path("", questionnaire_views.home, name="home"),
    path("accounts/business/access/", include("access_log.urls")),
    path("accounts/", include("accounts.urls")),
    path("assessments/", include("questionnaire.urls")),
    path("assessments/", include("reports.urls")),
    path("consultant/", include("consultants.urls")),
    path("", include("documents.urls")),
    path("", include("continuity.urls")),
    path("plan/", include("action_plans.urls")),
    path("admin/", admin.site.urls),
    path("healthz/", views.healthz, name="healthz"),
]

# A database out of reach answers 503, worth retrying (resilience_site.views.server_error).
handler500 = "resilience_site.views.server_error"
