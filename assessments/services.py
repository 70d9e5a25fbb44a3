"""Workflows that write several rows at once; each is all-or-nothing."""

import hashlib
import json
import logging
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone

import scoring
from core.errors import ServiceError

from .models import (
    Answer,
    Assessment,
    FrameworkVersion,
    Level,
    Option,
    Pillar,
    Question,
    Recommendation,
    Sector,
    SectorPillarWeight,
)
from .selectors import (
    assessment_answers,
    assessment_bank,
    assessment_framework,
    assessment_result,
    framework_cache_clear,
    latest_submitted,
    scoring_answers,
    unanswered_questions,
)
from .signals import assessment_submitted

logger = logging.getLogger("resilience.assessments")

VERSION_CLASH = (
    "version {version} is already imported with different content; "
    "give the changed framework a new version number"
)


class FrameworkImportError(ServiceError):
    """A framework file that cannot be imported; str() is one line naming the file and why."""


@dataclass(frozen=True)
class ImportOutcome:
    framework: FrameworkVersion
    created: bool


def framework_checksum(framework: scoring.Framework) -> str:
    """A fingerprint of the content, to tell a true re-import from a changed one.

    Titles are left out: they name the plan's actions and change nothing an answer
    means, so a version imported before titles existed takes them on a re-import.
    """
    data = scoring.framework_to_dict(framework)
    for question in data["questions"]:
        del question["title"]
    encoded = json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()


def _titles_update(framework: FrameworkVersion, definition: scoring.Framework) -> None:
    """Give an imported version's questions the file's titles, where they differ."""
    titles = {q.id: q.title for q in definition.questions}
    questions = [q for q in framework.questions.all() if q.title != titles.get(q.code, q.title)]
    for question in questions:
        question.title = titles[question.code]
    Question.objects.bulk_update(questions, ["title"])
    if questions:
        framework_cache_clear()


@transaction.atomic
def framework_import(*, path: Path | str, activate: bool = True) -> ImportOutcome:
    """Import a framework file as a new, immutable version.

    The file is read by the scoring package's reader, the same one
    ``python -m scoring`` uses. Importing the same version with the same
    content again changes nothing; the same version with other content is
    refused, because assessments pin a version and must keep meaning what
    they meant.
    """
    try:
        definition = scoring.load_framework_file(path)
    except scoring.ScoringInputError as exc:
        raise FrameworkImportError(str(exc)) from None
    digest = framework_checksum(definition)
    existing = FrameworkVersion.objects.filter(version=definition.version).first()
    if existing is not None:
        if existing.checksum != digest:
            raise FrameworkImportError(
                f"{path}: " + VERSION_CLASH.format(version=definition.version)
            )
        _titles_update(existing, definition)
        return ImportOutcome(framework=existing, created=False)

    if activate:
        FrameworkVersion.objects.filter(is_active=True).update(is_active=False)
    framework = FrameworkVersion.objects.create(
        version=definition.version,
        name=definition.name,
        scale_min=definition.scale_min,
        scale_max=definition.scale_max,
        maturity_threshold=definition.maturity_threshold,
        is_active=activate,
        checksum=digest,
    )
    pillars = {
        p.key: Pillar.objects.create(
            framework=framework, position=i, key=p.key, name=p.name, description=p.description
        )
        for i, p in enumerate(definition.pillars)
    }
    levels = {
        lv.key: Level.objects.create(
            framework=framework, position=i, key=lv.key, name=lv.name, description=lv.description
        )
        for i, lv in enumerate(definition.levels)
    }
    for i, sector_def in enumerate(definition.sectors):
        sector = Sector.objects.create(
            framework=framework,
            position=i,
            key=sector_def.key,
            name=sector_def.name,
            description=sector_def.description,
        )
        SectorPillarWeight.objects.bulk_create(
            SectorPillarWeight(sector=sector, pillar=pillars[p], weight=w)
            for p, w in sector_def.pillar_weights.items()
        )
    for position, q in enumerate(definition.questions):
        question = Question.objects.create(
            framework=framework,
            code=q.id,
            pillar=pillars[q.pillar],
            level=levels[q.level],
            component=q.component,
            title=q.title,
            text=q.text,
            help=q.help,
            weight=q.weight,
            allow_na=q.allow_na,
            effort=q.effort,
            replaces=list(q.replaces),
            applies_when=dict(q.applies_when),
            about_site=q.about_site,
            position=position,
        )
        Option.objects.bulk_create(
            Option(question=question, position=i, value=o.value, label=o.label)
            for i, o in enumerate(q.options)
        )
        Recommendation.objects.bulk_create(
            Recommendation(question=question, sector_key=k, text=t, position=i)
            for i, (k, t) in enumerate(q.recommendations.items())
        )
    return ImportOutcome(framework=framework, created=True)


