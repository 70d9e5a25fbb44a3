"""Resuming, the review page, and submitting."""

import re

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import Assessment
from tests.assessments.questionnaire_helpers import (
    answer_all,
    answers_of,
    autosave_url,
    section_post,
    section_url,
)

pytestmark = pytest.mark.django_db


def test_continue_resumes_at_the_first_unanswered_question(owner_client, owner, assessment):
    for code in ("OP-F-01", "OP-I-01", "OP-A-01", "FI-F-01"):
        services.answer_save(
            assessment=assessment, data=services.AnswerInput(code, "2"), user=owner
        )

    response = owner_client.get(reverse("questionnaire:continue", args=[assessment.pk]))

    assert response["Location"] == section_url(assessment, "financial") + "#q-FI-I-01"


def test_answers_survive_logging_out_and_in_again(client, owner, assessment):
    client.force_login(owner)
    client.post(autosave_url(assessment, "OP-F-01"), {"choice": "4", "note": "Binder"})
    client.post("/accounts/logout/")
    client.force_login(owner)

    body = client.get(section_url(assessment)).content.decode()
    checked = re.findall(
        r'<input type="radio"[^>]*name="q-OP-F-01" value="(\w+)"[^>]*checked', body
    )
    assert checked == ["4"]
    assert "Binder" in body
    assert answers_of(assessment)["OP-F-01"] == ("option", 4, "Binder")


def test_the_review_lists_unanswered_questions_with_links(owner_client, owner, assessment):
    services.answer_save(
        assessment=assessment, data=services.AnswerInput("OP-F-01", "2"), user=owner
    )

    body = owner_client.get(reverse("questionnaire:review", args=[assessment.pk])).content.decode()

    assert "11 questions still open" in body
    assert f"{section_url(assessment, 'operational')}#q-OP-I-01" in body
    assert "#q-OP-F-01" not in body


def test_submitting_with_unanswered_questions_is_refused_with_the_count(
    owner_client, owner, assessment
):
    services.answer_save(
        assessment=assessment, data=services.AnswerInput("OP-F-01", "2"), user=owner
    )

    response = owner_client.post(
        reverse("questionnaire:submit", args=[assessment.pk]), {"confirm": "yes"}, follow=True
    )

    assert services.ERR_INCOMPLETE.format(count=11) in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.IN_PROGRESS


def test_submitting_needs_the_confirmation(owner_client, owner, assessment):
    answer_all(assessment, owner)
    owner_client.post(reverse("questionnaire:submit", args=[assessment.pk]))
    assessment.refresh_from_db()
    assert not assessment.is_submitted


def test_submitting_a_complete_assessment_stores_its_scores(owner_client, owner, assessment):
    answer_all(assessment, owner, choice="4")

    response = owner_client.post(
        reverse("questionnaire:submit", args=[assessment.pk]), {"confirm": "yes"}
    )

    assert response["Location"] == reverse("reports:results", args=[assessment.pk])
    assessment.refresh_from_db()
    assert assessment.is_submitted
    assert assessment.submitted_at is not None
    assert assessment.overall_score == pytest.approx(100.0)
    assert assessment.maturity_index == 3
    assert assessment.coverage == pytest.approx(100.0)
    assert assessment.result["overall"] == pytest.approx(100.0)
    assert set(assessment.result["pillars"]) == {
        "operational",
        "financial",
        "adaptive",
        "technology",
    }


def test_a_submitted_assessment_refuses_every_change(owner_client, owner, assessment):
    answer_all(assessment, owner)
    services.assessment_submit(assessment=assessment, user=owner)
    before = answers_of(assessment)

    autosave = owner_client.post(autosave_url(assessment, "OP-F-01"), {"choice": "4"})
    section = owner_client.post(
        section_url(assessment), section_post(assessment, {"OP-F-01": "4"}), follow=True
    )

    assert autosave.status_code == 409
    assert autosave.json()["message"] == services.ERR_SUBMITTED
    assert services.ERR_SUBMITTED in section.content.decode()
    assert answers_of(assessment) == before


def test_submitting_twice_is_refused(owner_client, owner, assessment):
    answer_all(assessment, owner)
    services.assessment_submit(assessment=assessment, user=owner)
    with pytest.raises(services.AssessmentReadOnly):
        services.assessment_submit(assessment=assessment, user=owner)


def test_a_submitted_result_is_a_snapshot_new_framework_versions_do_not_change(
    owner, assessment, mini_framework_data, write_framework
):
    from assessments.services import framework_import

    answer_all(assessment, owner)
    assessment = services.assessment_submit(assessment=assessment, user=owner)
    stored = dict(assessment.result)
    mini_framework_data["version"] = "test.2"
    mini_framework_data["maturity_threshold"] = 10
    framework_import(path=write_framework(mini_framework_data))

    assessment.refresh_from_db()
    assert assessment.result == stored
    assert assessment.framework.version == "test.1"


def test_the_review_links_to_provisional_results(owner_client, assessment):
    body = owner_client.get(reverse("questionnaire:review", args=[assessment.pk])).content.decode()
    assert f'href="{reverse("reports:results", args=[assessment.pk])}"' in body
