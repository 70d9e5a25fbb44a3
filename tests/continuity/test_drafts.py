"""The draft's content and the gaps it reveals: plain functions, no database."""

import pytest

import scoring
from continuity import drafts
from continuity.forms import PART_FORMS
from continuity.models import PlanPart
from tests.conftest import FULL_FRAMEWORK, NEW_FRAMEWORK

from .conftest import framework_2026_3


def gaps_for(path, answers, sector="retail"):
    framework = scoring.load_framework_file(path)
    return drafts.plan_gaps(framework, scoring.score(framework, answers, sector))


@pytest.mark.parametrize("path", [FULL_FRAMEWORK, NEW_FRAMEWORK])
def test_no_alternate_supplier_and_no_tested_restore_become_tasks_in_both_versions(path):
    gaps = gaps_for(path, {"OP-F-04": 0, "TE-F-02": "dont_know", "TE-F-01": 4})
    by_question = {gap.question_id: gap for gap in gaps}
    assert by_question["OP-F-04"].part == "suppliers"
    assert by_question["OP-F-04"].answer == "No alternative for any key item"
    assert by_question["TE-F-02"].part == "data"
    assert "Test the restore" in by_question["TE-F-02"].task
    assert by_question["TE-F-02"].answer == "Don't know"
    assert "TE-F-01" not in by_question  # off-site daily backups are no gap


def test_a_question_renamed_in_2026_2_still_reveals_its_gap():
    gaps = gaps_for(NEW_FRAMEWORK, {"OP-I-09": 0, "OP-F-07": 1})
    assert {(g.question_id, g.part) for g in gaps} == {
        ("OP-I-09", "premises"),
        ("OP-F-07", "activities"),
    }


def test_good_and_not_applicable_answers_reveal_no_gap():
    assert gaps_for(FULL_FRAMEWORK, {"OP-F-04": 3, "TE-F-02": 2, "OP-A-06": "na"}) == []
    assert drafts.plan_gaps(scoring.load_framework_file(FULL_FRAMEWORK), None) == []


@pytest.mark.parametrize("sector", ["manufacturing", "service", "retail", "technology", "general"])
def test_every_sector_gets_three_disruptions_with_steps_for_each_period(sector):
    parts = drafts.draft_parts(sector=sector, business="Acme", answers={}, gaps=[])
    scenarios = parts["checklists"]["rows"]
    assert len(scenarios) == 3
    for row in scenarios:
        assert row["disruption"]
        assert all(row[period].strip() for period in ("first_hour", "first_day", "first_week"))
    assert parts["activities"]["rows"]
    assert "Acme" in parts["communications"]["customers"]


def test_an_unknown_sector_gets_the_general_checklists():
    parts = drafts.draft_parts(sector="fishing", business="Acme", answers={}, gaps=[])
    assert (
        parts["checklists"]
        == drafts.draft_parts(sector="general", business="Acme", answers={}, gaps=[])["checklists"]
    )


def test_the_draft_quotes_the_answers_it_was_written_from():
    parts = drafts.draft_parts(
        sector="retail",
        business="Acme",
        answers={"TE-F-01": "Manual backups now and then"},
        gaps=[drafts.PlanGap("suppliers", "OP-F-04", "Name an alternate", "No alternative")],
    )
    assert parts["data"]["backups"] == "Your assessment says: Manual backups now and then."
    assert "no second supplier" in parts["suppliers"]["rows"][0]["alternate"]


def test_the_draft_file_names_real_parts_and_questions_of_the_shipped_banks():
    banks = [scoring.load_framework_file(p) for p in (FULL_FRAMEWORK, NEW_FRAMEWORK)]
    banks.append(framework_2026_3())
    ladders = {q.id: {o.value for o in q.options} for bank in banks for q in bank.questions}
    ids_2026_2 = {q.id for q in banks[1].questions}
    ids_2026_3 = {q.id for q in banks[2].questions}
    content = drafts.draft_content()
    assert content.rules
    for rule in content.rules:
        assert rule.part in PlanPart.Key.values, rule
        assert set(rule.question_ids) <= set(ladders), rule
        # Every rule still acts on an assessment answered on the newest bank.
        if ids_2026_2 & set(rule.question_ids):
            assert ids_2026_3 & set(rule.question_ids), rule.task
        for qid in rule.question_ids:
            assert rule.at_most[qid] in ladders[qid], (qid, rule.task)
    for sector, rows in content.scenarios.items():
        assert len(rows) == 3 and all(all(step.strip() for step in row) for row in rows), sector
        assert sector in content.activities