# --- Answering and submitting -------------------------------------------------

ERR_SUBMITTED = "This assessment has been submitted and can no longer be changed."
ERR_UNKNOWN_QUESTION = "That question is not part of this assessment."
ERR_BAD_CHOICE = "Choose one of the listed answers."
ERR_NA_NOT_ALLOWED = "“Not applicable” is not an option for this question."
ERR_NOTE_TOO_LONG = "Keep the note under {limit} characters (it has {length})."
ERR_STALE = (
    "This answer was changed in another window since you opened this page. "
    "It now reads “{current}”. Choose again to replace it."
)
ERR_INCOMPLETE = "Answer every question before submitting: {count} still open."
ERR_ALREADY_ASKED = "That question is already part of this assessment."
ERR_NO_FRAMEWORK = "No framework is available yet; ask the administrator to import one."
ERR_UNCONFIRMED = (
    "{count} answer{s} from last time {verb} not confirmed yet. "
    "Submit anyway, or check {them} first."
)


class AnswerError(ServiceError):
    """An answer that cannot be saved; ``field`` says which part was wrong."""

    def __init__(self, message: str, field: str = "choice"):
        super().__init__(message, field)


class StaleAnswer(AnswerError):
    """Another tab saved this question after the current tab loaded it."""

    def __init__(self, message: str, answer):
        super().__init__(message, field="choice")
        self.answer = answer


class AssessmentReadOnly(AnswerError):
    def __init__(self):
        super().__init__(ERR_SUBMITTED, field="__all__")


class UnconfirmedAnswers(ServiceError):
    """Answers carried over from the last assessment that the owner has not confirmed."""

    def __init__(self, count: int):
        self.count = count
        plural = count != 1
        super().__init__(
            ERR_UNCONFIRMED.format(
                count=count,
                s="s" if plural else "",
                verb="are" if plural else "is",
                them="them" if plural else "it",
            )
        )


class IncompleteAssessment(ServiceError):
    def __init__(self, unanswered: list):
        self.unanswered = unanswered
        super().__init__(ERR_INCOMPLETE.format(count=len(unanswered)))


@dataclass(frozen=True)
class AnswerInput:
    """One answer as a form or the autosave endpoint sends it.

    ``choice`` is an option value as text, "na", "dont_know", or "" (cleared).
    ``revision`` is the revision the sender last saw, or None to skip the
    stale-write check (a deliberate overwrite).
    """

    question_code: str
    choice: str
    note: str = ""
    revision: int | None = None


def _parse_choice(question: scoring.QuestionDef, choice: str) -> tuple[str | None, int | None]:
    choice = (choice or "").strip()
    if choice == "":
        return None, None
    if choice == Answer.Kind.DONT_KNOW:
        return Answer.Kind.DONT_KNOW, None
    if choice == Answer.Kind.NOT_APPLICABLE:
        if not question.allow_na:
            raise AnswerError(ERR_NA_NOT_ALLOWED)
        return Answer.Kind.NOT_APPLICABLE, None
    try:
        value = int(choice)
    except ValueError:
        raise AnswerError(ERR_BAD_CHOICE) from None
    if value not in {o.value for o in question.options}:
        raise AnswerError(ERR_BAD_CHOICE)
    return Answer.Kind.OPTION, value


