"""A re-assessment that starts from last time: carried answers, confirming them, submitting."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from action_plans.models import ActionItem
from action_plans.selectors import marked_done_since
from action_plans.services import ItemChange, action_item_update
from assessments import services
from assessments.models import Answer, Assessment
from scoring.profile import applies
from tests.assessments.questionnaire_helpers import (
    answer_all,
    answers_of,
    autosave_url,
    section_post,
    section_url,
)
from tests.conftest import CURRENT_FRAMEWORK, FULL_FRAMEWORK, NEW_FRAMEWORK

pytestmark = pytest.mark.django_db


@pytest.fixture
def organization(owner):
    return owner.memberships.get().organization


@pytest.fixture
def submitted(owner, organization, assessment):
    answer_all(assessment, owner, choice="2")
    services.answer_save(
        assessment=assessment, data=services.AnswerInput("OP-F-01", "0", note="Binder"), user=owner
    )
    return services.assessment_submit(assessment=assessment, user=owner)


@pytest.fixture
def again(owner, organization, submitted):
    """The re-assessment, started from last time."""
    return services.assessment_start(organization=organization, user=owner, from_last_time=True)


def carried(assessment) -> set[str]:
    return set(
        Answer.objects.filter(assessment=assessment, carried_over=True).values_list(
            "question__code", flat=True
        )
    )


def test_owner_home_offers_to_start_from_last_time_or_empty(owner_client, submitted):
    body = owner_client.get(reverse("questionnaire:owner_home")).content.decode()

    assert 'value="from_last_time"' in body
    assert 'value="empty"' in body


def test_starting_from_last_time_copies_every_answer_and_note_marked_as_carried(
    owner_client, submitted
):
    response = owner_client.post(reverse("questionnaire:start"), {"start": "from_last_time"})

    again = Assessment.objects.get(status=Assessment.Status.IN_PROGRESS)
    assert response.status_code == 302
    assert answers_of(again) == answers_of(submitted)
    assert carried(again) == set(answers_of(submitted))


def test_starting_empty_copies_nothing(owner_client, submitted):
    owner_client.post(reverse("questionnaire:start"), {"start": "empty"})

    again = Assessment.objects.get(status=Assessment.Status.IN_PROGRESS)
    assert answers_of(again) == {}


def test_the_section_page_marks_carried_answers_from_last_time(owner_client, again):
    body = owner_client.get(section_url(again)).content.decode()

    assert body.count("From last time") == 3
    assert 'name="keep-OP-F-01"' in body


def test_keeping_an_answer_without_javascript_confirms_it(owner_client, again):
    owner_client.post(section_url(again), section_post(again, {}, **{"keep-OP-F-01": "on"}))

    assert "OP-F-01" not in carried(again)
    assert "OP-I-01" in carried(again)
    assert answers_of(again)["OP-F-01"] == ("option", 0, "Binder")


def test_changing_a_carried_answer_confirms_it(owner_client, again):
    owner_client.post(section_url(again), section_post(again, {"OP-I-01": "4"}))

    assert "OP-I-01" not in carried(again)
    assert answers_of(again)["OP-I-01"] == ("option", 4, "")


def test_autosaving_the_same_choice_confirms_it(owner_client, again):
    response = owner_client.post(
        autosave_url(again, "OP-F-01"), {"choice": "0", "note": "Binder", "revision": "1"}
    )

    assert response.json()["status"] == "saved"
    assert "OP-F-01" not in carried(again)


def test_a_stale_write_to_a_carried_answer_is_still_refused(owner, owner_client, again):
    services.answer_save(
        assessment=again, data=services.AnswerInput("OP-F-01", "4", revision=1), user=owner
    )

    response = owner_client.post(
        autosave_url(again, "OP-F-01"), {"choice": "2", "note": "", "revision": "1"}
    )

    assert response.json()["status"] == "stale"
    assert answers_of(again)["OP-F-01"] == ("option", 4, "")


def test_the_review_page_lists_unconfirmed_answers_with_links(owner_client, owner, again):
    services.answer_save(assessment=again, data=services.AnswerInput("OP-F-01", "2"), user=owner)

    body = owner_client.get(reverse("questionnaire:review", args=[again.pk])).content.decode()

    assert "11 answers from last time not confirmed" in body
    assert f"{section_url(again, 'operational')}#q-OP-I-01" in body
    assert "#q-OP-F-01" not in body


def test_submitting_with_unconfirmed_answers_asks_once_more(owner_client, again):
    response = owner_client.post(
        reverse("questionnaire:submit", args=[again.pk]), {"confirm": "yes"}
    )

    again.refresh_from_db()
    assert not again.is_submitted
    body = response.content.decode()
    assert "12 answers from last time are not confirmed yet" in body
    assert 'name="carried_over" value="accepted"' in body


def test_submitting_once_more_with_unconfirmed_answers_submits(owner_client, again):
    response = owner_client.post(
        reverse("questionnaire:submit", args=[again.pk]),
        {"confirm": "yes", "carried_over": "accepted"},
    )

    again.refresh_from_db()
    assert again.is_submitted
    assert response["Location"] == reverse("reports:results", args=[again.pk])


def test_the_service_refuses_unconfirmed_answers_with_the_count(owner, again):
    with pytest.raises(services.UnconfirmedAnswers) as refused:
        services.assessment_submit(assessment=again, user=owner)

    assert str(refused.value) == services.ERR_UNCONFIRMED.format(
        count=12, s="s", verb="are", them="them"
    )


def test_answers_carry_across_versions_by_id_and_by_replaces(owner):
    organization = owner.memberships.get().organization
    services.framework_import(path=FULL_FRAMEWORK)
    old = services.assessment_start(organization=organization, user=owner)
    answer_all(old, owner, choice="3")
    services.answer_save(assessment=old, data=services.AnswerInput("OP-F-06", "2"), user=owner)
    services.assessment_submit(assessment=old, user=owner)
    services.framework_import(path=NEW_FRAMEWORK)

    again = services.assessment_start(organization=organization, user=owner, from_last_time=True)

    new = answers_of(again)
    assert again.framework.version == "2026.2"
    # A 2026.2 question replaces OP-F-06: it starts from OP-F-06's answer.
    replacing = next(q.code for q in again.framework.questions.all() if "OP-F-06" in q.replaces)
    assert new[replacing][:2] == ("option", 2)
    same_id = set(new) & set(answers_of(old))
    assert same_id and all(new[code][:2] == ("option", 3) for code in same_id - {replacing})
    new_questions = set(again.framework.questions.values_list("code", flat=True)) - set(new)
    assert new_questions, "questions without an earlier answer start empty"


def test_a_2026_2_owner_reassesses_on_2026_3_starting_from_every_answer_that_carries(owner):
    """2026.3 reworked most questions under new ids: each names the ones it replaces."""
    organization = owner.memberships.get().organization
    services.framework_import(path=NEW_FRAMEWORK)
    old = services.assessment_start(organization=organization, user=owner)
    answer_all(old, owner, choice="1")
    services.assessment_submit(assessment=old, user=owner)
    services.framework_import(path=CURRENT_FRAMEWORK)

    again = services.assessment_start(organization=organization, user=owner, from_last_time=True)

    assert again.framework.version == "2026.3"
    carried = answers_of(again)
    asked = [q for q in again.framework.questions.all() if applies(q.applies_when, again.traits)]
    with_history = [q.code for q in asked if q.code in answers_of(old) or q.replaces]
    # Every 2026.3 question asked of this business that keeps or replaces a 2026.2 one
    # starts from its answer.
    assert len(with_history) >= 80
    assert set(with_history) <= set(carried)
    assert all(carried[code][:2] == ("option", 1) for code in with_history)


def test_continuing_goes_to_the_first_answer_not_yet_confirmed(owner, owner_client, again):
    services.answer_save(assessment=again, data=services.AnswerInput("OP-F-01", "2"), user=owner)

    response = owner_client.get(reverse("questionnaire:continue", args=[again.pk]))

    assert response["Location"] == section_url(again, "operational") + "#q-OP-I-01"


# --- Actions marked done since the last assessment -------------------------------------


@pytest.fixture
def done_before_reassessing(owner, organization, submitted):
    """The owner marks the action on FI-I-01 done, then starts again from last time."""
    item = ActionItem.objects.get(organization=organization, question_code="FI-I-01")
    action_item_update(item=item, user=owner, change=ItemChange(status="done"))
    return services.assessment_start(organization=organization, user=owner, from_last_time=True)


def test_a_carried_answer_whose_action_was_marked_done_is_called_out_first(
    owner_client, done_before_reassessing
):
    again = done_before_reassessing
    review = owner_client.get(reverse("questionnaire:review", args=[again.pk])).content.decode()
    listed = review[review.index('id="unconfirmed-heading"') :]
    listed = re.findall(r"#q-([A-Z]{2}-[FIA]-\d\d)", listed[: listed.index("</section>")])
    assert listed[0] == "FI-I-01" and "OP-F-01" in listed[1:]
    assert "You marked this action done since" in review

    section = owner_client.get(section_url(again, "financial")).content.decode()
    card = section[section.index('id="q-FI-I-01"') : section.index('id="q-FI-A-01"')]
    assert "You marked this action done since your last assessment" in card
    assert section.count("You marked this action done since") == 1


def test_an_action_done_before_the_last_submission_is_not_called_out(owner, organization, again):
    ActionItem.objects.filter(organization=organization, question_code="FI-I-01").update(
        status="done", done_at=again.started_at - timedelta(days=400)
    )
    assert marked_done_since(again) == set()


# --- Progress that tells the truth: an answer from last time is done once confirmed ----


def squeeze(html: str) -> str:
    return re.sub(r"\s+", " ", html)


def menu_item(body: str, pillar_key: str) -> str:
    start = body.index(f'data-section="{pillar_key}"')
    return squeeze(body[start : body.index("</li>", start)])


PILLARS = ("operational", "financial", "adaptive", "technology")


def test_a_reassessment_with_every_answer_carried_over_reads_0_percent_and_to_confirm(
    owner_client, again
):
    body = squeeze(owner_client.get(section_url(again)).content.decode())

    assert "0 of 12 answered (0%) · 12 to confirm" in body
    assert 'aria-valuenow="0"' in body
    for pillar in PILLARS:
        item = menu_item(body, pillar)
        assert "To confirm (3)" in item
        assert "state-to_confirm" in item
        assert "Done" not in item


def test_the_owner_home_counts_only_confirmed_answers_as_answered(owner_client, again):
    body = squeeze(owner_client.get(reverse("questionnaire:owner_home")).content.decode())

    assert "0 of 12 questions answered, 12 from last time to confirm." in body
    assert "0 of 12 answered (0%) · 12 to confirm" in body


def test_confirming_an_answer_counts_it_as_answered(owner_client, again):
    owner_client.post(section_url(again), section_post(again, {}, **{"keep-OP-F-01": "on"}))

    body = squeeze(owner_client.get(section_url(again, "financial")).content.decode())

    assert "1 of 12 answered (8%) · 11 to confirm" in body
    assert "To confirm (2)" in menu_item(body, "operational")
    assert "To confirm (3)" in menu_item(body, "financial")


def test_a_section_reads_done_once_every_answer_in_it_is_confirmed(owner_client, again):
    keep = {f"keep-{code}": "on" for code in ("OP-F-01", "OP-I-01", "OP-A-01")}
    owner_client.post(section_url(again), section_post(again, {}, **keep))

    body = squeeze(owner_client.get(section_url(again, "financial")).content.decode())

    operational = menu_item(body, "operational")
    assert "state-complete" in operational and "Done" in operational
    assert "3 of 12 answered (25%) · 9 to confirm" in body


def test_a_section_with_open_questions_and_answers_to_confirm_shows_both(
    owner, owner_client, again
):
    services.answer_save(assessment=again, data=services.AnswerInput("OP-F-01", ""), user=owner)

    body = squeeze(owner_client.get(section_url(again, "financial")).content.decode())

    operational = menu_item(body, "operational")
    assert "state-in_progress" in operational
    assert "0/3 · 2 to confirm" in operational
    assert "0 of 3 answered, 2 from last time to confirm, in progress" in operational


def test_the_review_page_counts_answers_to_confirm_apart(owner_client, owner, again):
    services.answer_save(assessment=again, data=services.AnswerInput("OP-F-01", "2"), user=owner)

    body = squeeze(
        owner_client.get(reverse("questionnaire:review", args=[again.pk])).content.decode()
    )

    assert "1 of 12 answered (8%) · 11 to confirm" in body
    assert "Every question has an answer" in body
    assert "Every question is answered" not in body


def test_autosave_reports_the_answers_still_to_confirm(owner_client, again):
    response = owner_client.post(
        autosave_url(again, "OP-F-01"), {"choice": "0", "note": "Binder", "revision": "1"}
    )

    progress = response.json()
    assert (progress["answered"], progress["to_confirm"], progress["total"]) == (1, 11, 12)
    assert progress["progress_text"] == "1 of 12 answered (8%) · 11 to confirm"
    assert squeeze(progress["section"]["badge"]) == "To confirm (2)"
    assert progress["section"]["state"] == "to_confirm"
