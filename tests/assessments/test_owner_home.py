"""The owner home: starting an assessment, and progress at a glance."""

import pytest

from assessments import services
from assessments.models import Assessment
from tests.assessments.questionnaire_helpers import answer_all

pytestmark = pytest.mark.django_db


def test_starting_an_assessment_pins_the_active_framework_and_the_sector(
    owner_client, owner, mini_framework
):
    response = owner_client.post("/assessments/start/")

    assessment = Assessment.objects.get()
    assert response.status_code == 302
    assert assessment.framework == mini_framework
    assert assessment.sector == "retail"
    assert assessment.status == Assessment.Status.IN_PROGRESS


def test_starting_again_continues_the_assessment_in_progress(owner_client, assessment):
    owner_client.post("/assessments/start/")
    assert Assessment.objects.count() == 1


def test_the_owner_home_shows_progress_of_the_assessment_in_progress(
    owner_client, owner, assessment
):
    services.answer_save(
        assessment=assessment, data=services.AnswerInput("OP-F-01", "4"), user=owner
    )
    body = owner_client.get("/assessments/").content.decode()
    assert "1 of 12 questions answered" in body
    assert "Continue where you stopped" in body


def test_the_owner_home_shows_only_the_owners_business(client, owner, other_assessment):
    client.force_login(owner)
    body = client.get("/assessments/").content.decode()
    assert "Corner Bakery" in body
    assert "CANARY" not in body


def test_the_owner_home_shows_progress_between_submitted_assessments(
    owner_client, owner, assessment
):
    answer_all(assessment, owner, choice="2")
    services.assessment_submit(assessment=assessment, user=owner)
    second = services.assessment_start(organization=assessment.organization, user=owner)
    answer_all(second, owner, choice="4")
    services.assessment_submit(assessment=second, user=owner)

    body = owner_client.get("/assessments/").content.decode()

    assert "+50.0" in body
    assert "first" in body
