"""Reads: the one place that turns stored rows into plain data for the questionnaire,
scoring, reports and export."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.db.models import FloatField, Prefetch, Value
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, NullIf

import scoring
from scoring.profile import TRAITS

from .models import Answer, Assessment, FrameworkVersion, Question, SectorPillarWeight


def latest_submitted(organization) -> Assessment | None:
    """The organization's most recently submitted assessment: the one its plans follow."""
    return (
        Assessment.objects.submitted()
        .filter(organization=organization)
        .select_related("framework", "organization")
        .order_by("-submitted_at", "-pk")
        .first()
    )


def active_framework() -> FrameworkVersion | None:
    return FrameworkVersion.objects.active().first()


def framework_export(framework: FrameworkVersion) -> dict:
    """The framework in the import file schema, so export → import → export is identical."""
    return scoring.framework_to_dict(framework_definition(framework))


def _framework_from_rows(version: FrameworkVersion) -> scoring.Framework:
    """Read a version's rows (six queries) into the immutable description."""
    questions = (
        Question.objects.filter(framework=version)
        .select_related("pillar", "level")
        .prefetch_related("options", "recommendations")
        .order_by("position")
    )
    weights = SectorPillarWeight.objects.select_related("pillar").order_by("pillar__position")
    sectors = version.sectors.prefetch_related(Prefetch("pillar_weights", queryset=weights))
    return scoring.Framework(
        version=version.version,
        name=version.name,
        scale_min=version.scale_min,
        scale_max=version.scale_max,
        maturity_threshold=float(version.maturity_threshold),
        pillars=tuple(
            scoring.PillarDef(p.key, p.name, p.description) for p in version.pillars.all()
        ),
        levels=tuple(
            scoring.LevelDef(lv.key, lv.name, lv.description) for lv in version.levels.all()
        ),
        sectors=tuple(
            scoring.SectorDef(
                key=s.key,
                name=s.name,
                description=s.description,
                pillar_weights={w.pillar.key: w.weight for w in s.pillar_weights.all()},
            )
            for s in sectors
        ),
        questions=tuple(_question_def(q) for q in questions),
    )


def _question_def(q: Question) -> scoring.QuestionDef:
    rows = list(q.recommendations.all())
    # As the file reader orders them: general advice first, then the sectors alphabetically,
    # then the traits in the file's order (the first trait that fits a business wins).
    ordered = {"general": next((r.text for r in rows if r.sector_key == "general"), "")}
    ordered |= {
        r.sector_key: r.text
        for r in rows
        if r.sector_key not in TRAITS and r.sector_key != "general"
    }
    ordered |= {
        r.sector_key: r.text
        for r in sorted(rows, key=lambda r: r.position)
        if r.sector_key in TRAITS
    }
    return scoring.QuestionDef(
        id=q.code,
        pillar=q.pillar.key,
        level=q.level.key,
        text=q.text,
        component=q.component,
        title=q.title,
        weight=q.weight,
        allow_na=q.allow_na,
        options=tuple(scoring.OptionDef(o.value, o.label) for o in q.options.all()),
        effort=q.effort,
        help=q.help,
        recommendations=ordered,
        replaces=tuple(q.replaces),
        applies_when=q.applies_when,
        about_site=q.about_site,
    )


# --- The framework as one immutable description ---------------------------------


def framework_definition(version: FrameworkVersion) -> scoring.Framework:
    """A framework version as the questionnaire, scoring and reports read it.

    One immutable ``scoring.Framework``: pillars, levels, sectors with their
    weights, questions with their options and advice. A version in use never
    changes (it is frozen), so it is read once per process; a version nobody
    has answered yet may still be edited in the admin, so it is read afresh.
    """
    if version.is_locked:
        return framework_in_use(version.pk, version.checksum)
    return _framework_from_rows(version)


def assessment_framework(assessment: Assessment) -> scoring.Framework:
    """The questions an assessment asks: its version's bank, tailored to its profile.

    The questions its traits leave out are not there at all (``Framework.for_profile``),
    so the questionnaire, progress, scoring and the report never see them, unless the
    owner chose to answer one anyway. ``assessment_bank`` is the whole version.
    """
    return _tailored(
        assessment.framework_id,
        assessment.framework.checksum,
        tuple(sorted((assessment.traits or {}).items())),
        tuple(assessment.asked_anyway or ()),
    )


def assessment_bank(assessment: Assessment) -> scoring.Framework:
    """Every question of the version an assessment answers, whatever its profile."""
    return framework_in_use(assessment.framework_id, assessment.framework.checksum)


def framework_cache_clear() -> None:
    """Forget every framework read, whole or tailored (after titles change on a re-import)."""
    framework_in_use.cache_clear()
    _tailored.cache_clear()


@functools.lru_cache(maxsize=64)
def _tailored(pk: int, checksum: str, traits: tuple, also: tuple) -> scoring.Framework:
    return framework_in_use(pk, checksum).for_profile(dict(traits), also)


@dataclass(frozen=True)
class NotAsked:
    """A question the profile left out, and why, in the owner's words."""

    question: scoring.QuestionDef
    reasons: list[str]


def not_asked(assessment: Assessment) -> list[NotAsked]:
    """The questions this assessment does not ask because of its profile, in bank order."""
    bank = assessment_bank(assessment)
    return [
        NotAsked(question, reasons)
        for question, reasons in bank.not_asked(
            assessment.traits or {}, assessment.asked_anyway or ()
        )
    ]


