"""The business profile tailors an assessment: asked questions, frozen traits, asked anyway."""

import pytest

import scoring
from accounts.models import Organization
from assessments import services
from assessments.selectors import assessment_framework, assessment_progress, framework_export
from tests.conftest import DATA_DIR
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

PROFILE_FRAMEWORK = DATA_DIR / "framework-profile.yaml"


@pytest.fixture
def profile_framework(db):
    return services.framework_import(path=PROFILE_FRAMEWORK).framework


@pytest.fixture
def agency(db):
    """A remote-first software agency: no premises."""
    return MembershipFactory(
        organization__name="Remote Agency",
        organization__sector="technology",
        organization__sites="none",
    ).user


def start(user, **kwargs):
    return services.assessment_start(
        organization=user.memberships.get().organization, user=user, **kwargs
    )


def answer_asked(assessment, user, choice="4"):
    services.answers_save(
        assessment=assessment,
        answers=[
            services.AnswerInput(question_code=q.id, choice=choice)
            for q in assessment_framework(assessment).questions
        ],
        user=user,
    )


def set_profile(user, **fields):
    org = user.memberships.get().organization
    for name, value in fields.items():
        setattr(org, name, value)
    org.save()


def test_import_stores_the_profile_fields_and_the_export_gives_them_back(profile_framework):
    assert framework_export(profile_framework) == scoring.framework_to_dict(
        scoring.load_framework_file(PROFILE_FRAMEWORK)
    )


def test_a_new_assessment_takes_the_profile_and_asks_only_what_applies(agency, profile_framework):
    assessment = start(agency)

    assert assessment.traits["no_premises"] is True
    asked = assessment_framework(assessment).questions_by_id
    assert "OP-F-01" not in asked and "OP-F-03" in asked
    assert assessment_progress(assessment).total == len(asked) == 11


def test_a_question_not_asked_cannot_be_answered(agency, profile_framework):
    assessment = start(agency)

    with pytest.raises(services.AnswerError, match=services.ERR_UNKNOWN_QUESTION):
        services.answer_save(
            assessment=assessment,
            data=services.AnswerInput(question_code="OP-F-01", choice="4"),
            user=agency,
        )


def test_a_draft_follows_the_profile_as_it_changes(agency, profile_framework):
    assessment = start(agency)

    set_profile(agency, sites="several", main_site="The studio")

    assessment.refresh_from_db()
    assert assessment.traits["several_sites"] is True
    assert "OP-I-02" in assessment_framework(assessment).questions_by_id


def test_changing_the_profile_rescores_nothing_already_submitted(agency, profile_framework):
    assessment = start(agency)
    answer_asked(assessment, agency, choice="4")
    assessment = services.assessment_submit(assessment=assessment, user=agency)
    stored = dict(assessment.result)

    set_profile(agency, sites="one", works_away=True)

    assessment.refresh_from_db()
    assert assessment.traits["no_premises"] is True
    assert assessment.traits["works_away"] is False
    assert assessment.result == stored
    assert "OP-F-01" not in assessment_framework(assessment).questions_by_id


def test_answering_a_question_anyway_adds_it_to_the_assessment(agency, profile_framework):
    assessment = start(agency)

    services.question_ask_anyway(assessment=assessment, code="OP-F-01", user=agency)

    assessment.refresh_from_db()
    assert assessment.asked_anyway == ["OP-F-01"]
    assert "OP-F-01" in assessment_framework(assessment).questions_by_id
    answer_asked(assessment, agency, choice="4")
    services.answer_save(
        assessment=assessment,
        data=services.AnswerInput(question_code="OP-F-01", choice="0"),
        user=agency,
    )
    submitted = services.assessment_submit(assessment=assessment, user=agency)
    assert submitted.result["pillars"]["operational"]["levels"]["fundamentals"] < 100


@pytest.mark.parametrize(
    ("code", "message"),
    [("OP-F-03", services.ERR_ALREADY_ASKED), ("XX-99", services.ERR_UNKNOWN_QUESTION)],
)
def test_only_a_question_not_asked_can_be_asked_anyway(agency, profile_framework, code, message):
    assessment = start(agency)

    with pytest.raises(services.ServiceError, match=message):
        services.question_ask_anyway(assessment=assessment, code=code, user=agency)


def test_a_submitted_assessment_takes_no_question_anyway(agency, profile_framework):
    assessment = start(agency)
    answer_asked(assessment, agency)
    services.assessment_submit(assessment=assessment, user=agency)

    with pytest.raises(services.AssessmentReadOnly):
        services.question_ask_anyway(assessment=assessment, code="OP-F-01", user=agency)


def test_a_reassessment_takes_the_current_profile_and_carries_the_answers(
    agency, profile_framework
):
    first = start(agency)
    answer_asked(first, agency, choice="2")
    services.assessment_submit(assessment=first, user=agency)
    set_profile(agency, sites="one")

    second = start(agency, from_last_time=True)

    assert second.traits["no_premises"] is False
    assert "OP-F-01" in assessment_framework(second).questions_by_id
    carried = set(second.answers.filter(carried_over=True).values_list("question__code", flat=True))
    assert "OP-F-03" in carried and "OP-F-01" not in carried
    assert Organization.objects.get().traits["no_premises"] is False
