"""The scoring inputs: a framework (question bank) as frozen dataclasses.

A ``Framework`` checks itself when it is built, so every function of the
package can rely on it: known pillars and levels, unique question ids,
positive weights, option values on the scale. ``scoring.loader`` turns the
schema dict (or a file) into one.

Answers are plain mappings ``question id -> answer`` where an answer is an
option value (a number), ``NOT_APPLICABLE`` ("na") or ``DONT_KNOW``
("dont_know"). A question missing from the mapping, or mapped to ``None``, is
unanswered.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TypeAlias

from scoring.profile import Traits, applies, choose_advice, reasons_not_asked

NOT_APPLICABLE = "na"
DONT_KNOW = "dont_know"
# How people read the two answers that are not options, on every page and in every export.
NOT_APPLICABLE_LABEL = "Not applicable to my business"
DONT_KNOW_LABEL = "Don't know"

EFFORTS = ("low", "medium", "high")
DEFAULT_EFFORT = "medium"
# An action title in a framework file names a plan card: short enough for one line on a phone.
TITLE_MAX_LENGTH = 80


@dataclass(frozen=True)
class Horizon:
    """When to act on a gap, which follows its effort (PRODUCT.md section 5)."""

    key: str
    effort: str
    title: str
    subtitle: str


# The one table of horizons: the report, the action plan page and the PDF all print these.
HORIZONS = (
    Horizon("30_days", "low", "Next 30 days", "Low effort: quick wins to start now."),
    Horizon("90_days", "medium", "Next 90 days", "Medium effort: plan them this quarter."),
    Horizon("12_months", "high", "Next 12 months", "High effort: projects for the year ahead."),
)
HORIZON_BY_EFFORT = {horizon.effort: horizon.key for horizon in HORIZONS}

Answer: TypeAlias = int | float | str | None
Answers: TypeAlias = Mapping[str, Answer]


class ScoringInputError(ValueError):
    """A framework, answer set or sector the scoring engine cannot accept.

    ``str()`` is a one-line, plain-English reason that names the problem
    (question id, field or value), fit to show to the person who supplied it.
    """


def format_number(value: float) -> str:
    """Write 2.0 as "2" and 2.5 as "2.5", as people write scale values."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def is_number(value: object) -> bool:
    """True for real numbers (numpy's included), false for bools: JSON true is not 1."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def is_positive(value: object) -> bool:
    """A finite number above zero, as a weight must be (NaN and infinity would poison sums)."""
    return is_number(value) and math.isfinite(value) and value > 0


@dataclass(frozen=True)
class OptionDef:
    """One answer option of a question: a value on the framework's scale."""

    value: int | float
    label: str


@dataclass(frozen=True)
class PillarDef:
    """A pillar of resilience (operational, financial, ...)."""

    key: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class LevelDef:
    """A maturity level; the framework lists them from the first to the last rung."""

    key: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class SectorDef:
    """A sector and how much each pillar counts in its overall score.

    A pillar missing from ``pillar_weights`` counts with weight 1.0.
    """

    key: str
    name: str
    # Excluded from the hash: a dict is unhashable, and the key identifies the sector.
    pillar_weights: Mapping[str, float] = field(default_factory=dict, hash=False)
    description: str = ""

    def __post_init__(self):
        # A private copy, so the caller mutating its dict later cannot change a frozen sector.
        object.__setattr__(self, "pillar_weights", dict(self.pillar_weights))

    def weight(self, pillar_key: str) -> float:
        """The pillar's weight in this sector, 1.0 when it is not listed."""
        return float(self.pillar_weights.get(pillar_key, 1.0))


