"""A framework file's profile fields: read, refused when wrong, and the bank tailored by them."""

import json

import pytest
import yaml

from scoring import ScoringInputError, framework_from_dict, framework_to_dict, score
from scoring.loader import load_framework_file
from tests.conftest import DATA_DIR, FULL_FRAMEWORK, NEW_FRAMEWORK
from tests.scoring.builders import schema_dict
from tests.scoring.test_cli import run_cli

PROFILE_FRAMEWORK = DATA_DIR / "framework-profile.yaml"
AGENCY = {"no_premises": True}
BAKERY = {"several_sites": True, "makes_goods": True, "card_in_person": True}


def with_first_question(**fields) -> dict:
    data = schema_dict()
    data["questions"][0].update(fields)
    return data


def test_the_profile_fields_of_a_question_are_read_from_the_file():
    fw = load_framework_file(PROFILE_FRAMEWORK)

    premises = fw.question("OP-F-01")
    assert premises.applies_when == {"no_premises": False}
    assert premises.about_site is True
    assert fw.question("OP-F-03").applies_when == {}
    assert fw.question("OP-F-03").about_site is False


def test_advice_keyed_by_a_trait_keeps_the_files_order():
    machine = load_framework_file(PROFILE_FRAMEWORK).question("OP-I-01")

    assert list(machine.recommendations) == ["general", "makes_goods", "card_in_person"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"applies_when": {"has_vans": True}},
            "question 'OP-F-01': applies_when names unknown trait 'has_vans'",
        ),
        (
            {"applies_when": {"works_away": "yes"}},
            "question 'OP-F-01': applies_when 'works_away' must be true or false",
        ),
        (
            {"applies_when": ["works_away"]},
            "question 'OP-F-01': applies_when must map traits to true or false",
        ),
        ({"about_site": "yes"}, "question 'OP-F-01': about_site must be true or false"),
    ],
)
def test_a_wrong_profile_field_is_refused_naming_the_question(fields, message):
    with pytest.raises(ScoringInputError) as error:
        framework_from_dict(with_first_question(**fields))

    assert str(error.value).startswith(message)
    assert "\n" not in str(error.value)


def test_advice_under_a_key_that_is_neither_sector_nor_trait_is_refused():
    data = schema_dict()
    data["questions"][0]["recommendations"]["has_kitchen"] = "Clean the oven."

    with pytest.raises(
        ScoringInputError,
        match=r"'OP-F-01': recommendation for 'has_kitchen', which is neither a sector nor a trait",
    ):
        framework_from_dict(data)


def test_the_export_round_trips_the_profile_fields():
    fw = load_framework_file(PROFILE_FRAMEWORK)

    again = framework_from_dict(json.loads(json.dumps(framework_to_dict(fw))))

    assert framework_to_dict(again) == framework_to_dict(fw)
    assert again.question("OP-F-01").applies_when == {"no_premises": False}
    assert list(again.question("OP-I-01").recommendations) == [
        "general",
        "makes_goods",
        "card_in_person",
    ]


@pytest.mark.parametrize("path", [FULL_FRAMEWORK, NEW_FRAMEWORK])
def test_an_older_bank_exports_without_profile_fields(path):
    exported = framework_to_dict(load_framework_file(path))

    assert not any("applies_when" in q or "about_site" in q for q in exported["questions"])


def test_a_business_without_premises_is_not_asked_the_premises_questions():
    fw = load_framework_file(PROFILE_FRAMEWORK)

    asked = fw.for_profile(AGENCY)

    assert "OP-F-01" not in asked.questions_by_id
    assert "TE-I-01" not in asked.questions_by_id
    assert "OP-F-03" in asked.questions_by_id
    assert [q.id for q, _ in fw.not_asked(AGENCY)] == ["OP-F-01", "OP-F-02", "OP-I-02", "TE-I-01"]


def test_a_question_asked_anyway_is_back_in_the_bank():
    fw = load_framework_file(PROFILE_FRAMEWORK)

    asked = fw.for_profile(AGENCY, also=["OP-F-01"])

    assert "OP-F-01" in asked.questions_by_id
    assert "OP-F-01" not in [q.id for q, _ in fw.not_asked(AGENCY, also=["OP-F-01"])]


def test_a_question_not_asked_is_not_scored_even_when_an_answer_is_stored():
    fw = load_framework_file(PROFILE_FRAMEWORK)
    answers = {q.id: 4 for q in fw.questions} | {"OP-F-01": 0}

    result = score(fw.for_profile(AGENCY), answers, "technology")

    assert result.pillars["operational"].score == 100.0
    assert result.coverage == 100.0


def test_questions_not_asked_do_not_count_towards_the_not_applicable_warning():
    fw = load_framework_file(PROFILE_FRAMEWORK)
    asked = fw.for_profile(AGENCY)
    answers = {q.id: 4 for q in asked.questions}

    result = score(asked, answers, "technology")

    assert result.warnings == ()
    assert result.pillars["technology"].na_share == 0.0


def test_the_bakery_gets_the_kitchens_advice_on_her_key_machine():
    machine = load_framework_file(PROFILE_FRAMEWORK).question("OP-I-01")

    assert "ovens and chillers" in machine.recommendation("retail", BAKERY)
    assert "spare card reader" in machine.recommendation("retail", {"card_in_person": True})
    assert machine.recommendation("retail") == machine.recommendations["general"]


def test_a_business_of_no_listed_sector_still_gets_its_traits_advice():
    machine = load_framework_file(PROFILE_FRAMEWORK).question("OP-I-01")

    assert "ovens and chillers" in machine.recommendation("general", {"makes_goods": True})


def test_the_cli_scores_with_the_traits_it_is_given(tmp_path):
    fw = load_framework_file(PROFILE_FRAMEWORK)
    answers = {q.id: 4 for q in fw.questions} | {"OP-F-01": 0}
    (tmp_path / "answers.json").write_text(json.dumps(answers))

    with_premises = run_cli(
        "--framework", PROFILE_FRAMEWORK, "--answers", "answers.json", cwd=tmp_path
    )
    remote = run_cli(
        "--framework",
        PROFILE_FRAMEWORK,
        "--answers",
        "answers.json",
        "--traits",
        "no_premises",
        cwd=tmp_path,
    )

    assert json.loads(with_premises.stdout)["pillars"]["operational"]["score"] < 100
    assert json.loads(remote.stdout)["pillars"]["operational"]["score"] == 100


def test_the_cli_refuses_an_unknown_trait_in_one_line(tmp_path):
    (tmp_path / "answers.json").write_text("{}")

    result = run_cli(
        "--framework",
        PROFILE_FRAMEWORK,
        "--answers",
        "answers.json",
        "--traits",
        "vans",
        cwd=tmp_path,
    )

    assert result.returncode == 2
    assert result.stderr.startswith("error: unknown trait 'vans' (known: several_sites, ")
    assert result.stderr.count("\n") == 1


def test_the_test_bank_is_valid_yaml_with_the_contracts_advice_format():
    data = yaml.safe_load(PROFILE_FRAMEWORK.read_text())
    for question in data["questions"]:
        for advice in question["recommendations"].values():
            lines = advice.splitlines()
            assert lines[0].startswith("- This month,")
            assert lines[-1].startswith("Done when: ")
