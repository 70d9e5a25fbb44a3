"""import_framework / export_framework: validation, idempotence and round trip."""

import json
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from assessments.models import FrameworkVersion, Option, Question, Recommendation
from assessments.services import VERSION_CLASH
from tests.conftest import FULL_FRAMEWORK, MINI_FRAMEWORK, NEW_FRAMEWORK, REPO_DIR

pytestmark = pytest.mark.django_db


def row_counts() -> tuple[int, int, int, int]:
    return (
        FrameworkVersion.objects.count(),
        Question.objects.count(),
        Option.objects.count(),
        Recommendation.objects.count(),
    )


def export(fmt="json", version=None) -> str:
    out = StringIO()
    args = ["export_framework", "--format", fmt]
    if version:
        args += ["--version-id", version]
    call_command(*args, stdout=out)
    return out.getvalue()


def test_importing_the_mini_framework_creates_every_row_and_activates_it():
    out = StringIO()
    call_command("import_framework", str(MINI_FRAMEWORK), stdout=out)

    framework = FrameworkVersion.objects.get()
    assert framework.version == "test.1"
    assert framework.is_active
    assert framework.pillars.count() == 4
    assert framework.levels.count() == 3
    assert framework.questions.count() == 12
    question = framework.questions.get(code="OP-F-01")
    assert [o.value for o in question.options.all()] == [0, 2, 4]
    assert set(question.recommendations.values_list("sector_key", flat=True)) == {
        "general",
        "retail",
    }
    assert framework.sectors.get(key="manufacturing").pillar_weights.get(
        pillar__key="operational"
    ).weight == pytest.approx(1.3)
    assert "Imported Mini Framework test.1 (12 questions)" in out.getvalue()


def test_the_shipped_framework_file_validates_and_imports():
    out = StringIO()
    call_command("import_framework", str(FULL_FRAMEWORK), stdout=out)
    framework = FrameworkVersion.objects.get(is_active=True)
    cells = {
        (q.pillar.key, q.level.key) for q in framework.questions.select_related("pillar", "level")
    }
    assert len(cells) == 12, "every pillar x level cell has at least one question"


def test_importing_the_same_version_twice_changes_nothing():
    call_command("import_framework", str(MINI_FRAMEWORK), stdout=StringIO())
    before = row_counts()
    first_id = FrameworkVersion.objects.get().pk
    out = StringIO()

    call_command("import_framework", str(MINI_FRAMEWORK), stdout=out)

    assert row_counts() == before
    assert FrameworkVersion.objects.get().pk == first_id
    assert "already imported; nothing changed" in out.getvalue()


def test_same_version_with_changed_content_is_refused(mini_framework_data, write_framework):
    call_command("import_framework", str(MINI_FRAMEWORK), stdout=StringIO())
    before = row_counts()
    mini_framework_data["questions"][0]["text"] = "A reworded question?"
    path = write_framework(mini_framework_data)

    with pytest.raises(CommandError) as exc:
        call_command("import_framework", str(path))

    assert VERSION_CLASH.format(version="test.1") in str(exc.value)
    assert row_counts() == before


def test_a_new_version_becomes_active_and_the_old_one_stays(mini_framework_data, write_framework):
    call_command("import_framework", str(MINI_FRAMEWORK), stdout=StringIO())
    mini_framework_data["version"] = "test.2"
    call_command("import_framework", str(write_framework(mini_framework_data)), stdout=StringIO())

    assert FrameworkVersion.objects.count() == 2
    assert FrameworkVersion.objects.get(is_active=True).version == "test.2"


def _break(data, how):
    q = data["questions"][2]
    if how == "unknown pillar":
        q["pillar"] = "spiritual"
    elif how == "duplicate id":
        q["id"] = data["questions"][0]["id"]
    elif how == "value off the scale":
        q["options"][-1]["value"] = 9
    elif how == "missing general recommendation":
        del q["recommendations"]["general"]
    elif how == "unknown level":
        q["level"] = "expert"
    elif how == "unknown recommendation sector":
        q["recommendations"]["farming"] = "Plant more."
    elif how == "bad effort":
        q["effort"] = "enormous"
    elif how == "replaces not a list":
        q["replaces"] = "OP-A-00"
    elif how == "replaces a live question":
        q["replaces"] = [data["questions"][0]["id"]]
    elif how == "no title":
        del q["title"]
    elif how == "blank title":
        q["title"] = "   "
    elif how == "long title":
        q["title"] = "Write it down " * 6 + "and then some more words"
    elif how == "same title twice":
        q["title"] = data["questions"][0]["title"]
    return data


