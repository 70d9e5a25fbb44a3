"""The plan's workflows: tracking the report's actions, status changes, targets, own actions."""

from datetime import date, timedelta

import pytest

from action_plans import services
from action_plans.models import ActionItem, ActionItemEvent, Target
from assessments.services import assessment_start
from core.errors import ServiceError
from tests.reports.conftest import MINI_ANSWERS, answer_all

pytestmark = pytest.mark.django_db

GAPS = {"OP-F-01", "FI-F-01", "FI-A-01", "AD-A-01", "TE-I-01", "TE-A-01"}


def change(item, **fields):
    return services.ItemChange(**{"status": item.status, "revision": item.revision, **fields})


def test_submitting_tracks_every_ranked_action_of_the_report(items):
    assert set(items) == GAPS
    assert all(i.status == ActionItem.Status.TODO for i in items.values())


def test_a_new_submission_tops_the_plan_up_and_keeps_what_was_tracked(
    submit, organization, owner, items
):
    services.action_item_update(
        item=items["FI-F-01"], user=owner, change=change(items["FI-F-01"], status="done")
    )
    submit(organization, owner, {**MINI_ANSWERS, "FI-F-01": "4", "OP-I-01": "2"})
    after = {i.question_code: i for i in ActionItem.objects.filter(organization=organization)}
    assert set(after) == GAPS | {"OP-I-01"}
    assert after["FI-F-01"].status == ActionItem.Status.DONE
    assert ActionItem.objects.filter(organization=organization).count() == len(GAPS) + 1


def test_marking_done_records_the_date_and_the_author(owner, items):
    item = services.action_item_update(
        item=items["OP-F-01"], user=owner, change=change(items["OP-F-01"], status="done")
    )
    assert item.done_at is not None
    event = ActionItemEvent.objects.get(item=item, assessment=None)
    assert (event.author, event.status) == (owner, "done")


def test_reopening_an_action_clears_its_done_date(owner, items):
    item = items["OP-F-01"]
    item = services.action_item_update(item=item, user=owner, change=change(item, status="done"))
    item = services.action_item_update(item=item, user=owner, change=change(item, status="doing"))
    assert item.done_at is None
    assert list(item.events.values_list("status", flat=True)) == ["todo", "done", "doing"]


def test_a_status_change_from_a_stale_page_is_refused_and_changes_nothing(owner, items):
    item = items["OP-F-01"]
    page_revision = item.revision
    services.action_item_update(item=item, user=owner, change=change(item, status="doing"))
    with pytest.raises(services.StaleItem) as refused:
        services.action_item_update(
            item=item, user=owner, change=change(item, status="done", revision=page_revision)
        )
    assert "now “Doing”" in refused.value.message
    assert ActionItem.objects.get(pk=item.pk).status == "doing"


def test_wont_do_needs_a_reason(owner, items):
    item = items["TE-A-01"]
    with pytest.raises(ServiceError, match="Say why"):
        services.action_item_update(item=item, user=owner, change=change(item, status="wont_do"))
    item = services.action_item_update(
        item=item, user=owner, change=change(item, status="wont_do", reason="No servers left.")
    )
    assert item.reason == "No servers left."


def test_text_limits_are_enforced_with_a_clear_message(owner, items):
    item = items["TE-A-01"]
    with pytest.raises(ServiceError, match=r"Keep the note under 2000 characters \(it has 2001\)"):
        services.action_item_update(item=item, user=owner, change=change(item, note="x" * 2001))


def test_a_due_date_in_the_past_is_allowed_and_counts_as_overdue(owner, items):
    item = items["OP-F-01"]
    item = services.action_item_update(
        item=item, user=owner, change=change(item, due_date=date.today() - timedelta(days=3))
    )
    assert item.is_overdue


def test_own_actions_are_added_and_a_tracked_gap_is_not_duplicated(
    organization, owner, consultant, firm, items
):
    own = services.action_item_add(
        organization=organization, user=consultant, title="Check the insurance", firm=firm
    )
    assert (own.question_code, own.firm) == ("", firm)
    again = services.action_item_add(
        organization=organization, user=owner, title="Anything", question_code="OP-F-01"
    )
    assert again.pk == items["OP-F-01"].pk
    with pytest.raises(ServiceError, match="Say what the action is"):
        services.action_item_add(organization=organization, user=owner, title="  ")


