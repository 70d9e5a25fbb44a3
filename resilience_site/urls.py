from django.contrib import admin
from django.urls import path

from assessments import views as assessment_views

urlpatterns = [
    path("", assessment_views.home, name="home"),
    path("admin/", admin.site.urls),
]
