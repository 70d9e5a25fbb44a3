from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("<int:pk>/results/", views.results, name="results"),
    path("<int:pk>/compare/", views.compare, name="compare"),
]