@pytest.mark.parametrize(
    ("how", "expected"),
    [
        ("unknown pillar", "question 'OP-A-01': unknown pillar 'spiritual'"),
        ("duplicate id", "question 'OP-F-01': duplicate id"),
        ("value off the scale", "question 'OP-A-01': option value 9 is off the scale 0..4"),
        ("missing general recommendation", "question 'OP-A-01': missing general recommendation"),
        ("unknown level", "question 'OP-A-01': unknown level 'expert'"),
        (
            "unknown recommendation sector",
            "recommendation for 'farming', which is neither a sector nor a trait",
        ),
        ("bad effort", "question 'OP-A-01': effort must be one of low, medium, high"),
        ("replaces not a list", "question 'OP-A-01': 'replaces' must be a list of question ids"),
        ("no title", "question 'OP-A-01': missing 'title', the action's short name in the plan"),
        ("blank title", "question 'OP-A-01': missing 'title', the action's short name in the plan"),
        ("long title", "question 'OP-A-01': the title has 108 characters; keep it to 80"),
        (
            "same title twice",
            "question 'OP-A-01': the title 'Write down the operational fundamentals' is also "
            "question 'OP-F-01''s; each action needs its own",
        ),
        (
            "replaces a live question",
            "question 'OP-A-01': replaces 'OP-F-01', which is still a question in this file",
        ),
    ],
)
def test_a_bad_file_is_refused_with_its_reason_and_nothing_is_written(
    how, expected, mini_framework_data, write_framework
):
    call_command("import_framework", str(MINI_FRAMEWORK), stdout=StringIO())
    before = row_counts()
    path = write_framework(_break(mini_framework_data, how), name="broken.yaml")

    with pytest.raises(CommandError) as exc:
        call_command("import_framework", str(path))

    message = str(exc.value)
    assert message.startswith(f"{path}: ")
    assert expected in message
    assert "\n" not in message
    assert row_counts() == before
    assert FrameworkVersion.objects.get(is_active=True).version == "test.1"


def test_a_yaml_syntax_error_names_the_line(write_framework):
    path = write_framework("version: '1'\nname: X\nscale: {min: 0, max: 4\npillars: []\n")

    with pytest.raises(CommandError) as exc:
        call_command("import_framework", str(path))

    assert str(exc.value).startswith(f"{path}: line ")
    assert "YAML syntax error" in str(exc.value)
    assert row_counts() == (0, 0, 0, 0)


def test_a_json_syntax_error_names_the_line(write_framework):
    path = write_framework('{"version": "1",\n "name": }', name="framework.json")

    with pytest.raises(CommandError, match=r"line 2: JSON syntax error"):
        call_command("import_framework", str(path))


def test_a_missing_file_is_refused_with_a_reason(tmp_path):
    with pytest.raises(CommandError, match="cannot read the file"):
        call_command("import_framework", str(tmp_path / "nope.yaml"))


def test_an_unquoted_numeric_version_is_refused(mini_framework_data, write_framework):
    mini_framework_data["version"] = 2026.1
    with pytest.raises(CommandError, match="'version' must be a quoted string"):
        call_command("import_framework", str(write_framework(mini_framework_data)))


def test_a_failure_halfway_through_writes_nothing(
    mini_framework_data, write_framework, monkeypatch
):
    """The importer is one transaction: a crash after some rows leaves no trace."""
    from assessments import services

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services.Recommendation.objects, "bulk_create", explode)
    with pytest.raises(RuntimeError):
        services.framework_import(path=MINI_FRAMEWORK)
    assert row_counts() == (0, 0, 0, 0)


