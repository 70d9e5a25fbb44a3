"""A section page: its questions by level, the section menu, and saving without JavaScript."""

import re

import pytest
from django.urls import reverse

from tests.assessments.questionnaire_helpers import (
    answer_all,
    answers_of,
    autosave_url,
    section_post,
    section_url,
)

pytestmark = pytest.mark.django_db


def test_save_and_continue_saves_every_answer_and_moves_to_the_next_section(
    owner_client, assessment
):
    data = section_post(
        assessment,
        {"OP-F-01": "4", "OP-I-01": "dont_know", "OP-A-01": "na"},
        notes={"OP-F-01": "Plan in the office binder; Sam owns it."},
        save_next="1",
    )
    response = owner_client.post(section_url(assessment), data)

    assert response.status_code == 302
    assert response["Location"] == section_url(assessment, "financial")
    assert answers_of(assessment) == {
        "OP-F-01": ("option", 4, "Plan in the office binder; Sam owns it."),
        "OP-I-01": ("dont_know", None, ""),
        "OP-A-01": ("na", None, ""),
    }


def test_the_last_section_continues_to_the_review(owner_client, assessment):
    data = {"save_next": "1"}
    response = owner_client.post(section_url(assessment, "technology"), data)
    assert response["Location"] == reverse("questionnaire:review", args=[assessment.pk])


@pytest.mark.parametrize(
    ("answers", "notes", "message"),
    [
        ({"OP-F-01": "3"}, {}, "Select a valid choice"),  # an option of no question here
        ({"OP-F-01": "9"}, {}, "Select a valid choice"),  # off the scale
        ({"OP-F-01": "na"}, {}, "Select a valid choice"),  # N/A not allowed on OP-F-01
        ({}, {"OP-F-01": "x" * 2001}, "at most 2000 characters"),
    ],
)
def test_a_tampered_section_post_is_refused_and_nothing_is_saved(
    owner_client, assessment, answers, notes, message
):
    data = section_post(assessment, {"OP-I-01": "4", **answers}, notes=notes, save_next="1")

    response = owner_client.post(section_url(assessment), data)

    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert "Nothing was saved" in body
    assert answers_of(assessment) == {}


def test_a_section_groups_its_questions_under_their_levels_in_order(owner_client, assessment):
    body = owner_client.get(section_url(assessment, "financial")).content.decode()

    headings = re.findall(r'<h2 class="h4 level-heading" id="level-(\w+)">([^<]+)</h2>', body)
    assert headings == [
        ("fundamentals", "Fundamentals"),
        ("intermediate", "Intermediate"),
        ("advanced", "Advanced"),
    ]
    starts = [body.index(f'id="level-{key}"') for key, _ in headings] + [len(body)]
    for i, code in enumerate(("FI-F-01", "FI-I-01", "FI-A-01")):
        assert starts[i] < body.index(f'data-question-card="{code}"') < starts[i + 1]
    assert body.count("data-question-card=") == 3


def test_an_unknown_section_is_not_found(owner_client, assessment):
    assert owner_client.get(section_url(assessment, "spiritual")).status_code == 404


def test_a_page_sent_back_carries_the_values_it_was_loaded_with(owner_client, assessment):
    """OP-F-01 is changed on the page while OP-I-01 is invalid, so nothing is saved.

    The page comes back with OP-F-01 checked at the new choice but still
    carrying the stored choice it was loaded with, for the stale-write check.
    """
    owner_client.post(autosave_url(assessment, "OP-F-01"), {"choice": "2", "revision": "0"})
    data = section_post(assessment, {"OP-F-01": "4", "OP-I-01": "9"}, save_stay="1")
    data.update({"rev-OP-F-01": "1", "orig-OP-F-01": "2"})

    body = owner_client.post(section_url(assessment), data).content.decode()
    assert 'name="orig-OP-F-01" value="2"' in body

    data["orig-OP-F-01"] = "1"
    again = owner_client.post(section_url(assessment), data).content.decode()
    assert 'name="orig-OP-F-01" value="1"' in again


def test_a_questions_help_comes_before_its_options(owner_client, assessment):
    """The help explains terms the options use: it is read first (content review, 2026.2)."""
    body = owner_client.get(section_url(assessment)).content.decode()

    start = body.index('id="q-OP-F-01"')
    card = body[start : body.index("data-question-card=", start + 40)]
    assert card.index('id="id_q-OP-F-01_helptext"') < card.index('type="radio"')


def test_a_page_sent_back_with_an_error_marks_the_question(owner_client, assessment):
    data = section_post(assessment, {"OP-F-01": "9"}, save_stay="1")

    body = owner_client.post(section_url(assessment), data).content.decode()

    start = body.index('id="q-OP-F-01"')
    card = body[start : body.index("data-question-card=", start + 40)]
    assert 'aria-invalid="true"' in card
    assert "is-invalid" in card
    assert 'aria-describedby="id_q-OP-F-01_helptext id_q-OP-F-01_error"' in card


def test_the_section_page_does_not_grow_in_queries_with_answers(
    owner_client, owner, assessment, django_assert_max_num_queries
):
    answer_all(assessment, owner)
    with django_assert_max_num_queries(20):
        response = owner_client.get(section_url(assessment))
    assert response.status_code == 200


def test_once_the_framework_is_read_a_section_page_costs_three_queries(
    owner_client, owner, assessment, django_assert_max_num_queries
):
    """The user with their roles, the assessment, and its answers (the session is cached)."""
    answer_all(assessment, owner)
    owner_client.get(section_url(assessment))
    with django_assert_max_num_queries(3):
        response = owner_client.get(section_url(assessment, "financial"))
    assert response.status_code == 200


def menu_item(body: str, pillar_key: str) -> str:
    start = body.index(f'data-section="{pillar_key}"')
    return body[start : body.index("</li>", start)]


def test_the_section_menu_shows_each_sections_state_and_the_current_one(owner_client, assessment):
    operational = assessment.framework.questions.filter(pillar__key="operational")
    for question in operational:
        owner_client.post(autosave_url(assessment, question.code), {"choice": "dont_know"})
    financial = assessment.framework.questions.filter(pillar__key="financial")
    owner_client.post(autosave_url(assessment, financial[0].code), {"choice": "2"})

    body = owner_client.get(section_url(assessment, "financial")).content.decode()

    done = re.sub(r"\s+", " ", menu_item(body, "operational"))
    assert "state-complete" in done
    assert "Done" in done
    assert ", all answered" in done
    assert "aria-current" not in done
    started = re.sub(r"\s+", " ", menu_item(body, "financial"))
    assert f"1/{financial.count()}" in started
    assert "answered, in progress" in started
    assert 'aria-current="page"' in started
    assert f'href="{section_url(assessment, "financial")}"' in started
    untouched = re.sub(r"\s+", " ", menu_item(body, "technology"))
    assert "0/" in untouched
    assert "answered, not started" in untouched


def test_on_the_review_page_the_menu_marks_review_as_current(owner_client, assessment):
    body = owner_client.get(reverse("questionnaire:review", args=[assessment.pk])).content.decode()
    review_link = body[body.index(reverse("questionnaire:review", args=[assessment.pk]) + '"') :]
    assert 'aria-current="page">Review and submit' in re.sub(r"\s+", " ", review_link[:200])
    assert body.count('aria-current="page"') == 1
