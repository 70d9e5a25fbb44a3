"""The owner's questionnaire: start, answer, autosave, resume, review and submit."""

import re

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import Answer, Assessment
from tests.factories import FirmMembershipFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def section_url(assessment, pillar="operational"):
    return reverse("assessment_section", args=[assessment.pk, pillar])


def autosave_url(assessment, code):
    return reverse("answer_autosave", args=[assessment.pk, code])


def answers_of(assessment):
    return {
        a.question.code: (a.kind, a.value, a.note)
        for a in Answer.objects.filter(assessment=assessment).select_related("question")
    }


def answer_all(assessment, user, choice="2"):
    codes = assessment.framework.questions.values_list("code", flat=True)
    services.answers_save(
        assessment=assessment,
        answers=[services.AnswerInput(question_code=c, choice=choice) for c in codes],
        user=user,
    )


# --- Starting ---------------------------------------------------------------


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


# --- Saving without JavaScript ------------------------------------------------


def section_post(assessment, answers: dict, notes: dict | None = None, **extra):
    """A POST as the section form sends it, with the page's hidden fields."""
    stored = {
        a.question.code: a
        for a in Answer.objects.filter(assessment=assessment).select_related("question")
    }
    data = {}
    codes = assessment.framework.questions.filter(pillar__key="operational").values_list(
        "code", flat=True
    )
    for code in codes:
        a = stored.get(code)
        data[f"rev-{code}"] = str(a.revision if a else 0)
        orig = (
            "" if a is None or a.kind is None else (str(a.value) if a.kind == "option" else a.kind)
        )
        data[f"orig-{code}"] = orig
        data[f"orignote-{code}"] = a.note if a else ""
        data[f"q-{code}"] = answers.get(code, orig)
        data[f"note-{code}"] = (notes or {}).get(code, a.note if a else "")
    data.update(extra)
    return data


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
    assert response["Location"] == reverse("assessment_review", args=[assessment.pk])


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


# --- Autosave ------------------------------------------------------------------


def test_autosave_saves_one_answer_and_reports_progress(owner_client, assessment):
    response = owner_client.post(
        autosave_url(assessment, "OP-F-01"), {"choice": "2", "revision": "0"}
    )

    assert response.status_code == 200
    assert response.json() == {
        "status": "saved",
        "revision": 1,
        "answered": 1,
        "total": 12,
        "pillar_answered": 1,
    }
    assert answers_of(assessment) == {"OP-F-01": ("option", 2, "")}


def test_autosave_counts_progress_over_the_whole_questionnaire_and_the_section(
    owner_client, assessment, django_assert_max_num_queries
):
    owner_client.post(autosave_url(assessment, "FI-F-01"), {"choice": "dont_know"})
    owner_client.post(autosave_url(assessment, "OP-F-01"), {"choice": "2"})

    with django_assert_max_num_queries(12):
        response = owner_client.post(autosave_url(assessment, "OP-I-01"), {"choice": "0"})

    progress = response.json()
    assert (progress["answered"], progress["total"]) == (3, 12)
    assert progress["pillar_answered"] == 2  # OP-F-01 and OP-I-01; FI-F-01 is another section


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
    from assessments.views import ERR_SESSION_ENDED

    response = client.post(autosave_url(assessment, "OP-F-01"), {"choice": "2"})

    assert response.status_code == 401
    assert response.json() == {
        "status": "login_required",
        "message": ERR_SESSION_ENDED,
        "login_url": "/accounts/login/",
    }
    assert answers_of(assessment) == {}


# --- Resume, review, submit ----------------------------------------------------


def test_continue_resumes_at_the_first_unanswered_question(owner_client, owner, assessment):
    for code in ("OP-F-01", "OP-I-01", "OP-A-01", "FI-F-01"):
        services.answer_save(
            assessment=assessment, data=services.AnswerInput(code, "2"), user=owner
        )

    response = owner_client.get(reverse("assessment_continue", args=[assessment.pk]))

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

    body = owner_client.get(reverse("assessment_review", args=[assessment.pk])).content.decode()

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
        reverse("assessment_submit", args=[assessment.pk]), {"confirm": "yes"}, follow=True
    )

    assert services.ERR_INCOMPLETE.format(count=11) in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.IN_PROGRESS