def test_what_each_rule_says_does_its_task_is_a_field_of_its_part():
    for rule in drafts.draft_content().rules:
        if rule.fills is None:
            continue
        spec = PART_FORMS[rule.part]
        form = spec.fields_form if "field" in rule.fills else spec.row_form
        name = rule.fills.get("field") or rule.fills["column"]
        assert form is not None and name in form.base_fields, rule.task
        if "role" in rule.fills:
            assert rule.fills["role"] in dict(form.base_fields["role"].choices), rule.task


def test_a_gap_is_done_by_the_owners_own_text_never_by_the_drafts():
    gap = drafts.PlanGap("data", "TE-F-01", "Keep a copy off-site.", "x", {"field": "backups"})
    assert not gap.done_in({"backups": ""})
    assert not gap.done_in({"backups": "Your assessment says: Regular backups."})
    assert gap.done_in({"backups": "USB disk kept at home"})
    it = drafts.PlanGap("contacts", "TE-I-05", "Find IT.", "x", {"column": "phone", "role": "it"})
    assert not it.done_in({"rows": [{"role": "bank", "phone": "0800 1"}]})
    assert not it.done_in({"rows": [{"role": "it", "phone": ""}]})
    assert it.done_in({"rows": [{"role": "it", "phone": "0161 496 0000"}]})


# Bank 2026.3 (issue 25) renumbered most questions the plan acts on, and rewrote some ladders:
# each row is a 2026.2 question, the 2026.3 question that asks the same, the weakest 2026.3
# answer the plan still acts on, and the next better one, which it leaves alone.
SAME_WEAK_STATE_IN_2026_3 = [
    ("OP-F-04", "OP-F-14", "Other suppliers known, but none contacted",
     "A second supplier contacted for some key items"),
    ("OP-A-03", "OP-A-10", "None, and no test order placed with a second supplier",
     "None yet, but a test order placed with a second supplier in the last 2 years"),
    ("TE-F-02", "TE-F-02", "More than a year ago", "In the last 12 months"),
    ("TE-F-01", "TE-F-13", "Copies made now and then, or kept in the same place as the originals",
     "A copy at least every week in a separate place, but not automatic and daily"),
    ("TE-I-10", "TE-I-15", "A day or less, but we have not decided how much we could redo",
     "A day or less, and no more than we have decided we could redo"),
    ("OP-F-02", "OP-F-12", "A list that has not been checked in the last 12 months",
     "A list checked in the last 12 months, with only one copy"),
    ("TE-I-05", "TE-I-13", "A friend or family member, when free",
     "A paid helper or a provider's support line, with no agreed response time"),
    ("OP-I-01", "OP-I-13", "A rough idea for the business as a whole",
     "Written down for some main activities"),
    ("OP-F-07", "OP-F-15", "Fewer than half of the key tasks have a second person",
     "Half or more of the key tasks have a second person"),
    ("OP-I-09", "OP-I-19", "Some ideas, but no place found",
     "Possible places found, but nothing agreed"),
    ("OP-F-09", "OP-F-18", "Extinguishers and marked exits, but no fire risk assessment",
     "A fire risk assessment, but staff do not all know the plan"),
    ("OP-I-02", "OP-I-14", "Between 12 months and 2 years ago", "In the last 12 months"),
    ("AD-F-06", "AD-F-08",
     "We could reach some of them from numbers scattered across phones and emails",
     "A contact list of booked or key customers and key suppliers, which we can open from a phone"),
]  # fmt: skip


def gaps_answered(framework, labels, sector="retail"):
    """The plan's gaps for an owner who chose these options (by the label they read)."""
    answers = {}
    for qid, label in labels.items():
        options = framework.question(qid).options
        answers[qid] = next(o.value for o in options if o.label == label)
    return drafts.plan_gaps(framework, scoring.score(framework, answers, sector))


