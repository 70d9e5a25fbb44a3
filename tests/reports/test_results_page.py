"""The results page: what an owner reads after (or while) answering."""

import re

import pytest
from django.urls import reverse
from django.utils.timezone import localdate

from action_plans.models import ActionItem
from assessments.selectors import assessment_framework
from assessments.services import assessment_start, assessment_submit, framework_import
from reports.models import ReviewComment
from tests.conftest import CURRENT_FRAMEWORK, verified_login
from tests.reports.conftest import answer_all

pytestmark = pytest.mark.django_db


def results(client, user, assessment):
    if user.firm_memberships.exists():
        verified_login(client, user)  # consultants pass the second step first
    else:
        client.force_login(user)
    response = client.get(reverse("reports:results", args=[assessment.pk]))
    assert response.status_code == 200
    return response.content.decode()


def report_body(html: str) -> str:
    """The report itself, without the page chrome and the targets form's fresh CSRF token."""
    body = html[html.index('id="summary"') : html.index("</main>")]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)


def action_plan(html: str) -> str:
    start = html.index('id="action-plan"')
    return html[start : html.index('id="appendix"', start)]


def test_summary_names_the_business_sector_date_and_framework(client, owner, submitted):
    html = results(client, owner, submitted)

    assert "Corner Shop Ltd" in html
    assert "Retail" in html
    assert f"{localdate(submitted.submitted_at):%-d %B %Y}" in html
    assert "Mini Framework, version test.variants" in html
    assert "Overall score" in html
    assert f"{submitted.overall_score:.1f}" in html


def test_summary_explains_the_maturity_label(client, owner, submitted):
    html = results(client, owner, submitted)

    assert "Maturity: <strong>Initial</strong>" in html
    assert "missing the fundamentals" in html
    assert "as resilient as its weakest part" in html


def test_summary_gives_coverage_and_warns_about_many_not_applicable(client, owner, submitted):
    html = results(client, owner, submitted)

    assert "91.7% of the questions have a real answer" in html
    assert "Read these results with care" in html
    assert "Operational resilience questions were answered &#x27;not applicable&#x27;" in html


def test_radar_chart_is_an_svg_with_a_title_and_a_table_of_the_same_numbers(
    client, owner, submitted
):
    html = results(client, owner, submitted)

    svg = re.search(r"<svg[^>]*report-radar.*?</svg>", html, flags=re.S).group(0)
    assert 'role="img"' in svg
    assert '<title id="radar-title">' in svg
    assert 'aria-labelledby="radar-title radar-desc"' in svg
    assert "Operational resilience: 75" in svg
    assert "<caption>Pillar scores (the numbers behind the chart)</caption>" in html
    assert '<th scope="row">Operational resilience</th>' in html


def test_each_pillar_has_level_bars_strengths_gaps_and_a_blocker(client, owner, submitted):
    html = results(client, owner, submitted)

    for key in ("operational", "financial", "adaptive", "technology"):
        assert f'id="levels-{key}-title"' in html
        assert f'id="pillar-{key}-heading"' in html
    assert html.count("<h4>Strengths</h4>") == 4
    assert html.count("<h4>Largest gaps</h4>") == 4
    assert html.count("<h4>What blocks the next level</h4>") == 4
    assert "Done and tested" in html  # OP-I-01, a strength
    # The bars' dashed line is explained once, above the pillars.
    assert html.count("the dashed line marks 70, the score a level needs to count as met") == 1


def test_blocker_names_the_failed_level_its_score_and_the_threshold(client, owner, submitted):
    html = results(client, owner, submitted)

    operational = html[html.index('id="pillar-operational"') : html.index('id="pillar-financial"')]
    assert (
        "To reach <strong>Fundamentals</strong>, the fundamentals questions must score at least "
        "70; they score <strong>50.0</strong>."
    ) in operational
    assert "OP-F-01" in operational
    technology = html[html.index('id="pillar-technology"') : html.index('id="action-plan"')]
    assert "To reach <strong>Intermediate</strong>" in technology


def test_retail_owner_gets_the_retail_variant_and_never_the_manufacturing_one(
    client, owner, submitted
):
    plan = action_plan(results(client, owner, submitted))

    assert "Retail advice for FI-F-01" in plan
    assert "Manufacturing advice" not in plan


def test_a_question_without_a_sector_variant_falls_back_to_the_general_advice(
    client, owner, submitted
):
    plan = action_plan(results(client, owner, submitted))

    assert "General advice for TE-A-01" in plan
    assert "General advice for FI-F-01" not in plan


def test_manufacturing_owner_gets_the_manufacturing_variant(client, submit_assessment, firm):
    from tests.factories import MembershipFactory, OrganizationFactory

    org = OrganizationFactory(name="Widget Works", sector="manufacturing", firm=firm)
    owner = MembershipFactory(organization=org).user
    plan = action_plan(results(client, owner, submit_assessment(org, owner)))

    assert "Manufacturing advice for FI-F-01" in plan
    assert "Retail advice" not in plan


