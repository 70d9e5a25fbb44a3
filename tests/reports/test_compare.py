"""Comparing two submitted assessments, and the trend of every submission."""

from datetime import timedelta

import pytest
from django.urls import reverse

from action_plans.models import ActionItem
from assessments.models import Assessment, Question
from assessments.services import (
    AnswerInput,
    answers_save,
    assessment_start,
    assessment_submit,
    framework_import,
)
from reports import views
from tests.conftest import MINI_FRAMEWORK, NEW_FRAMEWORK, verified_login
from tests.reports.conftest import MINI_ANSWERS

pytestmark = pytest.mark.django_db

# The second assessment: two answers better, one worse, one from "don't know" to a value.
LATER_ANSWERS = {
    **MINI_ANSWERS,
    "FI-F-01": "4",
    "TE-A-01": "2",
    "AD-I-01": "2",
    "AD-A-01": "4",
}


@pytest.fixture
def later(submit_assessment, submitted, retail_org, owner):
    return submit_assessment(retail_org, owner, LATER_ANSWERS)


def compare_url(assessment, **query):
    url = reverse("reports:compare", args=[assessment.pk])
    return url + ("?" + "&".join(f"{k}={v.pk}" for k, v in query.items()) if query else "")


def test_compare_shows_scores_side_by_side_with_the_change(client, owner, submitted, later):
    client.force_login(owner)

    response = client.get(compare_url(later))

    comparison = response.context["comparison"]
    assert (comparison.before, comparison.after) == (submitted, later)
    assert comparison.overall.change == pytest.approx(later.overall_score - submitted.overall_score)
    financial = next(p for p in comparison.pillars if p.score.name == "Financial resilience")
    assert financial.score.change > 0
    body = response.content.decode()
    assert "Scores side by side" in body
    assert "Maturity before" in body


def test_compare_lists_every_answer_that_changed_as_better_or_worse(
    client, owner, submitted, later
):
    client.force_login(owner)

    comparison = client.get(compare_url(later)).context["comparison"]

    moves = {row.code: row.direction for row in comparison.answers}
    assert moves == {
        "FI-F-01": "better",
        "TE-A-01": "better",
        "AD-I-01": "worse",
        "AD-A-01": "changed",
    }
    body = client.get(compare_url(later)).content.decode()
    assert "Better answers (2)" in body
    assert "Worse answers (1)" in body


def test_compare_lists_the_actions_done_between_the_two_submissions(
    client, owner, retail_org, submitted, later
):
    between = submitted.submitted_at + (later.submitted_at - submitted.submitted_at) / 2
    ActionItem.objects.create(
        organization=retail_org, title="Write the continuity plan", status="done", done_at=between
    )
    ActionItem.objects.create(
        organization=retail_org,
        title="Test the backup",
        status="done",
        done_at=later.submitted_at + timedelta(days=1),
    )
    ActionItem.objects.create(organization=retail_org, title="Find a second supplier")
    client.force_login(owner)

    body = client.get(compare_url(later, before=submitted, after=later)).content.decode()

    done = body[body.index('id="actions-done-heading"') :]
    assert "Write the continuity plan" in done
    assert "Test the backup" not in done and "Find a second supplier" not in done


def test_an_action_the_later_answers_closed_says_so_apart_from_those_marked_done(
    client, owner, retail_org, submitted, submit_assessment
):
    # Open before the re-assessment; the later answer to FI-F-01 reaches its top rung.
    answered = ActionItem.objects.get(organization=retail_org, question_code="FI-F-01")
    assert answered.status == "todo"
    later = submit_assessment(retail_org, owner, LATER_ANSWERS)
    between = submitted.submitted_at + (later.submitted_at - submitted.submitted_at) / 2
    marked = ActionItem.objects.create(
        organization=retail_org,
        title="Write the continuity plan",
        status="done",
        done_at=between,
        assignee="Priya",
    )
    client.force_login(owner)

    body = client.get(compare_url(later, before=submitted, after=later)).content.decode()

    done = body[body.index('id="actions-done-heading"') :]
    day = f"{later.submitted_at:%-d %B %Y}"
    assert marked.title in done and f"Done {between:%-d %B %Y} by Priya" in done
    closed = done[done.index(answered.title) :]
    assert closed.split("</li>")[0].count(f"Closed by your answer of {day}") == 1


def test_any_two_submissions_can_be_picked_in_either_order(client, owner, submitted, later):
    client.force_login(owner)

    comparison = client.get(compare_url(later, before=later, after=submitted)).context["comparison"]

    assert {row.code: row.direction for row in comparison.answers}["AD-I-01"] == "better"


def test_comparing_an_assessment_with_itself_says_so(client, owner, submitted, later):
    client.force_login(owner)

    response = client.get(compare_url(later, before=later, after=later))

    assert response.status_code == 400
    assert views.ERR_COMPARE_SAME in response.content.decode()
    assert response.context["comparison"] is None