@dataclass(frozen=True)
class QuestionDef:
    """One question of the framework; options are listed from least to most resilient."""

    id: str
    pillar: str
    level: str
    text: str = ""
    component: str = ""
    # The action's short name in the plan ("Back up your data with a copy off-site");
    # required in a framework file, at most TITLE_MAX_LENGTH characters, unique in it.
    title: str = ""
    weight: float = 1.0
    allow_na: bool = False
    options: tuple[OptionDef, ...] = ()
    effort: str = DEFAULT_EFFORT
    help: str = ""
    # Sector key -> advice, "general" being the fallback. Not hashed, as for pillar weights.
    recommendations: Mapping[str, str] = field(default_factory=dict, hash=False)
    # Ids of questions in older versions that this one takes the place of.
    replaces: tuple[str, ...] = ()
    # Trait -> the value a business must have to be asked this (scoring.profile.applies).
    applies_when: Mapping[str, bool] = field(default_factory=dict, hash=False)
    # About the building: a business with several sites answers for its most important one.
    about_site: bool = False

    def __post_init__(self):
        object.__setattr__(self, "options", tuple(self.options))
        object.__setattr__(self, "recommendations", dict(self.recommendations))
        object.__setattr__(self, "applies_when", dict(self.applies_when))

    @cached_property
    def option_values(self) -> frozenset[int | float]:
        """The values an answer may take (besides "na" and "dont_know")."""
        return frozenset(option.value for option in self.options)

    def answer_label(self, answer: Answer) -> str:
        """An answer as people read it: the option's label, "Don't know", "Not applicable ...".

        A value that is no option of this question reads as the number itself;
        an unanswered question (None) reads as "", for the caller to word.
        """
        if answer == NOT_APPLICABLE:
            return NOT_APPLICABLE_LABEL
        if answer == DONT_KNOW:
            return DONT_KNOW_LABEL
        if not is_number(answer):
            return ""
        for option in self.options:
            if option.value == answer:
                return option.label
        return format_number(answer)

    def recommendation(self, sector: str | None = None, traits: Traits | None = None) -> str:
        """The advice for this business: its sector's, else its first trait's, else general.

        ``scoring.profile.choose_advice`` decides; "" when the question has no advice at all.
        """
        if not self.recommendations:
            return ""
        # "general" as a sector (a business that chose "Other") names no variant: its traits
        # still choose before the general advice.
        return choose_advice(
            self.recommendations, None if sector == "general" else sector, traits or {}
        )

    def applies_to(self, traits: Traits) -> bool:
        """Whether a business with these traits is asked this question."""
        return applies(self.applies_when, traits)