def test_targets_are_set_for_every_pillar_and_bad_levels_are_refused(
    organization, owner, submitted
):
    levels = {"operational": 2, "financial": 1, "adaptive": 3, "technology": 2}
    services.targets_set(
        organization=organization, user=owner, levels=levels, target_date=date(2026, 12, 31)
    )
    assert dict(Target.objects.values_list("pillar_key", "maturity_index")) == levels
    with pytest.raises(ServiceError, match="between Fundamentals and Advanced"):
        services.targets_set(
            organization=organization,
            user=owner,
            levels={**levels, "financial": 4},
            target_date=None,
        )
    assert Target.objects.get(pillar_key="financial").maturity_index == 1


def test_targets_need_a_submitted_assessment(organization, owner, mini_framework):
    assessment_start(organization=organization, user=owner)
    with pytest.raises(ServiceError, match="Submit an assessment first"):
        services.targets_set(organization=organization, user=owner, levels={}, target_date=None)


def test_an_in_progress_assessment_changes_nothing_in_the_plan(organization, owner, items):
    answer_all(assessment_start(organization=organization, user=owner), owner, {"OP-I-01": "0"}, {})
    assert ActionItem.objects.filter(organization=organization).count() == len(GAPS)


def test_a_question_that_replaces_an_older_one_takes_over_its_item(
    organization, owner, items, mini_framework_data, write_framework
):
    from assessments.services import assessment_submit, framework_import

    data = mini_framework_data
    data["version"] = "test.2"
    for question in data["questions"]:
        if question["id"] == "FI-F-01":
            question["id"], question["replaces"] = "FI-F-01b", ["FI-F-01"]
    framework_import(path=write_framework(data))
    item = items["FI-F-01"]
    services.action_item_update(item=item, user=owner, change=change(item, status="doing"))
    assessment = assessment_start(organization=organization, user=owner)
    answers = {("FI-F-01b" if c == "FI-F-01" else c): v for c, v in MINI_ANSWERS.items()}
    answer_all(assessment, owner, answers, {})
    assessment_submit(assessment=assessment, user=owner)
    item.refresh_from_db()
    assert (item.question_code, item.status) == ("FI-F-01b", "doing")
    assert not ActionItem.objects.filter(
        organization=organization, question_code="FI-F-01"
    ).exists()


# --- A re-assessment closes what it fixed -----------------------------------------------

RAISED = {"OP-F-01": "4", "FI-F-01": "4", "TE-I-01": "4"}


def test_a_reassessment_closes_each_open_action_its_answers_now_meet(
    submit, organization, owner, items
):
    item = items["TE-I-01"]
    services.action_item_update(item=item, user=owner, change=change(item, status="doing"))
    second = submit(organization, owner, {**MINI_ANSWERS, **RAISED})
    after = {i.question_code: i for i in ActionItem.objects.filter(organization=organization)}
    assert {code for code, i in after.items() if i.status == "done"} == set(RAISED)
    assert all(after[code].done_at == second.submitted_at for code in RAISED)
    assert {code for code, i in after.items() if i.is_open} == GAPS - set(RAISED)
    closing = ActionItemEvent.objects.get(item=after["FI-F-01"], assessment=second)
    assert (closing.status, closing.author) == ("done", owner)


def test_an_action_closed_by_hand_or_not_met_by_the_answers_is_left_alone(
    submit, organization, owner, items
):
    item = items["FI-A-01"]
    services.action_item_update(
        item=item, user=owner, change=change(item, status="wont_do", reason="No lender.")
    )
    # FI-A-01 now at the top, FI-F-01 higher but not at the top, AD-A-01 still "don't know".
    submit(organization, owner, {**MINI_ANSWERS, "FI-A-01": "4", "FI-F-01": "2"})
    after = {
        i.question_code: i.status for i in ActionItem.objects.filter(organization=organization)
    }
    assert (after["FI-A-01"], after["FI-F-01"], after["AD-A-01"]) == ("wont_do", "todo", "todo")


def test_a_reassessment_records_the_actions_it_opened_for_new_gaps(
    submit, organization, owner, items
):
    second = submit(organization, owner, {**MINI_ANSWERS, "OP-I-01": "2"})
    new = ActionItem.objects.get(organization=organization, question_code="OP-I-01")
    assert list(new.events.values_list("status", "assessment")) == [("todo", second.pk)]


