from django.urls import path

from . import views

urlpatterns = [
    path("<int:pk>/results/", views.results, name="results"),
    path("<int:pk>/compare/", views.compare, name="compare"),
]