@dataclass(frozen=True)
class Framework:
    """A version of the question bank, checked on construction.

    Raises ScoringInputError when the pieces do not fit together; the message
    names the question or key at fault.
    """

    version: str
    name: str
    scale_min: int | float
    scale_max: int | float
    maturity_threshold: float
    pillars: tuple[PillarDef, ...]
    levels: tuple[LevelDef, ...]
    sectors: tuple[SectorDef, ...] = ()
    questions: tuple[QuestionDef, ...] = ()

    def __post_init__(self):
        for name in ("pillars", "levels", "sectors", "questions"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        self._check()

    def _check(self) -> None:
        if not all(is_number(v) and math.isfinite(v) for v in (self.scale_min, self.scale_max)):
            raise ScoringInputError("'scale' needs numbers 'min' and 'max'")
        if self.scale_min >= self.scale_max:
            raise ScoringInputError(
                f"'scale' min ({format_number(self.scale_min)}) must be below "
                f"max ({format_number(self.scale_max)})"
            )
        if not is_number(self.maturity_threshold) or not 0 <= self.maturity_threshold <= 100:
            raise ScoringInputError("'maturity_threshold' must be a number from 0 to 100")
        if not self.pillars:
            raise ScoringInputError("the framework needs at least one pillar")
        if not self.levels:
            raise ScoringInputError("the framework needs at least one level")
        pillar_keys = _unique_keys("pillars", self.pillars)
        level_keys = _unique_keys("levels", self.levels)
        _unique_keys("sectors", self.sectors)
        for sector in self.sectors:
            for pillar, weight in sector.pillar_weights.items():
                if pillar not in pillar_keys:
                    raise ScoringInputError(
                        f"sector '{sector.key}': unknown pillar '{pillar}' in pillar_weights"
                    )
                if not is_positive(weight):
                    raise ScoringInputError(
                        f"sector '{sector.key}': weight of '{pillar}' must be a positive number"
                    )
        seen: set[str] = set()
        for question in self.questions:
            self._check_question(question, seen, pillar_keys, level_keys)

    def _check_question(self, question, seen, pillar_keys, level_keys) -> None:
        qid = question.id
        if not isinstance(qid, str) or not qid:
            raise ScoringInputError(f"question id {qid!r} must be a non-empty string")
        if qid in seen:
            raise ScoringInputError(f"question '{qid}': duplicate id")
        seen.add(qid)
        if question.pillar not in pillar_keys:
            raise ScoringInputError(f"question '{qid}': unknown pillar '{question.pillar}'")
        if question.level not in level_keys:
            raise ScoringInputError(f"question '{qid}': unknown level '{question.level}'")
        if not is_positive(question.weight):
            raise ScoringInputError(f"question '{qid}': weight must be a positive number")
        if question.effort not in EFFORTS:
            raise ScoringInputError(f"question '{qid}': effort must be one of low, medium, high")
        if not question.options:
            raise ScoringInputError(f"question '{qid}': needs at least one option")
        for option in question.options:
            if not is_number(option.value):
                raise ScoringInputError(
                    f"question '{qid}': option value {option.value!r} is not a number"
                )
            if not self.scale_min <= option.value <= self.scale_max:
                raise ScoringInputError(
                    f"question '{qid}': option value {format_number(option.value)} is off "
                    f"the scale {format_number(self.scale_min)}..{format_number(self.scale_max)}"
                )

    @cached_property
    def questions_by_id(self) -> Mapping[str, QuestionDef]:
        """Questions keyed by id, in framework order."""
        return {question.id: question for question in self.questions}

    @cached_property
    def pillar_keys(self) -> tuple[str, ...]:
        """Pillar keys in framework order."""
        return tuple(pillar.key for pillar in self.pillars)

    @cached_property
    def level_keys(self) -> tuple[str, ...]:
        """Level keys from the first rung to the last."""
        return tuple(level.key for level in self.levels)

    @cached_property
    def _questions_by_pillar(self) -> dict[str, tuple[QuestionDef, ...]]:
        level_order = {key: i for i, key in enumerate(self.level_keys)}
        return {
            pillar: tuple(
                sorted(
                    (q for q in self.questions if q.pillar == pillar),
                    key=lambda q: level_order[q.level],
                )
            )
            for pillar in self.pillar_keys
        }

    def pillar_questions(self, pillar_key: str) -> tuple[QuestionDef, ...]:
        """A pillar's questions as the questionnaire asks them: level by level, in order."""
        return self._questions_by_pillar.get(pillar_key, ())

    def for_profile(self, traits: Traits, also: Iterable[str] = ()) -> Framework:
        """The bank as this business is asked it: the questions that apply to its traits.

        ``also``: ids the owner chose to answer anyway. A question left out is
        not asked and not scored, exactly as if the file did not have it, so
        it counts in neither coverage nor the "not applicable" share.
        """
        extra = set(also)
        kept = tuple(q for q in self.questions if q.id in extra or q.applies_to(traits))
        if len(kept) == len(self.questions):
            return self
        return replace(self, questions=kept)

    def not_asked(
        self, traits: Traits, also: Iterable[str] = ()
    ) -> list[tuple[QuestionDef, list[str]]]:
        """The questions this business is not asked, each with why, in the owner's words."""
        extra = set(also)
        return [
            (q, reasons_not_asked(q.applies_when, traits))
            for q in self.questions
            if q.id not in extra and not q.applies_to(traits)
        ]

    def pillar(self, key: str) -> PillarDef | None:
        """The pillar with this key, None when there is none."""
        return next((pillar for pillar in self.pillars if pillar.key == key), None)

    def question(self, question_id: str) -> QuestionDef:
        """The question with this id; KeyError when there is none."""
        return self.questions_by_id[question_id]

    def sector(self, key: str | None) -> SectorDef | None:
        """The sector with this key, None when the framework does not list it."""
        for sector in self.sectors:
            if sector.key == key:
                return sector
        return None

    def pillar_weights(self, sector: str | None) -> dict[str, float]:
        """Each pillar's weight in the sector's overall score (1.0 when not listed)."""
        found = self.sector(sector)
        if found is None:
            return dict.fromkeys(self.pillar_keys, 1.0)
        return {key: found.weight(key) for key in self.pillar_keys}


def _unique_keys(field_name: str, items) -> tuple[str, ...]:
    keys = []
    for item in items:
        if not isinstance(item.key, str) or not item.key:
            raise ScoringInputError(f"{field_name}: every entry needs a non-empty 'key'")
        if item.key in keys:
            raise ScoringInputError(f"{field_name}: duplicate key '{item.key}'")
        keys.append(item.key)
    return tuple(keys)