@functools.lru_cache(maxsize=16)
def framework_in_use(pk: int, checksum: str) -> scoring.Framework:
    """The description of a version in use, keyed by its id and content checksum."""
    return _framework_from_rows(FrameworkVersion.objects.get(pk=pk))


# --- Answers and progress ----------------------------------------------------------


def assessment_answers(assessment: Assessment) -> dict[str, Answer]:
    """Every stored answer of the assessment, keyed by question id (code)."""
    rows = (
        Answer.objects.filter(assessment=assessment)
        .select_related("question")
        .only("kind", "value", "note", "revision", "carried_over", "question__code")
    )
    return {answer.question.code: answer for answer in rows}


def answered_codes(assessment: Assessment) -> set[str]:
    """The ids of the questions answered so far."""
    return set(
        Answer.objects.filter(assessment=assessment, kind__isnull=False)
        .order_by()
        .values_list("question__code", flat=True)
    )


@dataclass(frozen=True)
class Tally:
    """Questions answered, carried over and waiting for confirmation, and in all.

    An answer carried over from last time counts as answered only once the
    owner confirms or changes it: until then it is last time's answer, and a
    re-assessment whose answers were all copied has not begun. So it counts in
    ``to_confirm``, never in ``answered``.
    """

    answered: int
    to_confirm: int
    total: int

    @property
    def open(self) -> int:
        """Questions with no answer at all, not even one from last time."""
        return self.total - self.answered - self.to_confirm

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0


@dataclass(frozen=True)
class Progress(Tally):
    """How far an assessment is: overall, and a ``Tally`` per pillar key."""

    by_pillar: dict[str, Tally]


def progress(
    framework: scoring.Framework, answered: set[str], to_confirm: frozenset[str] = frozenset()
) -> Progress:
    """Progress through ``framework`` given the ids of the answered questions.

    ``to_confirm``: the ids of answers carried over from last time and not yet
    confirmed (not in ``answered``).
    """
    by_pillar = {}
    for pillar in framework.pillars:
        codes = [q.id for q in framework.pillar_questions(pillar.key)]
        by_pillar[pillar.key] = Tally(
            answered=sum(1 for code in codes if code in answered),
            to_confirm=sum(1 for code in codes if code in to_confirm),
            total=len(codes),
        )
    return Progress(
        answered=sum(t.answered for t in by_pillar.values()),
        to_confirm=sum(t.to_confirm for t in by_pillar.values()),
        total=len(framework.questions),
        by_pillar=by_pillar,
    )


def answers_progress(framework: scoring.Framework, answers: dict[str, Answer]) -> Progress:
    """Progress from answers already read (``assessment_answers``): no query."""
    given = {code: a.carried_over for code, a in answers.items() if a.kind is not None}
    return progress(
        framework,
        {code for code, carried in given.items() if not carried},
        frozenset(code for code, carried in given.items() if carried),
    )


def assessment_progress(assessment: Assessment) -> Progress:
    """Progress of an assessment: one query for its answers' states."""
    given = (
        Answer.objects.filter(assessment=assessment, kind__isnull=False)
        .order_by()
        .values_list("question__code", "carried_over")
    )
    answered, to_confirm = set(), set()
    for code, carried in given:
        (to_confirm if carried else answered).add(code)
    return progress(assessment_framework(assessment), answered, frozenset(to_confirm))


def unanswered_questions(assessment: Assessment) -> list[scoring.QuestionDef]:
    """Questions with no answer yet, in questionnaire order (section by section)."""
    framework = assessment_framework(assessment)
    answered = answered_codes(assessment)
    return [
        question
        for pillar in framework.pillars
        for question in framework.pillar_questions(pillar.key)
        if question.id not in answered
    ]


def scoring_answers(answers: dict[str, Answer]) -> dict:
    """Answers as the scoring package reads them: {question id: value | "na" | "dont_know"}."""
    return {code: a.scoring_value for code, a in answers.items() if a.kind is not None}


def assessment_result(assessment: Assessment) -> scoring.Result:
    """Score an assessment as it stands (provisional until it is submitted)."""
    return scoring.score(
        assessment_framework(assessment),
        scoring_answers(assessment_answers(assessment)),
        assessment.sector,
    )


def stored_result(assessment: Assessment) -> scoring.Result | None:
    """The score snapshot stored at submission, read back as a ``scoring.Result``.

    The one reader of ``Assessment.result``. Queries over many assessments read
    the columns copied from it at submission instead (``overall_score``,
    ``maturity_index``, and ``stored_pillar_score`` for ``pillar_scores``).
    """
    if not assessment.is_submitted or not assessment.result:
        return None
    return scoring.result_from_dict(assessment.result)


def stored_pillar_score(pillar_key: str, field: str = "pillar_scores"):
    """A submitted assessment's score in one pillar as a float expression, NULL if unscored.

    ``field`` is the path to the ``pillar_scores`` column from the queried model.
    SQLite's key transform reads a JSON null as the text "null", which would
    cast to 0; NullIf keeps an unscored pillar NULL on every database.
    """
    score = KeyTextTransform(pillar_key, field)
    return Cast(NullIf(score, Value("null")), FloatField())
