"""The results page costs a fixed number of queries, however many questions the framework has."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Assessment
from assessments.services import (
    AnswerInput,
    answers_save,
    assessment_start,
    assessment_submit,
    framework_import,
)
from reports.selectors import build_report
from tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

# Session, user, the assessment, answers, comments, the navigation's role
# checks and the session save, plus, on a cold cache, the reads that build
# the framework once per process (its rows for the report, its scoring
# form). The count is the same for 12 and 120 questions, which is what the
# test holds.
MAX_QUERIES = 25


def scaled_framework(data: dict, copies: int) -> dict:
    """The mini framework with every question repeated ``copies`` times under new ids."""
    questions = []
    for n in range(copies):
        for question in data["questions"]:
            questions.append(
                {**question, "id": f"{question['id']}-{n}", "title": f"{question['title']} {n}"}
            )
    return {**data, "version": f"test.x{copies}", "questions": questions}


def answered_assessment(framework_path, *, submit: bool):
    framework = framework_import(path=framework_path).framework
    org = OrganizationFactory(sector="retail")
    owner = MembershipFactory(organization=org).user
    assessment = assessment_start(organization=org, user=owner)
    codes = framework.questions.values_list("code", flat=True)
    answers = [
        AnswerInput(question_code=c, choice=str(i % 3 * 2), note="n") for i, c in enumerate(codes)
    ]
    answers_save(assessment=assessment, answers=answers, user=owner)
    if submit:
        assessment = assessment_submit(assessment=assessment, user=owner)
    return owner, assessment


def count_queries(client, owner, assessment) -> int:
    client.force_login(owner)
    url = reverse("reports:results", args=[assessment.pk])
    client.get(url)  # warm the per-process framework cache of provisional scoring
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("submit", [True, False], ids=["submitted", "in progress"])
def test_results_page_queries_do_not_grow_with_the_number_of_questions(
    client, mini_framework_data, write_framework, submit, django_assert_max_num_queries
):
    small = answered_assessment(
        write_framework(scaled_framework(mini_framework_data, 1), "a.yaml"), submit=submit
    )
    large = answered_assessment(
        write_framework(scaled_framework(mini_framework_data, 6), "b.yaml"), submit=submit
    )

    client.force_login(large[0])
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get(reverse("reports:results", args=[large[1].pk]))
    assert count_queries(client, *small) == count_queries(client, *large)


def test_a_second_report_of_the_same_framework_version_reads_only_its_own_rows(
    mini_framework_data, write_framework, django_assert_num_queries
):
    _, first = answered_assessment(write_framework(mini_framework_data, "a.yaml"), submit=True)
    _, second = answered_assessment(write_framework(mini_framework_data, "a.yaml"), submit=True)
    build_report(first)
    second = Assessment.objects.select_related("organization", "framework").get(pk=second.pk)

    # The answers and the comments, the organization's submissions (the trend chart), and
    # the plan it prints (the latest submission, the items, the targets, whether an earlier
    # submission exists to say what changed since); the framework's rows come from the
    # per-process cache.
    with django_assert_num_queries(7):
        report = build_report(second)

    assert report.pillars[0].name == "Operational resilience"
    assert "Retail advice" in report.horizons[0].actions[0].recommendation