@pytest.mark.parametrize(("old_id", "new_id", "weak", "better"), SAME_WEAK_STATE_IN_2026_3)
def test_an_owner_on_2026_3_gets_the_task_2026_2_gave_for_the_same_weak_answer(
    old_id, new_id, weak, better
):
    (before,) = gaps_for(NEW_FRAMEWORK, {old_id: 0})
    (now,) = gaps_answered(framework_2026_3(), {new_id: weak})
    assert (now.part, now.task, now.answer) == (before.part, before.task, weak)
    assert gaps_answered(framework_2026_3(), {new_id: better}) == []


def test_an_owner_on_2026_3_whose_files_are_only_synced_is_asked_for_a_copy_outside_the_building():
    synced = "No backup, or only files synced to a cloud drive"
    (gap,) = gaps_answered(framework_2026_3(), {"TE-F-13": synced})
    assert (gap.part, gap.task) == ("data", "Keep a copy of the backup outside the building.")
    assert gap.done_in({"backups": "Weekly copy on a USB disk kept at home"})


def test_first_aid_answers_do_not_ask_for_an_evacuation_point_in_2026_3():
    nobody = "No one trained, and no first aid kit checked"
    assert gaps_answered(framework_2026_3(), {"OP-F-19": nobody}) == []


def test_a_draft_from_a_2026_3_assessment_quotes_the_answers_its_fields_ask_about():
    answers = {
        "TE-F-13": "Copies made now and then, or kept in the same place as the originals",
        "TE-F-02": "Never",
        "TE-I-15": "Between a day and a week of work",
        "OP-F-19": "A first aid kit, but no one trained",
        "OP-F-18": "Extinguishers and marked exits, but no fire risk assessment",
        "OP-I-19": "Some ideas, but no place found",
    }
    parts = drafts.draft_parts(sector="retail", business="Acme", answers=answers, gaps=[])
    assert parts["data"] == {
        "backups": f"Your assessment says: {answers['TE-F-13']}.",
        "restore": "Last test of a restore, in your assessment: Never.",
        "passwords": "",
        "recovery_point": "Your assessment says: Between a day and a week of work.",
    }
    assert parts["premises"] == {
        "evacuation_point": f"Your assessment says: {answers['OP-F-18']}.",
        "shutoffs": "",
        "alternate_site": "Your assessment says: Some ideas, but no place found.",
    }


@pytest.mark.parametrize(
    ("question", "answer", "part", "task_starts"),
    [
        ("AD-F-09", "Staff numbers are on my phone only", "contacts", "Put every member of staff"),
        ("OP-F-13", "We know what we would do, but nothing is written", "checklists",
         "Add steps for losing power"),
        ("OP-I-22", "We know what the others depend on, but nothing is written", "premises",
         "Write down what each site"),
    ],
)  # fmt: skip
def test_new_2026_3_questions_whose_next_step_is_in_the_plan_become_tasks_there(
    question, answer, part, task_starts
):
    (gap,) = gaps_answered(framework_2026_3(), {question: answer})
    assert gap.part == part and gap.task.startswith(task_starts)


def test_staff_in_the_call_tree_each_with_a_phone_number_close_the_staff_contact_gap():
    (gap,) = gaps_answered(
        framework_2026_3(), {"AD-F-09": "No list of staff numbers; we would hunt for them"}
    )
    assert not gap.done_in({"rows": [{"role": "landlord", "phone": "0161 496 0001"}]})
    assert not gap.done_in({"rows": [{"role": "staff", "name": "Ben", "phone": ""}]})
    assert gap.done_in({"rows": [{"role": "staff", "name": "Ben", "phone": "07700 900123"}]})


def test_a_rule_may_name_its_weak_answers_per_question_and_must_name_them_for_each():
    rows = [{"questions": ["TE-F-01", "TE-F-13"], "at_most": {"TE-F-01": 2, "TE-F-13": 1},
             "part": "data", "task": "Keep a copy."}]  # fmt: skip
    (rule,) = drafts.read_rules(rows)
    assert rule.at_most == {"TE-F-01": 2, "TE-F-13": 1}
    rows[0]["at_most"] = {"TE-F-01": 2}
    with pytest.raises(ValueError, match=r"'Keep a copy\.'.*TE-F-13"):
        drafts.read_rules(rows)
    rows[0]["at_most"] = {"TE-F-01": 2, "TE-F-13": 1, "OP-F-99": 1}
    with pytest.raises(ValueError, match=r"OP-F-99"):
        drafts.read_rules(rows)