def test_the_command_exits_non_zero_with_one_line_on_a_bad_file(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("questions: [\n")
    result = subprocess.run(
        [sys.executable, "manage.py", "import_framework", str(bad)],
        cwd=REPO_DIR,
        capture_output=True,
        text=True,
        env={"DJANGO_SETTINGS_MODULE": "resilience_site.settings.test", "PATH": "/usr/bin:/bin"},
        timeout=60,
    )
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert str(bad) in lines[0]
    assert "YAML syntax error" in lines[0]


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_export_then_import_into_an_empty_database_then_export_is_identical(fmt, tmp_path):
    call_command("import_framework", str(MINI_FRAMEWORK), stdout=StringIO())
    first = export(fmt)
    path = tmp_path / f"exported.{fmt}"
    path.write_text(first)

    FrameworkVersion.objects.all().delete()
    assert row_counts() == (0, 0, 0, 0)
    call_command("import_framework", str(path), stdout=StringIO())

    assert export(fmt) == first


def test_the_old_ids_a_question_replaces_survive_import_and_export(
    mini_framework_data, write_framework, tmp_path
):
    mini_framework_data["questions"][0]["replaces"] = ["OP-F-08", "OP-F-09"]
    call_command("import_framework", str(write_framework(mini_framework_data)), stdout=StringIO())
    first = export("json")
    path = tmp_path / "exported.json"
    path.write_text(first)

    FrameworkVersion.objects.all().delete()
    call_command("import_framework", str(path), stdout=StringIO())

    assert Question.objects.get(code="OP-F-01").replaces == ["OP-F-08", "OP-F-09"]
    assert json.loads(first)["questions"][0]["replaces"] == ["OP-F-08", "OP-F-09"]
    assert "replaces" not in json.loads(first)["questions"][1]
    assert export("json") == first


def test_both_shipped_versions_import_and_the_newest_is_active_after_any_rerun():
    """`make run` imports 2026.1 then 2026.2, every time it runs."""
    for _ in range(2):
        for path in (FULL_FRAMEWORK, NEW_FRAMEWORK):
            call_command("import_framework", str(path), stdout=StringIO())

    assert list(FrameworkVersion.objects.values_list("version", flat=True).order_by("version")) == [
        "2026.1",
        "2026.2",
    ]
    assert FrameworkVersion.objects.get(is_active=True).version == "2026.2"
    replacing = Question.objects.filter(framework__version="2026.2").exclude(replaces=[])
    assert replacing.exists()


def test_json_export_carries_every_schema_field():
    call_command("import_framework", str(MINI_FRAMEWORK), stdout=StringIO())
    data = json.loads(export("json"))

    assert data["version"] == "test.1"
    assert data["scale"] == {"min": 0, "max": 4}
    assert data["maturity_threshold"] == 70
    assert [p["key"] for p in data["pillars"]] == [
        "operational",
        "financial",
        "adaptive",
        "technology",
    ]
    assert [lv["key"] for lv in data["levels"]] == ["fundamentals", "intermediate", "advanced"]
    question = data["questions"][0]
    assert set(question) >= {
        "id",
        "pillar",
        "level",
        "component",
        "title",
        "text",
        "help",
        "weight",
        "allow_na",
        "options",
        "recommendations",
        "effort",
    }
    assert data["sectors"][0]["pillar_weights"]["operational"] == 1.3


def test_export_of_an_unknown_version_is_refused():
    call_command("import_framework", str(MINI_FRAMEWORK), stdout=StringIO())
    with pytest.raises(CommandError, match="No framework version '9.9' is imported"):
        export(version="9.9")


def test_export_with_nothing_imported_says_so():
    with pytest.raises(CommandError, match="No framework is imported yet"):
        export()


def test_the_importer_and_the_scoring_cli_refuse_the_same_file_with_the_same_words(
    mini_framework_data, write_framework
):
    """One reader of the framework file serves both, so they never disagree about a file."""
    mini_framework_data["questions"][2]["options"] = [{"value": 1, "label": "Only one"}]
    path = write_framework(mini_framework_data, name="one-option.yaml")
    answers = path.with_name("answers.json")
    answers.write_text("{}")

    with pytest.raises(CommandError) as imported:
        call_command("import_framework", str(path))
    scored = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "scoring", "--framework", str(path), "--answers", str(answers)],
        capture_output=True,
        text=True,
        cwd=REPO_DIR,
        check=False,
    )

    assert "needs a list of at least two options" in str(imported.value)
    assert scored.returncode == 2
    assert scored.stderr.strip() == f"error: {imported.value}"


def test_a_version_imported_before_titles_takes_them_on_a_re_import(
    mini_framework_data, write_framework
):
    """Titles name the plan's actions; they change nothing an answer means, so the checksum
    leaves them out and a re-import of the same version fills them in."""
    call_command("import_framework", str(MINI_FRAMEWORK), stdout=StringIO())
    Question.objects.update(title="")
    out = StringIO()
    call_command("import_framework", str(MINI_FRAMEWORK), stdout=out)
    assert Question.objects.get(code="OP-F-01").title == "Write down the operational fundamentals"
    assert FrameworkVersion.objects.count() == 1
