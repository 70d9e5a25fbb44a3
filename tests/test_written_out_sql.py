"""The hot queries written out in SQL read exactly what the ORM reads.

resilience_site/sql.py explains why a few queries are written out. These
tests hold each one to its ORM equivalent, field by field, so a schema
change cannot make them drift apart unnoticed.
"""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.models import Session
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Organization
from accounts.permissions import editable_assessments, get_editable_assessment
from assessments.models import Answer, Assessment, FrameworkVersion
from assessments.selectors import answer_states
from assessments.services import AnswerInput, answers_save, assessment_start
from resilience_site.sessions import SessionStore
from resilience_site.sql import JoinedModels
from tests.factories import FirmMembershipFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def field_values(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


@pytest.fixture
def owner(db):
    return MembershipFactory(organization__name="Corner Bakery", organization__sector="retail").user


@pytest.fixture
def assessment(owner, mini_framework):
    assessment = assessment_start(organization=owner.memberships.get().organization, user=owner)
    # Values that need converting on the way out of SQLite: a date, JSON, a float.
    Assessment.objects.filter(pk=assessment.pk).update(
        reviewed_at=timezone.now() - timedelta(days=2),
        result={"overall": 61.5, "pillars": {"operational": {"score": None}}},
        overall_score=61.5,
    )
    return assessment


def test_joined_models_read_a_row_into_the_instances_the_orm_would_make(assessment):
    row_reader = JoinedModels((Assessment, "a"), (Organization, "o"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {row_reader.columns()} FROM assessments_assessment a"  # noqa: S608
            " JOIN accounts_organization o ON o.id = a.organization_id WHERE a.id = %s",
            [assessment.pk],
        )
        read, organization = row_reader.read(cursor.fetchone())
    expected = Assessment.objects.select_related("organization").get(pk=assessment.pk)
    assert field_values(read) == field_values(expected)
    assert field_values(organization) == field_values(expected.organization)
    assert read.result == {"overall": 61.5, "pillars": {"operational": {"score": None}}}
    assert read.reviewed_at.tzinfo is not None
    assert not read._state.adding  # saved later, it updates rather than inserts


def test_an_owner_gets_their_assessment_with_organization_and_framework_in_one_query(
    owner, assessment
):
    with CaptureQueriesContext(connection) as queries:
        loaded = get_editable_assessment(owner, assessment.pk)
        organization, framework = loaded.organization, loaded.framework
    assert len(queries.captured_queries) == 1
    expected = editable_assessments(owner).select_related("organization", "framework").get()
    assert field_values(loaded) == field_values(expected)
    assert field_values(organization) == field_values(expected.organization)
    assert field_values(framework) == field_values(expected.framework)
    assert isinstance(framework, FrameworkVersion)


def test_a_loaded_assessment_saves_like_one_from_the_orm(owner, assessment):
    loaded = get_editable_assessment(owner, assessment.pk)
    loaded.sector = "service"
    loaded.save(update_fields=["sector"])
    assert Assessment.objects.get(pk=assessment.pk).sector == "service"
    assert Assessment.objects.count() == 1


@pytest.mark.parametrize(
    "who",
    ["anonymous", "another_owner", "consultant_of_the_firm", "consultant_elsewhere"],
)
def test_nobody_but_a_member_gets_an_assessment_to_answer(who, assessment):
    organization = assessment.organization
    if who == "anonymous":
        user = AnonymousUser()
    elif who == "another_owner":
        user = MembershipFactory().user
    elif who == "consultant_of_the_firm":
        membership = FirmMembershipFactory()
        organization.firm = membership.firm
        organization.save()
        user = membership.user
    else:
        user = FirmMembershipFactory().user
    with pytest.raises(Http404):
        get_editable_assessment(user, assessment.pk)


@pytest.mark.parametrize("pk", ["12abc", "", None, 0, -3, 2**63, 2**70, "9" * 40, 987654])
def test_a_garbled_or_unknown_id_is_a_404_not_an_error(owner, assessment, pk):
    with pytest.raises(Http404):
        get_editable_assessment(owner, pk)


def test_answer_states_are_the_stored_answers(owner, assessment):
    questions = list(assessment.framework.questions.order_by("position")[:3])
    answers_save(
        assessment=assessment,
        answers=[
            AnswerInput(question_code=questions[0].code, choice="2", note="Checked with the bank"),
            AnswerInput(question_code=questions[1].code, choice="dont_know", note=""),
        ],
        user=owner,
    )
    stored = Answer.objects.filter(assessment=assessment).values_list(
        "question_id", "kind", "value", "note", "revision"
    )
    assert sorted(answer_states(assessment)) == sorted(stored)
    by_question = {state.question_id: state for state in answer_states(assessment)}
    assert by_question[questions[0].pk].value == 2
    assert by_question[questions[0].pk].note == "Checked with the bank"
    assert by_question[questions[1].pk].kind == "dont_know"


def test_answer_states_of_an_assessment_without_answers_are_empty(assessment):
    assert answer_states(assessment) == []


def test_a_session_store_reads_a_stored_session_in_one_query():
    store = SessionStore()
    store["_auth_user_id"] = "42"
    store.save()
    with CaptureQueriesContext(connection) as queries:
        loaded = SessionStore(store.session_key)
        assert loaded["_auth_user_id"] == "42"
    assert len(queries.captured_queries) == 1
    assert loaded.session_key == store.session_key


def test_an_expired_session_is_empty_and_gets_a_new_key_when_saved():
    store = SessionStore()
    store["_auth_user_id"] = "42"
    store.save()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    loaded = SessionStore(store.session_key)
    assert "_auth_user_id" not in loaded
    assert loaded.is_empty()
    loaded["note"] = "new"
    loaded.save()
    assert loaded.session_key != store.session_key


def test_the_site_uses_this_session_store():
    assert settings.SESSION_ENGINE == "resilience_site.sessions"