def test_fundamentals_gaps_come_before_intermediate_and_advanced_ones(client, owner, submitted):
    plan = action_plan(results(client, owner, submitted))

    ranks = {
        code: int(rank)
        for rank, code in re.findall(
            r'<li class="report-action">\s*(\d+)\..*?report-action-meta">(\S+)', plan, flags=re.S
        )
    }
    assert ranks == {
        "FI-F-01": 1,  # fundamentals, full gap
        "OP-F-01": 2,  # fundamentals, half gap
        "TE-I-01": 3,
        "AD-A-01": 4,  # advanced: weight x gap x sector weight decides among them
        "TE-A-01": 5,
        "FI-A-01": 6,
    }
    assert plan.index("Retail advice for OP-F-01") < plan.index("General advice for TE-A-01")


def test_action_plan_groups_by_horizon_and_shows_effort_and_question(client, owner, submitted):
    plan = action_plan(results(client, owner, submitted))

    thirty, ninety, year = (
        plan.index(t) for t in ("Next 30 days", "Next 90 days", "Next 12 months")
    )
    assert thirty < plan.index("Retail advice for FI-F-01") < ninety
    assert ninety < plan.index("Retail advice for TE-I-01") < year
    assert year < plan.index("Retail advice for AD-A-01")
    assert "effort: low" in plan and "effort: high" in plan
    assert "FI-F-01 Financial resilience Fundamentals (Financial resilience, Fundamentals)" in plan


def test_appendix_lists_every_question_with_its_answer_and_note(client, owner, submitted):
    html = results(client, owner, submitted)
    appendix = html[html.index('id="appendix"') : html.index('id="method"')]

    assert appendix.count("<dt>") == 12
    assert appendix.count("Your answer:") == 12
    assert "Not applicable" in appendix and "Don&#x27;t know" in appendix
    assert "Plan lives in Sam&#x27;s head; writing it down in May." in appendix


def test_appendix_groups_each_pillars_questions_under_their_level(client, owner, submitted):
    html = results(client, owner, submitted)
    appendix = html[html.index('id="appendix"') : html.index('id="method"')]
    operational = appendix[
        appendix.index("<h3>Operational resilience</h3>") : appendix.index("<h3>Financial")
    ]

    headings = re.findall(r"<h4>(\w+)</h4>", operational)
    codes = re.findall(r"<dt>\s*(OP-[FIA]-\d\d) ", operational)
    assert headings == ["Fundamentals", "Intermediate", "Advanced"][: len(headings)]
    assert len(headings) >= 2
    # Each code's level letter matches the heading it sits under; no question repeats its level.
    sections = re.split(r"<h4>", operational)[1:]
    for heading, section in zip(headings, sections, strict=True):
        assert all(code[3] == heading[0] for code in re.findall(r"OP-[FIA]-\d\d", section))
    assert codes and "(Fundamentals)" not in operational


def test_how_scores_are_calculated_uses_the_framework_threshold_and_sector_weights(
    client, owner, submitted
):
    html = results(client, owner, submitted)
    method = html[html.index('id="method"') :]

    assert "How scores are calculated" in method
    assert "at least 70" in method
    assert "Operational resilience × 1.1" in method


def test_consultant_comments_appear_only_when_there_are_some(client, owner, submitted):
    assert "Consultant comments" not in results(client, owner, submitted)

    ReviewComment.objects.create(
        assessment=submitted, pillar_key="financial", text="Agree an overdraft facility."
    )
    html = results(client, owner, submitted)
    assert "Consultant comments" in html
    assert "Agree an overdraft facility." in html
    assert "Financial resilience" in html[html.index('id="comments"') :]


def test_submitted_report_is_read_from_the_stored_snapshot(client, owner, submitted):
    submitted.result = {**submitted.result, "overall": 12.345}
    submitted.save(update_fields=["result"])

    html = results(client, owner, submitted)

    assert "12.3" in html


def test_a_new_framework_version_does_not_change_a_submitted_report(
    client, owner, submitted, mini_framework_data, write_framework
):
    before = report_body(results(client, owner, submitted))
    data = mini_framework_data
    data["version"] = "test.later"
    for question in data["questions"]:
        question["recommendations"]["retail"] = "Rewritten advice."
    framework_import(path=write_framework(data, "later.yaml"))

    assert report_body(results(client, owner, submitted)) == before


def test_results_page_is_never_cached(client, owner, submitted):
    client.force_login(owner)
    response = client.get(reverse("reports:results", args=[submitted.pk]))

    assert "no-store" in response["Cache-Control"]


def test_submitted_results_offer_the_pdf(client, owner, submitted):
    html = results(client, owner, submitted)

    assert reverse("documents:report_pdf", args=[submitted.pk]) in html
    assert "Provisional" not in html