def test_comparing_with_an_assessment_in_progress_says_so(
    client, owner, submitted, later, retail_org
):
    from assessments.services import assessment_start

    draft = assessment_start(organization=retail_org, user=owner)
    client.force_login(owner)

    response = client.get(compare_url(later, before=draft))

    assert response.status_code == 400
    assert "Only submitted assessments can be compared" in response.content.decode()


def test_one_submission_has_nothing_to_compare_yet(client, owner, submitted):
    client.force_login(owner)

    response = client.get(compare_url(submitted))

    assert response.status_code == 200
    assert views.NOTHING_TO_COMPARE in response.content.decode()


def test_another_organizations_assessment_in_the_picker_is_404(
    client, owner, later, submit_assessment, other_owner
):
    other = submit_assessment(other_owner.memberships.get().organization, other_owner)
    client.force_login(owner)

    response = client.get(compare_url(later, before=other))

    assert response.status_code == 404
    assert b"Zebra" not in response.content


def test_a_consultant_cannot_mix_two_of_their_clients(
    client, consultant, later, submit_assessment, firm
):
    from tests.factories import MembershipFactory, OrganizationFactory

    sibling = MembershipFactory(organization=OrganizationFactory(name="Sibling Co", firm=firm))
    other = submit_assessment(sibling.organization, sibling.user)
    verified_login(client, consultant)

    assert client.get(compare_url(later, before=other)).status_code == 404


@pytest.mark.parametrize(
    ("who", "status"),
    [("owner", 200), ("consultant", 200), ("other_owner", 404), ("other_consultant", 404)],
)
def test_who_may_open_the_comparison(request, client, later, who, status):
    user = request.getfixturevalue(who)
    if who.endswith("consultant"):
        verified_login(client, user)
    else:
        client.force_login(user)

    response = client.get(compare_url(later))

    assert response.status_code == status
    assert (b"Corner Shop" in response.content) == (status == 200)


def test_anonymous_visitor_is_sent_to_log_in(client, later):
    response = client.get(compare_url(later))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_trend_chart_shows_every_submission_and_reads_without_colour(
    client, owner, submitted, later
):
    client.force_login(owner)

    body = client.get(compare_url(later)).content.decode()

    assert 'class="report-trend"' in body
    assert "stroke-dasharray" in body  # lines differ by pattern, not only colour
    assert "<desc" in body and "Financial resilience:" in body
    assert "Pillar scores at each submission" in body


def test_the_report_shows_the_trend_only_up_to_its_own_submission(client, owner, submitted, later):
    client.force_login(owner)

    first = client.get(reverse("reports:results", args=[submitted.pk])).context["report"]
    second = client.get(reverse("reports:results", args=[later.pk])).context["report"]

    assert first.trend is None
    assert len(second.trend.dates) == 2


def test_the_pdf_report_carries_the_trend_chart(submitted, later):
    from documents import services
    from documents.kinds import REPORT, report_html
    from tests.reports.conftest import pdf_text

    _, text = pdf_text(services.render(REPORT, report_html(later)))

    assert "Progress over time" in text
    assert "Pillar scores at each submission" in text


# One of them asks whether the reader is of the business (else the look is recorded: access_log).
COMPARE_QUERIES = 10


@pytest.mark.parametrize("bank", [MINI_FRAMEWORK, NEW_FRAMEWORK])
def test_the_comparison_takes_a_fixed_number_of_queries(
    client, owner, retail_org, bank, django_assert_max_num_queries
):
    """12 questions or 90, two submissions or four: the same queries."""
    framework_import(path=bank)
    codes = list(Question.objects.filter(framework__is_active=True).values_list("code", flat=True))
    for choice in ("0", "2", "4", "2")[: 2 if bank == MINI_FRAMEWORK else 4]:
        assessment = assessment_start(organization=retail_org, user=owner)
        answers_save(
            assessment=assessment, answers=[AnswerInput(c, choice) for c in codes], user=owner
        )
        latest = assessment_submit(assessment=assessment, user=owner)
    client.force_login(owner)

    with django_assert_max_num_queries(COMPARE_QUERIES):
        response = client.get(compare_url(latest))

    assert len(response.context["comparison"].answers) == len(codes)


def test_two_submissions_of_one_day_are_told_apart_by_their_time(client, owner, submitted, later):
    morning = later.submitted_at.replace(hour=9, minute=5)
    Assessment.objects.filter(pk=submitted.pk).update(submitted_at=morning)
    Assessment.objects.filter(pk=later.pk).update(submitted_at=morning.replace(hour=16, minute=40))
    client.force_login(owner)

    body = client.get(compare_url(later)).content.decode()

    day = f"{morning:%-d %b %Y}"
    assert f"Scores from 0 to 100 on {day}, 09:05 and {day}, 16:40" in body


def test_submissions_of_different_days_are_dated_without_the_time(client, owner, submitted, later):
    month_ago = later.submitted_at - timedelta(days=30)
    Assessment.objects.filter(pk=submitted.pk).update(submitted_at=month_ago)
    client.force_login(owner)

    body = client.get(compare_url(later)).content.decode()

    assert (
        f"Scores from 0 to 100 on {month_ago:%-d %b %Y} and {later.submitted_at:%-d %b %Y}\n"
        in body
    )
