"""Autosave: one answer at a time, progress, and stale writes from other tabs."""

import pytest

from assessments import services
from assessments.models import Answer
from tests.assessments.questionnaire_helpers import (
    answers_of,
    autosave_url,
    section_post,
    section_url,
)
from tests.conftest import verified_login
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_autosave_saves_one_answer_and_reports_progress(owner_client, assessment):
    response = owner_client.post(
        autosave_url(assessment, "OP-F-01"), {"choice": "2", "revision": "0"}
    )

    assert response.status_code == 200
    assert response.json() == {
        "status": "saved",
        "revision": 1,
        "answered": 1,
        "to_confirm": 0,
        "total": 12,
        "percent": 8,
        "progress_text": "1 of 12 answered (8%)",
        "section": {
            "state": "in_progress",
            "badge": "1/3",
            "spoken": "1 of 3 answered, in progress",
        },
    }
    assert answers_of(assessment) == {"OP-F-01": ("option", 2, "")}


def test_autosave_counts_progress_over_the_whole_questionnaire_and_the_section(
    owner_client, assessment, django_assert_max_num_queries
):
    owner_client.post(autosave_url(assessment, "FI-F-01"), {"choice": "dont_know"})
    owner_client.post(autosave_url(assessment, "OP-F-01"), {"choice": "2"})

    # The user, the assessment, its lock (which records the activity), the question's
    # id, the answer it replaces, the write and the progress, plus the test's savepoint.
    with django_assert_max_num_queries(9):
        response = owner_client.post(autosave_url(assessment, "OP-I-01"), {"choice": "0"})

    progress = response.json()
    assert (progress["answered"], progress["total"]) == (3, 12)
    # OP-F-01 and OP-I-01; FI-F-01 is in another section.
    assert progress["section"]["badge"] == "2/3"


def test_autosave_updates_the_answer_in_place(owner_client, assessment):
    owner_client.post(autosave_url(assessment, "OP-F-01"), {"choice": "2", "revision": "0"})
    owner_client.post(
        autosave_url(assessment, "OP-F-01"),
        {"choice": "4", "revision": "1", "note": "Tested in May"},
    )

    assert Answer.objects.count() == 1
    assert answers_of(assessment) == {"OP-F-01": ("option", 4, "Tested in May")}


@pytest.mark.parametrize(
    ("code", "payload", "status", "message"),
    [
        ("OP-F-01", {"choice": "3"}, 400, services.ERR_BAD_CHOICE),
        ("OP-F-01", {"choice": "99999999999"}, 400, services.ERR_BAD_CHOICE),
        ("OP-F-01", {"choice": "na"}, 400, services.ERR_NA_NOT_ALLOWED),
        ("OP-F-01", {"choice": "<script>"}, 400, services.ERR_BAD_CHOICE),
        ("OP-F-01", {"choice": "2", "note": "n" * 2001}, 400, "at most 2000 characters"),
        ("OP-F-01", {"choice": "2", "revision": "abc"}, 400, "Enter a whole number"),
        ("XX-F-99", {"choice": "2"}, 404, services.ERR_UNKNOWN_QUESTION),
    ],
)
def test_autosave_refuses_bad_input_and_saves_nothing(
    owner_client, assessment, code, payload, status, message
):
    response = owner_client.post(autosave_url(assessment, code), payload)

    assert response.status_code == status
    assert response.json()["status"] == "invalid"
    assert message in str(response.json()["errors"])
    assert answers_of(assessment) == {}


def test_autosave_refuses_a_question_of_another_framework_version(
    owner_client, owner, assessment, mini_framework_data, write_framework
):
    from assessments.services import framework_import

    mini_framework_data["version"] = "test.2"
    mini_framework_data["questions"][0]["id"] = "NEW-F-01"
    framework_import(path=write_framework(mini_framework_data))

    response = owner_client.post(autosave_url(assessment, "NEW-F-01"), {"choice": "2"})

    assert response.status_code == 404
    assert answers_of(assessment) == {}


