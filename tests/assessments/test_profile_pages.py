"""The profile on the pages: questions left out, the site named, "not asked because"."""

import pytest
from django.urls import reverse

from assessments import services
from assessments.selectors import assessment_framework
from tests.assessments.questionnaire_helpers import section_url
from tests.assessments.test_business_profile import PROFILE_FRAMEWORK, answer_asked, start
from tests.conftest import verified_login
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def profile_framework(db):
    return services.framework_import(path=PROFILE_FRAMEWORK).framework


def owner_of(**organization):
    fields = {"organization__" + name: value for name, value in organization.items()}
    return MembershipFactory(**fields).user


def ask_url(assessment, code):
    return reverse("questionnaire:ask_anyway", args=[assessment.pk, code])


def results_url(assessment):
    return reverse("reports:results", args=[assessment.pk])


def test_a_business_without_premises_is_not_shown_the_premises_questions(client, profile_framework):
    agency = owner_of(sector="technology", sites="none")
    assessment = start(agency)
    verified_login(client, agency)

    body = client.get(section_url(assessment, "operational")).content.decode()

    assert 'id="q-OP-F-03"' in body
    assert 'id="q-OP-F-01"' not in body
    assert "0 of 11" in " ".join(body.split()) or "0/11" in body


def test_a_premises_question_names_the_most_important_site(client, profile_framework):
    bakery = owner_of(sector="retail", sites="several", main_site="The kitchen on Mill Lane")
    assessment = start(bakery)
    verified_login(client, bakery)

    body = client.get(section_url(assessment, "operational")).content.decode()

    card = body[body.index('id="q-OP-F-01"') : body.index('id="q-OP-F-03"')]
    assert "Answer for your most important site: The kitchen on Mill Lane" in " ".join(
        card.split()
    ).replace("<strong>", "").replace("</strong>", "")
    other = body[body.index('id="q-OP-F-03"') :]
    assert "most important site" not in other[: other.index("data-question-card=", 40)]


def test_one_site_is_not_asked_to_name_it(client, profile_framework):
    shop = owner_of(sector="retail", sites="one")
    assessment = start(shop)
    verified_login(client, shop)

    body = client.get(section_url(assessment, "operational")).content.decode()

    assert "most important site" not in body


def test_the_results_page_says_why_a_question_was_not_asked_and_offers_it(
    client, profile_framework
):
    agency = owner_of(sector="technology", sites="none")
    assessment = start(agency)
    verified_login(client, agency)

    body = " ".join(client.get(results_url(assessment)).content.decode().split())

    assert "Not asked because you have no premises (you work from home or remotely)" in body
    assert f'action="{ask_url(assessment, "OP-F-01")}"' in body


def test_answering_it_anyway_asks_and_scores_it(client, profile_framework):
    agency = owner_of(sector="technology", sites="none")
    assessment = start(agency)
    verified_login(client, agency)

    response = client.post(ask_url(assessment, "OP-F-01"))

    assert response.status_code == 302
    assert response["Location"] == section_url(assessment, "operational") + "#q-OP-F-01"
    assessment.refresh_from_db()
    assert "OP-F-01" in assessment_framework(assessment).questions_by_id
    body = client.get(section_url(assessment, "operational")).content.decode()
    assert 'id="q-OP-F-01"' in body


def test_another_business_cannot_add_a_question_to_an_assessment(client, profile_framework):
    agency = owner_of(sector="technology", sites="none")
    assessment = start(agency)
    verified_login(client, owner_of(sector="retail", sites="none"))

    response = client.post(ask_url(assessment, "OP-F-01"))

    assert response.status_code == 404
    assessment.refresh_from_db()
    assert assessment.asked_anyway == []


def test_a_tampered_question_id_is_refused_with_a_message(client, profile_framework):
    agency = owner_of(sector="technology", sites="none")
    assessment = start(agency)
    verified_login(client, agency)

    response = client.post(ask_url(assessment, "NOPE-1"), follow=True)

    assert services.ERR_UNKNOWN_QUESTION in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.asked_anyway == []


def test_a_submitted_results_page_explains_without_offering_to_change_it(client, profile_framework):
    agency = owner_of(sector="technology", sites="none")
    assessment = start(agency)
    answer_asked(assessment, agency)
    services.assessment_submit(assessment=assessment, user=agency)
    verified_login(client, agency)

    body = " ".join(client.get(results_url(assessment)).content.decode().split())

    assert "Not asked because you have no premises" in body
    assert "ask_anyway" not in body and "/ask/" not in body


def test_the_report_gives_the_bakery_the_kitchens_advice(client, profile_framework):
    bakery = owner_of(
        sector="retail",
        sites="several",
        main_site="Kitchen",
        makes_goods=True,
        card_in_person=True,
    )
    assessment = start(bakery)
    answer_asked(assessment, bakery, choice="0")
    verified_login(client, bakery)

    body = client.get(results_url(assessment)).content.decode()

    assert "list the ovens and chillers the kitchen cannot work without" in body
    assert "buy a spare card reader" not in body


def test_the_results_page_of_a_profiled_assessment_stays_within_its_queries(
    client, profile_framework, django_assert_max_num_queries
):
    agency = owner_of(sector="technology", sites="none")
    assessment = start(agency)
    answer_asked(assessment, agency)
    verified_login(client, agency)
    client.get(results_url(assessment))

    with django_assert_max_num_queries(25):
        response = client.get(results_url(assessment))

    assert response.status_code == 200