def test_a_done_action_whose_answer_falls_from_the_top_is_reopened(
    submit, organization, owner, items
):
    submit(organization, owner, {**MINI_ANSWERS, **RAISED})  # closes the three
    third = submit(organization, owner, {**MINI_ANSWERS, **RAISED, "OP-F-01": "2"})

    after = {i.question_code: i for i in ActionItem.objects.filter(organization=organization)}
    assert (after["OP-F-01"].status, after["OP-F-01"].done_at) == ("todo", None)
    assert (after["FI-F-01"].status, after["TE-I-01"].status) == ("done", "done")
    reopening = after["OP-F-01"].events.get(assessment=third)
    assert reopening.reopened and (reopening.status, reopening.author) == ("todo", owner)
    assert not ActionItemEvent.objects.filter(assessment=third).exclude(pk=reopening.pk).exists()


def test_done_by_hand_below_the_top_or_wont_do_stays_as_the_owner_left_it(
    submit, organization, owner, items
):
    # FI-F-01 marked done though its answer is 0: a new answer still short of the top says
    # nothing new. OP-F-01 reached the top, then "won't do"; its fall leaves that alone.
    by_hand = items["FI-F-01"]
    services.action_item_update(item=by_hand, user=owner, change=change(by_hand, status="done"))
    submit(organization, owner, {**MINI_ANSWERS, "OP-F-01": "4"})
    dropped = ActionItem.objects.get(organization=organization, question_code="OP-F-01")
    services.action_item_update(
        item=dropped, user=owner, change=change(dropped, status="wont_do", reason="Sold the van.")
    )
    submit(organization, owner, {**MINI_ANSWERS, "FI-F-01": "2"})

    after = {
        i.question_code: i.status for i in ActionItem.objects.filter(organization=organization)
    }
    assert (after["FI-F-01"], after["OP-F-01"]) == ("done", "wont_do")


def test_the_plan_counts_actions_closed_by_answers_as_done(submit, organization, owner, items):
    from action_plans.selectors import organization_action_plan

    submit(organization, owner, {**MINI_ANSWERS, **RAISED})
    plan = organization_action_plan(organization)
    assert (plan.done, plan.total) == (len(RAISED), len(GAPS))


# --- Every change is in the history -------------------------------------------------------


def test_every_change_to_an_item_is_in_its_history(owner, items):
    item = items["OP-F-01"]
    item = services.action_item_update(
        item=item,
        user=owner,
        change=change(item, assignee="Sam", due_date=date(2027, 1, 15), note="Ask the bank."),
    )
    event = item.events.get(kind="edit")
    assert event.author == owner
    assert event.changes == {
        "assignee": ["", "Sam"],
        "due_date": [None, "2027-01-15"],
        "note": ["", "Ask the bank."],
    }
    services.action_item_update(item=item, user=owner, change=change(item, assignee="Sam"))
    item.refresh_from_db()
    assert item.events.filter(kind="edit").count() == 2  # cleared due date and note
    assert item.events.latest("pk").changes == {
        "due_date": ["2027-01-15", None],
        "note": ["Ask the bank.", ""],
    }


def test_saving_an_item_unchanged_adds_nothing_to_its_history(owner, items):
    item = items["OP-F-01"]
    services.action_item_update(item=item, user=owner, change=change(item))
    assert list(item.events.values_list("kind", "status")) == [("status", "todo")]  # opened


def test_edits_do_not_count_towards_the_comment_limit(owner, consultant, firm, items, settings):
    item = items["OP-F-01"]
    item = services.action_item_update(item=item, user=owner, change=change(item, note="x"))
    services.action_item_comment(item=item, user=consultant, firm=firm, text="Good start.")
    assert item.events.filter(kind="comment").count() == 1


# --- Titles ------------------------------------------------------------------------------


def test_each_action_takes_its_questions_own_title(items):
    assert items["OP-F-01"].title == "Write down the operational fundamentals"
    assert len({item.title for item in items.values()}) == len(items)


def test_an_action_tracked_under_the_old_title_takes_the_questions_on_the_next_submission(
    submit, organization, owner, items
):
    ActionItem.objects.filter(pk=items["FI-A-01"].pk).update(title="Financial resilience Advanced")
    submit(organization, owner)
    assert ActionItem.objects.get(pk=items["FI-A-01"].pk).title == (
        "Write down the financial advanced"
    )
