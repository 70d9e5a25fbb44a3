from django.urls import path

from . import views

urlpatterns = [
    path("", views.owner_home, name="owner_home"),
    path("start/", views.assessment_start, name="assessment_start"),
    path("<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("<int:pk>/continue/", views.assessment_continue, name="assessment_continue"),
    path("<int:pk>/section/<slug:pillar>/", views.assessment_section, name="assessment_section"),
    path("<int:pk>/answers/<str:code>/", views.answer_autosave, name="answer_autosave"),
    path("<int:pk>/review/", views.assessment_review, name="assessment_review"),
    path("<int:pk>/submit/", views.assessment_submit, name="assessment_submit"),
]
