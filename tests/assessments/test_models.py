"""A framework version in use is frozen; the answer rows keep their shape."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from assessments.models import Answer, FrameworkVersion
from tests.factories import AssessmentFactory

pytestmark = pytest.mark.django_db


def test_a_framework_version_without_assessments_can_be_edited(mini_framework):
    question = mini_framework.questions.first()
    question.text = "Reworded before anyone answered."
    question.save()
    question.refresh_from_db()
    assert question.text == "Reworded before anyone answered."


def test_a_framework_version_used_by_an_assessment_can_no_longer_be_changed(mini_framework):
    AssessmentFactory(framework=mini_framework)
    question = mini_framework.questions.first()
    question.text = "Sneaky change"

    with pytest.raises(ValidationError, match="used by assessments and can no longer be changed"):
        question.save()
    question.refresh_from_db()
    assert question.text != "Sneaky change"


@pytest.mark.parametrize("target", ["option", "recommendation", "pillar", "weight"])
def test_every_part_of_a_used_framework_refuses_edits_and_deletes(mini_framework, target):
    AssessmentFactory(framework=mini_framework)
    question = mini_framework.questions.first()
    row = {
        "option": lambda: question.options.first(),
        "recommendation": lambda: question.recommendations.first(),
        "pillar": lambda: mini_framework.pillars.first(),
        "weight": lambda: mini_framework.sectors.first().pillar_weights.first(),
    }[target]()

    with pytest.raises(ValidationError):
        row.save()
    with pytest.raises(ValidationError):
        row.delete()


def test_a_used_framework_version_cannot_be_renamed_or_deleted(mini_framework):
    AssessmentFactory(framework=mini_framework)
    mini_framework.name = "Renamed"
    with pytest.raises(ValidationError):
        mini_framework.save()
    with pytest.raises(ValidationError):
        FrameworkVersion.objects.get(pk=mini_framework.pk).delete()


def test_a_used_framework_version_can_still_be_deactivated(mini_framework):
    """Retiring a version is not changing it: its assessments keep their meaning."""
    AssessmentFactory(framework=mini_framework)
    mini_framework.is_active = False
    mini_framework.save()
    mini_framework.refresh_from_db()
    assert not mini_framework.is_active


def test_only_one_framework_version_can_be_active(mini_framework):
    with pytest.raises(IntegrityError), transaction.atomic():
        FrameworkVersion.objects.create(
            version="x", name="Other", is_active=True, checksum="0" * 64
        )


def test_an_assessment_has_one_answer_per_question(mini_framework):
    assessment = AssessmentFactory(framework=mini_framework)
    question = mini_framework.questions.first()
    Answer.objects.create(assessment=assessment, question=question, kind="option", value=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(assessment=assessment, question=question, kind="na")


def test_an_answer_value_must_match_its_kind(mini_framework):
    assessment = AssessmentFactory(framework=mini_framework)
    question = mini_framework.questions.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(assessment=assessment, question=question, kind="na", value=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(assessment=assessment, question=question, kind="option", value=None)
