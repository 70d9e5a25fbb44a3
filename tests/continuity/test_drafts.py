"""The draft's content and the gaps it reveals: plain functions, no database."""

import pytest

import scoring
from continuity import drafts
from continuity.forms import PART_FORMS
from continuity.models import PlanPart
from tests.conftest import FULL_FRAMEWORK, NEW_FRAMEWORK


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
    known = set()
    for path in (FULL_FRAMEWORK, NEW_FRAMEWORK):
        known |= {q.id for q in scoring.load_framework_file(path).questions}
    content = drafts.draft_content()
    assert content.rules
    for rule in content.rules:
        assert rule.part in PlanPart.Key.values, rule
        assert set(rule.question_ids) <= known, rule
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