def _describe(answer, question: scoring.QuestionDef) -> str:
    """The stored answer in the words the owner chose it in."""
    if answer.kind == Answer.Kind.OPTION:
        label = next((o.label for o in question.options if o.value == answer.value), "")
        return label or str(answer.value)
    if answer.kind:
        return answer.get_kind_display()
    return "no answer"


def _write_answer(*, assessment, question, question_id: int, data: AnswerInput, user, existing):
    kind, value = _parse_choice(question, data.choice)
    note = (data.note or "").strip()
    if len(note) > Answer.NOTE_MAX_LENGTH:
        raise AnswerError(
            ERR_NOTE_TOO_LONG.format(limit=Answer.NOTE_MAX_LENGTH, length=len(note)), field="note"
        )
    if existing is None:
        existing = Answer(assessment=assessment, question_id=question_id)
    elif (
        data.revision is not None
        and existing.revision != data.revision
        and (existing.kind, existing.value, existing.note) != (kind, value, note)
    ):
        raise StaleAnswer(ERR_STALE.format(current=_describe(existing, question)), existing)
    existing.kind, existing.value, existing.note = kind, value, note
    # Any write is the owner's own answer, so one carried from last time is now confirmed.
    existing.carried_over = False
    existing.revision += 1
    existing.updated_by = user
    existing.save()
    return existing


def _lock_assessment(assessment):
    """Row-lock the assessment so a submit and a save cannot interleave."""
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.is_submitted:
        raise AssessmentReadOnly()
    return locked


def _claim_for_answers(assessment) -> None:
    """Lock the assessment for this transaction and record the owner's activity.

    One UPDATE does both: it takes the row lock a submit takes too, so a save and
    a submit never interleave, and it matches no row once the assessment is
    submitted (a submit that committed while this one waited is seen). Rolled
    back with the rest when an answer is refused.
    """
    claimed = Assessment.objects.filter(
        pk=assessment.pk, status=Assessment.Status.IN_PROGRESS
    ).update(updated_at=timezone.now())
    if not claimed:
        raise AssessmentReadOnly()


@transaction.atomic
def answers_save(*, assessment, answers: list[AnswerInput], user) -> list:
    """Save several answers at once: all of them, or (on any error) none.

    Raises a list of per-question errors as ``AnswerErrors``.
    """
    # Choices are checked against the framework as the questionnaire shows it;
    # only the ids of its rows and the answers being replaced are read here.
    framework = assessment_framework(assessment)
    _claim_for_answers(assessment)
    # A code the framework does not list (a tampered URL may hold anything, even a
    # NUL byte, which PostgreSQL refuses to compare) never reaches the database.
    codes = [a.question_code for a in answers if a.question_code in framework.questions_by_id]
    question_ids = dict(
        Question.objects.filter(framework=assessment.framework_id, code__in=codes).values_list(
            "code", "pk"
        )
    )
    existing = {
        answer.question_id: answer
        for answer in Answer.objects.filter(
            assessment=assessment, question_id__in=question_ids.values()
        )
        .order_by()
        .select_for_update()
    }
    errors, saved = {}, []
    for data in answers:
        question_id = question_ids.get(data.question_code)
        if question_id is None:
            errors[data.question_code] = AnswerError(ERR_UNKNOWN_QUESTION)
            continue
        try:
            saved.append(
                _write_answer(
                    assessment=assessment,
                    question=framework.question(data.question_code),
                    question_id=question_id,
                    data=data,
                    user=user,
                    existing=existing.get(question_id),
                )
            )
        except AnswerError as exc:
            errors[data.question_code] = exc
    if errors:
        raise AnswerErrors(errors)
    return saved


class AnswerErrors(ServiceError):
    """Per-question errors from ``answers_save``; nothing was written."""

    def __init__(self, errors: dict):
        self.errors = errors
        super().__init__("; ".join(f"{code}: {e.message}" for code, e in errors.items()))