def test_two_tabs_saving_different_answers_lose_neither(client, owner, assessment):
    tab_a, tab_b = client, type(client)()
    tab_b.force_login(owner)
    tab_a.force_login(owner)

    tab_a.post(autosave_url(assessment, "OP-F-01"), {"choice": "4", "revision": "0"})
    tab_b.post(autosave_url(assessment, "FI-F-01"), {"choice": "2", "revision": "0"})

    assert answers_of(assessment) == {"OP-F-01": ("option", 4, ""), "FI-F-01": ("option", 2, "")}


def test_a_stale_write_is_refused_and_the_newer_answer_is_returned(owner_client, assessment):
    owner_client.post(
        autosave_url(assessment, "OP-F-01"), {"choice": "4", "revision": "0"}
    )  # tab A

    response = owner_client.post(
        autosave_url(assessment, "OP-F-01"), {"choice": "0", "revision": "0"}
    )  # tab B, old page

    assert response.status_code == 409
    payload = response.json()
    assert payload["status"] == "stale"
    assert payload["current"] == {"choice": "4", "note": "", "revision": 1}
    assert "changed in another window" in payload["message"]
    # The newer answer in the words the owner chose it in, not its value.
    assert "It now reads “Done and tested”" in payload["message"]
    assert answers_of(assessment) == {"OP-F-01": ("option", 4, "")}


def test_after_seeing_the_newer_answer_the_owner_can_replace_it(owner_client, assessment):
    owner_client.post(autosave_url(assessment, "OP-F-01"), {"choice": "4", "revision": "0"})
    response = owner_client.post(
        autosave_url(assessment, "OP-F-01"), {"choice": "0", "revision": "1"}
    )
    assert response.status_code == 200
    assert answers_of(assessment) == {"OP-F-01": ("option", 0, "")}


def test_an_untouched_question_in_an_old_tab_does_not_overwrite_a_newer_answer(
    owner_client, assessment
):
    old_page = section_post(assessment, {}, save_stay="1")  # loaded before the other tab saved
    owner_client.post(autosave_url(assessment, "OP-F-01"), {"choice": "4", "revision": "0"})
    old_page["q-OP-I-01"] = "2"

    response = owner_client.post(section_url(assessment), old_page)

    assert response.status_code == 302
    assert answers_of(assessment) == {"OP-F-01": ("option", 4, ""), "OP-I-01": ("option", 2, "")}


def test_a_stale_section_post_saves_nothing_and_explains(owner_client, assessment):
    old_page = section_post(assessment, {}, save_stay="1")
    owner_client.post(autosave_url(assessment, "OP-F-01"), {"choice": "4", "revision": "0"})
    old_page["q-OP-F-01"] = "0"
    old_page["q-OP-I-01"] = "2"

    response = owner_client.post(section_url(assessment), old_page)

    assert response.status_code == 400
    assert "changed in another window" in response.content.decode()
    assert answers_of(assessment) == {"OP-F-01": ("option", 4, "")}


def test_autosave_after_the_session_ended_says_so_in_json(client, assessment):
    from questionnaire.views import ERR_SESSION_ENDED

    response = client.post(autosave_url(assessment, "OP-F-01"), {"choice": "2"})

    assert response.status_code == 401
    assert response.json() == {
        "status": "login_required",
        "message": ERR_SESSION_ENDED,
        "login_url": "/accounts/login/",
    }
    assert answers_of(assessment) == {}


def test_a_member_of_the_same_business_can_continue_the_assessment(client, assessment):
    colleague = MembershipFactory(organization=assessment.organization, role="member").user
    verified_login(client, colleague)
    response = client.post(autosave_url(assessment, "OP-F-01"), {"choice": "2"})
    assert response.status_code == 200


def test_a_save_records_the_owners_activity_and_a_refused_one_does_not(owner_client, assessment):
    started = assessment.updated_at

    owner_client.post(autosave_url(assessment, "OP-F-01"), {"choice": "2"})
    assessment.refresh_from_db()
    saved_at = assessment.updated_at
    refused = owner_client.post(autosave_url(assessment, "OP-F-01"), {"choice": "99"})
    assessment.refresh_from_db()

    assert saved_at > started
    assert refused.status_code == 400
    assert assessment.updated_at == saved_at
