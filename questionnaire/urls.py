from django.urls import path

from . import views

app_name = "questionnaire"

urlpatterns = [
    path("", views.owner_home, name="owner_home"),
    path("start/", views.assessment_start, name="start"),
    path("<int:pk>/", views.assessment_detail, name="detail"),
    path("<int:pk>/continue/", views.assessment_continue, name="continue"),
    path("<int:pk>/section/<slug:pillar>/", views.assessment_section, name="section"),
    path("<int:pk>/answers/<str:code>/", views.answer_autosave, name="answer_autosave"),
    path("<int:pk>/review/", views.assessment_review, name="review"),
    path("<int:pk>/submit/", views.assessment_submit, name="submit"),
    path("<int:pk>/ask/<str:code>/", views.question_ask_anyway, name="ask_anyway"),
]
