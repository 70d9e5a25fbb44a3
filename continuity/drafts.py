"""What a first draft of the plan says: sector checklists, message templates, and the gaps.

The texts and rules are data (fixtures/continuity-drafts.yaml); here are the
functions, no Django: the services store what ``draft_parts`` returns, the
selectors list what ``plan_gaps`` finds. The rules name a question's id in each
shipped framework version (2026.1, 2026.2, 2026.3) where it differs, and a weak
answer's value per id where the ladders differ.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

import scoring

DRAFTS_FILE = Path(__file__).resolve().parent.parent / "fixtures" / "continuity-drafts.yaml"


@dataclass(frozen=True)
class Rule:
    """A weak answer that the plan should act on: in which part, and what to do."""

    question_ids: tuple[str, ...]  # the same question in each framework version
    # Per question id: the answer value up to which (and "don't know") the plan asks for action.
    at_most: dict[str, int]
    part: str
    task: str
    # What the owner writes in the part that does the task (the file's header says how).
    fills: dict | None = None


@dataclass(frozen=True)
class DraftContent:
    """What fixtures/continuity-drafts.yaml says (its comments say what each part means)."""

    scenarios: dict[str, list[tuple[str, str, str, str]]]
    activities: dict[str, list[str]]
    contact_roles: list[str]
    messages: dict[str, str]
    rules: tuple[Rule, ...]


@functools.cache
def draft_content() -> DraftContent:
    """The draft texts and rules, read once per process (the file ships with the code)."""
    data = yaml.safe_load(DRAFTS_FILE.read_text(encoding="utf-8"))
    return DraftContent(
        scenarios={
            sector: [
                (row["disruption"], row["first_hour"], row["first_day"], row["first_week"])
                for row in rows
            ]
            for sector, rows in data["scenarios"].items()
        },
        activities=data["activities"],
        contact_roles=data["contact_roles"],
        messages=data["messages"],
        rules=read_rules(data["rules"]),
    )


def read_rules(rows: list[dict]) -> tuple[Rule, ...]:
    """The file's rules; ``at_most`` is one value for all its questions, or one per question.

    A per-question ``at_most`` must name exactly the rule's questions: one left out would
    never be acted on, and the plan would silently miss that gap.
    """
    rules = []
    for row in rows:
        ids = tuple(row["questions"])
        at_most = row["at_most"]
        if not isinstance(at_most, dict):
            at_most = dict.fromkeys(ids, at_most)
        if set(at_most) != set(ids):
            raise ValueError(
                f"{DRAFTS_FILE.name}: rule {row['task']!r}: at_most names "
                f"{sorted(at_most)} but the rule's questions are {sorted(ids)}"
            )
        rules.append(Rule(ids, at_most, row["part"], row["task"], row.get("fills")))
    return tuple(rules)


@dataclass(frozen=True)
class PlanGap:
    """A gap the plan reveals: the part it belongs to, what to do, and the answer that showed it."""

    part: str
    question_id: str
    task: str
    answer: str  # the option label the owner chose, as they read it
    fills: dict | None = None  # its rule's: what in the part does the task

    def done_in(self, content: dict) -> bool:
        """The owner has written, in the part, what this gap asks for (never the draft's text)."""
        if not self.fills:
            return False
        if "field" in self.fills:
            return _own_text(content.get(self.fills["field"]))
        column, role = self.fills["column"], self.fills.get("role")
        rows = [r for r in content.get("rows", []) if role is None or r.get("role") == role]
        return bool(rows) and all(_own_text(r.get(column)) for r in rows)


def plan_gaps(framework: scoring.Framework, result: scoring.Result | None) -> list[PlanGap]:
    """The gaps of a submitted assessment that the plan acts on, most pressing first."""
    if result is None:
        return []
    rules = {qid: rule for rule in draft_content().rules for qid in rule.question_ids}
    gaps = []
    for gap in result.gaps:  # ranked by the scoring engine
        rule = rules.get(gap.question_id)
        if rule is None or not _weak(gap.answer, rule.at_most[gap.question_id]):
            continue
        question = framework.question(gap.question_id)
        label = question.answer_label(gap.answer)
        gaps.append(PlanGap(rule.part, gap.question_id, rule.task, label, rule.fills))
    return gaps


def _weak(answer, at_most: int) -> bool:
    """Don't know, or an option value up to ``at_most`` ("na" is never a gap)."""
    if answer == scoring.DONT_KNOW:
        return True
    return not isinstance(answer, str) and answer <= at_most


# What the printed plan shows where a message template still has a {placeholder}: a line to
# write on, on the day.
BLANK = "________"
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill_blanks(text: str, *, owner: str) -> str:
    """A message template as printed: ``{owner}`` by name (if known), every other {...} a blank."""
    values = {"owner": owner}
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1)) or BLANK, text)


# How a draft's own text starts: a quoted answer, or the note asking for alternates.
ANSWER_LEAD = "Your assessment says"
RESTORE_LEAD = "Last test of a restore, in your assessment"
SUPPLIERS_NOTE = (
    "Add an alternate for each: your assessment found no second supplier you could order "
    "from within a week."
)


def _own_text(value) -> bool:
    """Text the owner wrote: not empty, and not what the draft put there."""
    text = (value or "").strip()
    drafted = text.startswith((ANSWER_LEAD + ":", RESTORE_LEAD + ":")) or text == SUPPLIERS_NOTE
    return bool(text) and not drafted


def draft_parts(
    *, sector: str, business: str, answers: dict[str, str], gaps: list[PlanGap]
) -> dict[str, dict]:
    """The first content of every part, from the sector and the answers' labels.

    ``answers`` maps question ids to the label of the option chosen. Text that
    quotes an answer says so, so the owner knows to replace it with the facts.
    """

    content = draft_content()

    def from_answer(part: str, field: str, lead=ANSWER_LEAD) -> str:
        # The question is the one whose rule this field does: its ids in every version are
        # named once, in the file, so a new question bank means editing the file only.
        (rule,) = (r for r in content.rules if r.part == part and r.fills == {"field": field})
        label = next((answers[q] for q in rule.question_ids if q in answers), "")
        return f"{lead}: {label}." if label else ""

    sector = sector if sector in content.scenarios else "general"
    parts_with_gaps = {gap.part for gap in gaps}
    suppliers_note = SUPPLIERS_NOTE if "suppliers" in parts_with_gaps else ""
    return {
        "activities": {
            "rows": [
                {"activity": a, "downtime": "", "needs": "", "workaround": ""}
                for a in content.activities[sector]
            ]
        },
        "contacts": {
            "rows": [
                {"role": r, "name": "", "phone": "", "email": "", "reference": "", "calls": ""}
                for r in content.contact_roles
            ]
        },
        "suppliers": {
            "rows": [
                {
                    "kind": "supplier",
                    "name": "",
                    "phone": "",
                    "depends": "",
                    "alternate": suppliers_note,
                }
            ]
        },
        "data": {
            "backups": from_answer("data", "backups"),
            "restore": from_answer("data", "restore", lead=RESTORE_LEAD),
            "passwords": "",
            "recovery_point": from_answer("data", "recovery_point"),
        },
        "premises": {
            "evacuation_point": from_answer("premises", "evacuation_point"),
            "shutoffs": "",
            "alternate_site": from_answer("premises", "alternate_site"),
        },
        "checklists": {
            "rows": [
                {"disruption": d, "first_hour": h, "first_day": day, "first_week": w}
                for d, h, day, w in content.scenarios[sector]
            ]
        },
        "communications": {
            key: text.replace("{business}", business) for key, text in content.messages.items()
        },
    }