def answer_save(*, assessment, data: AnswerInput, user):
    """Save one answer (the autosave endpoint); raises the single AnswerError."""
    try:
        return answers_save(assessment=assessment, answers=[data], user=user)[0]
    except AnswerErrors as exc:
        raise next(iter(exc.errors.values())) from None


@transaction.atomic
def assessment_start(*, organization, user, from_last_time: bool = False):
    """Start an assessment on the active framework, or return the one in progress.

    ``from_last_time`` pre-fills it with the answers of the organization's
    last submitted assessment (see ``_carry_answers``).
    """
    in_progress = (
        Assessment.objects.select_for_update()
        .filter(organization=organization, status=Assessment.Status.IN_PROGRESS)
        .first()
    )
    if in_progress:
        return in_progress
    framework = FrameworkVersion.objects.active().first()
    if framework is None:
        raise ServiceError(ERR_NO_FRAMEWORK)
    assessment = Assessment.objects.create(
        organization=organization,
        framework=framework,
        sector=organization.sector,
        traits=organization.traits,
        created_by=user,
    )
    last = latest_submitted(organization)
    if from_last_time and last is not None:
        _carry_answers(source=last, target=assessment, user=user)
    return assessment


def _carry_answers(*, source: Assessment, target: Assessment, user) -> None:
    """Copy ``source``'s answers (and notes) into ``target``, marked as carried over.

    Mapped by question id and ``replaces`` across framework versions
    (``scoring.carry``); a question whose earlier answer does not fit starts empty.
    """
    earlier = assessment_answers(source)
    mapping = scoring.carry_over(assessment_framework(target), scoring_answers(earlier))
    question_ids = dict(
        Question.objects.filter(framework=target.framework_id, code__in=mapping).values_list(
            "code", "pk"
        )
    )
    Answer.objects.bulk_create(
        Answer(
            assessment=target,
            question_id=question_ids[code],
            kind=earlier[old_code].kind,
            value=earlier[old_code].value,
            note=earlier[old_code].note,
            carried_over=True,
            revision=1,
            updated_by=user,
        )
        for code, old_code in mapping.items()
    )


@transaction.atomic
def question_ask_anyway(*, assessment, code: str, user) -> Assessment:
    """Add a question the profile left out to a draft: it is then asked and scored.

    Refused for a submitted assessment, a question already asked, and an id the
    assessment's framework version does not have.
    """
    assessment = _lock_assessment(assessment)
    if code not in assessment_bank(assessment).questions_by_id:
        raise ServiceError(ERR_UNKNOWN_QUESTION)
    if code in assessment_framework(assessment).questions_by_id:
        raise ServiceError(ERR_ALREADY_ASKED)
    assessment.asked_anyway = [*assessment.asked_anyway, code]
    assessment.save(update_fields=["asked_anyway", "updated_at"])
    logger.info("assessment %s: question %s asked anyway (user %s)", assessment.pk, code, user.pk)
    return assessment


@transaction.atomic
def assessment_submit(*, assessment, user, carried_over_accepted: bool = False):
    """Check every question is answered, score, and freeze the result with the assessment.

    Answers carried over from last time and never confirmed are refused
    (``UnconfirmedAnswers``) unless the owner has said once more that they
    stand (``carried_over_accepted``).
    """
    assessment = _lock_assessment(assessment)
    missing = unanswered_questions(assessment)
    if missing:
        raise IncompleteAssessment(missing)
    unconfirmed = assessment.answers.filter(carried_over=True).count()
    if unconfirmed and not carried_over_accepted:
        raise UnconfirmedAnswers(unconfirmed)
    result = assessment_result(assessment)
    assessment.result = result.to_dict()
    assessment.overall_score = result.overall
    assessment.pillar_scores = {key: pillar.score for key, pillar in result.pillars.items()}
    assessment.maturity_index = result.maturity.index
    assessment.coverage = result.coverage
    assessment.status = assessment.Status.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.full_clean()
    assessment.save()
    # The action plan tracks the new ranked actions, in this transaction.
    assessment_submitted.send(sender=Assessment, assessment=assessment, user=user)
    return assessment