def test_submitting_needs_the_confirmation(owner_client, owner, assessment):
    answer_all(assessment, owner)
    owner_client.post(reverse("assessment_submit", args=[assessment.pk]))
    assessment.refresh_from_db()
    assert not assessment.is_submitted


def test_submitting_a_complete_assessment_stores_its_scores(owner_client, owner, assessment):
    answer_all(assessment, owner, choice="4")

    response = owner_client.post(
        reverse("assessment_submit", args=[assessment.pk]), {"confirm": "yes"}
    )

    assert response["Location"] == reverse("results", args=[assessment.pk])
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


def test_the_section_page_does_not_grow_in_queries_with_answers(
    owner_client, owner, assessment, django_assert_max_num_queries
):
    answer_all(assessment, owner)
    with django_assert_max_num_queries(20):
        response = owner_client.get(section_url(assessment))
    assert response.status_code == 200


def test_once_the_framework_is_cached_a_section_page_costs_four_queries(
    owner_client, owner, assessment, django_assert_max_num_queries
):
    """The session, the user with their roles, the assessment, and its answers."""
    answer_all(assessment, owner)
    owner_client.get(section_url(assessment))
    with django_assert_max_num_queries(4):
        response = owner_client.get(section_url(assessment, "financial"))
    assert response.status_code == 200


@pytest.fixture
def cards_printed():
    """The questions whose card the section page printed from the template."""
    from django.test.signals import template_rendered

    printed = []

    def count(sender, template, context, **kwargs):
        if template.name == "partials/assessments/_question.html":
            printed.append(context["row"]["question"].code)

    template_rendered.connect(count)
    yield printed
    template_rendered.disconnect(count)


def test_a_question_card_is_printed_once_then_reused_until_its_answer_changes(
    owner_client, assessment, cards_printed
):
    first = owner_client.get(section_url(assessment))
    assert len(cards_printed) == len(re.findall(r'data-question-card="', first.content.decode()))
    cards_printed.clear()

    again = owner_client.get(section_url(assessment))
    assert cards_printed == []
    assert again.content.count(b"checked") == first.content.count(b"checked")

    owner_client.post(autosave_url(assessment, "OP-F-01"), {"choice": "2", "revision": "0"})
    after = owner_client.get(section_url(assessment)).content.decode()
    assert cards_printed == ["OP-F-01"]
    assert re.search(r'name="q-OP-F-01" value="2"[^>]*checked', after)


def test_a_kept_card_is_never_served_for_a_page_loaded_with_other_hidden_values(
    owner_client, assessment
):
    """A page sent back shows what it was loaded with, not what a kept card holds.

    OP-F-01 is changed on the page while OP-I-01 is invalid, so nothing is
    saved: the page comes back with OP-F-01 checked at the new choice but
    still carrying the stored choice it was loaded with. A kept card with
    the same choice and revision must not stand in for it.
    """
    owner_client.post(autosave_url(assessment, "OP-F-01"), {"choice": "2", "revision": "0"})
    data = section_post(assessment, {"OP-F-01": "4", "OP-I-01": "9"}, save_stay="1")
    data.update({"rev-OP-F-01": "1", "orig-OP-F-01": "2"})

    body = owner_client.post(section_url(assessment), data).content.decode()
    assert 'name="orig-OP-F-01" value="2"' in body

    data["orig-OP-F-01"] = "1"
    again = owner_client.post(section_url(assessment), data).content.decode()
    assert 'name="orig-OP-F-01" value="1"' in again


def test_a_page_sent_back_with_an_error_marks_the_question_even_after_it_was_cached(
    owner_client, assessment
):
    owner_client.get(section_url(assessment))  # the plain cards are now kept
    data = section_post(assessment, {"OP-F-01": "9"}, save_stay="1")

    body = owner_client.post(section_url(assessment), data).content.decode()

    start = body.index('id="q-OP-F-01"')
    card = body[start : body.index("data-question-card=", start + 40)]
    assert 'aria-invalid="true"' in card
    assert "is-invalid" in card
    assert 'aria-describedby="id_q-OP-F-01_helptext id_q-OP-F-01_error"' in card


# --- Access control --------------------------------------------------------------