class TestInProgress:
    def test_results_are_marked_provisional_in_the_title_and_a_banner(
        self, client, owner, in_progress
    ):
        html = results(client, owner, in_progress)

        title = re.search(r"<title>(.*?)</title>", html, flags=re.S).group(1)
        assert "Provisional results" in title
        assert "<strong>Provisional results.</strong>" in html
        assert "still in progress" in html
        assert "Results as of" in html

    def test_provisional_results_offer_no_pdf_but_a_way_back_to_the_questions(
        self, client, owner, in_progress
    ):
        html = results(client, owner, in_progress)

        assert reverse("documents:report_pdf", args=[in_progress.pk]) not in html
        assert reverse("questionnaire:continue", args=[in_progress.pk]) in html

    def test_a_pillar_with_nothing_answered_is_not_called_advanced(
        self, client, owner, in_progress
    ):
        html = results(client, owner, in_progress)
        adaptive = html[html.index('id="pillar-adaptive"') : html.index('id="pillar-technology"')]

        assert "Not scored yet" in adaptive
        assert "Advanced" not in adaptive.split("<figure")[0]
        assert "Nothing to score in this pillar yet" in adaptive

    def test_a_consultant_sees_provisional_results_without_the_continue_button(
        self, client, consultant, in_progress
    ):
        html = results(client, consultant, in_progress)

        assert "Provisional results" in html
        assert reverse("questionnaire:continue", args=[in_progress.pk]) not in html


def test_a_reassessment_says_how_many_actions_its_answers_closed_and_opened(
    client, owner, retail_org, submitted, submit_assessment
):
    from tests.reports.conftest import MINI_ANSWERS

    raised = {"OP-F-01": "4", "FI-F-01": "4", "TE-I-01": "4", "OP-I-01": "2"}
    second = submit_assessment(retail_org, owner, {**MINI_ANSWERS, **raised})
    html = results(client, owner, second)
    assert "Since the last assessment: 3 actions closed by these answers, 1 new." in html
    assert "3 of 7 actions done" in html
    # Said in view, before the folds, naming the actions the answers closed.
    note = html[html.index('id="since-last"') : html.index("report-fold")]
    assert "3 actions closed by your answers" in note
    assert "1 new action joined the plan" in note
    titles = ActionItem.objects.filter(organization=retail_org, status="done")
    assert titles.count() == 3
    assert all(item.title in note for item in titles)


def test_a_reassessment_names_the_actions_it_reopened(
    client, owner, retail_org, submitted, submit_assessment
):
    from tests.reports.conftest import MINI_ANSWERS

    raised = {"OP-F-01": "4", "FI-F-01": "4"}
    submit_assessment(retail_org, owner, {**MINI_ANSWERS, **raised})
    third = submit_assessment(retail_org, owner, {**MINI_ANSWERS, **raised, "OP-F-01": "2"})
    html = results(client, owner, third)
    summary = "Since the last assessment: 0 actions closed by these answers, 0 new, 1 reopened."
    assert summary in html
    note = html[html.index('id="since-last"') : html.index("report-fold")]
    reopened = ActionItem.objects.get(organization=retail_org, question_code="OP-F-01")
    assert "1 action reopened: your answer met it last time and no longer does." in " ".join(
        note.split()
    )
    assert f"<li>{reopened.title}</li>" in note


def test_a_first_assessment_says_nothing_of_a_last_time(client, owner, submitted):
    assert "Since the last assessment" not in results(client, owner, submitted)


def test_the_score_comes_first_and_the_long_reference_sections_start_folded(
    client, owner, submitted
):
    """On a phone the page ran to 55,000 px with the targets form before the score."""
    client.force_login(owner)

    body = client.get(reverse("reports:results", args=[submitted.pk])).content.decode()

    assert body.index('id="summary"') < body.index('id="targets"')
    folds = re.findall(r'<details class="report-fold">\s*<summary>([^<]+)</summary>', body)
    assert [fold.split(":")[0] for fold in folds] == [
        "The action plan in full",
        "Where the action plan stands",
        "Your answers",
    ]


def test_the_pdf_prints_every_section_open(submitted):
    from documents.kinds import report_html

    html = report_html(submitted)

    assert "<details" not in html
    assert 'id="action-plan"' in html and 'id="appendix"' in html


def test_each_action_of_a_2026_3_report_leads_with_its_title_and_lists_its_steps(
    client, owner, retail_org
):
    framework_import(path=CURRENT_FRAMEWORK)
    assessment = assessment_start(organization=retail_org, user=owner)
    codes = list(assessment.framework.questions.values_list("code", flat=True))
    asked = [code for code in codes if code in assessment_framework(assessment).questions_by_id]
    answer_all(assessment, owner, {code: "0" for code in asked}, {})
    assessment = assessment_submit(assessment=assessment, user=owner)

    html = results(client, owner, assessment)

    plan = html[html.index('id="action-plan"') :]
    first = plan[plan.index('<li class="report-action">') :].split("report-action-meta")[0]
    title = re.search(r"<strong>(.+?)</strong>", first).group(1)
    assert title in {q.title for q in assessment_framework(assessment).questions}
    assert '<ul class="advice"><li>This month,' in first
    assert '<span class="advice-done">Done when:' in first