EDIT_VIEWS = [
    ("get", "assessment_continue", ()),
    ("get", "assessment_section", ("operational",)),
    ("post", "assessment_section", ("operational",)),
    ("post", "answer_autosave", ("OP-F-01",)),
    ("get", "assessment_review", ()),
    ("post", "assessment_submit", ()),
    ("get", "assessment_detail", ()),
]


PAGE_VIEWS = [v for v in EDIT_VIEWS if v[1] != "answer_autosave"]


@pytest.mark.parametrize(("method", "name", "args"), PAGE_VIEWS)
def test_anonymous_visitors_are_sent_to_log_in(client, assessment, method, name, args):
    response = getattr(client, method)(reverse(name, args=[assessment.pk, *args]))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(("method", "name", "args"), EDIT_VIEWS)
def test_another_organizations_owner_gets_404_and_sees_nothing(
    client, other_owner, assessment, method, name, args
):
    client.force_login(other_owner)
    response = getattr(client, method)(
        reverse(name, args=[assessment.pk, *args]), {"choice": "2", "confirm": "yes"}
    )
    assert response.status_code == 404
    assert "Corner Bakery" not in response.content.decode()
    assert answers_of(assessment) == {}


@pytest.mark.parametrize(("method", "name", "args"), EDIT_VIEWS[:-1])
def test_consultants_cannot_answer_for_their_clients(client, assessment, method, name, args):
    org = assessment.organization
    consultant = FirmMembershipFactory().user
    org.firm = consultant.firm_memberships.get().firm
    org.save()
    client.force_login(consultant)

    response = getattr(client, method)(reverse(name, args=[assessment.pk, *args]), {"choice": "2"})

    assert response.status_code == 404
    assert answers_of(assessment) == {}


@pytest.mark.parametrize(("method", "name", "args"), EDIT_VIEWS)
def test_a_consultant_of_another_firm_gets_404(client, assessment, method, name, args):
    client.force_login(FirmMembershipFactory().user)
    response = getattr(client, method)(reverse(name, args=[assessment.pk, *args]))
    assert response.status_code == 404
    assert "Corner Bakery" not in response.content.decode()


@pytest.mark.parametrize(("method", "name", "args"), EDIT_VIEWS)
def test_the_owner_reaches_every_view(owner_client, assessment, method, name, args):
    response = getattr(owner_client, method)(
        reverse(name, args=[assessment.pk, *args]), {"choice": "2"}
    )
    assert response.status_code in (200, 302)


def test_tampered_ids_answer_404_not_500(owner_client):
    for url in ("/assessments/99999999999999999999/section/operational/", "/assessments/0/review/"):
        assert owner_client.get(url).status_code == 404


def test_the_owner_home_shows_only_the_owners_business(client, owner, other_assessment):
    client.force_login(owner)
    body = client.get("/assessments/").content.decode()
    assert "Corner Bakery" in body
    assert "CANARY" not in body


def test_a_member_of_the_same_business_can_continue_the_assessment(client, assessment):
    colleague = MembershipFactory(organization=assessment.organization, role="member").user
    client.force_login(colleague)
    response = client.post(autosave_url(assessment, "OP-F-01"), {"choice": "2"})
    assert response.status_code == 200


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


def test_the_review_links_to_provisional_results(owner_client, assessment):
    body = owner_client.get(reverse("assessment_review", args=[assessment.pk])).content.decode()
    assert f'href="{reverse("results", args=[assessment.pk])}"' in body


def test_a_question_row_lists_its_choices_only_when_a_card_is_printed(assessment):
    from assessments.forms import question_row

    question = assessment.framework.questions.get(code="OP-F-01")
    row = question_row(question, choice="2", note="", hidden=[])
    assert "options" not in row  # a kept card needs no choices
    values = [(o["value"], o["id"], o["checked"]) for o in row["options"]]
    assert [v for v, _, checked in values if checked] == ["2"]
    assert [i for _, i, _ in values] == [f"id_q-OP-F-01_{n}" for n in range(len(values))]
    assert "dont_know" in [v for v, _, _ in values]
    with pytest.raises(KeyError):
        row["no_such_value"]


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
    body = owner_client.get(reverse("assessment_review", args=[assessment.pk])).content.decode()
    review_link = body[body.index(reverse("assessment_review", args=[assessment.pk]) + '"') :]
    assert 'aria-current="page">Review and submit' in re.sub(r"\s+", " ", review_link[:200])
    assert body.count('aria-current="page"') == 1
