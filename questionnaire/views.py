"""The owner's journey: home, questionnaire with autosave, review and submit."""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import get_or_404, owner_organization
from action_plans.selectors import marked_done_since
from assessments import services
from assessments.models import Assessment
from assessments.selectors import (
    active_framework,
    answers_progress,
    assessment_answers,
    assessment_framework,
    assessment_progress,
    unanswered_questions,
)
from continuity.selectors import (
    STATE_LABELS,
    WALK_THROUGH_QUESTIONS,
    continuity_plan_state,
    latest_walk_through,
)
from core.views import service_call
from scoring.engine import MATURITY_LABELS

from .forms import AutosaveForm, SectionForm, choice_of
from .selectors import unconfirmed_questions

logger = logging.getLogger("resilience.assessments")


def home(request):
    """The public landing page: what this is, for whom, how long it takes."""
    return render(request, "pages/home.html", {"question_count": _active_question_count()})


@login_required
@require_GET
def owner_home(request):
    organization = owner_organization(request.user)
    if organization is None:
        # Consultants have their own workspace; anyone else has nothing here yet.
        return render(request, "pages/questionnaire/no_organization.html", status=200)
    assessments = list(organization.assessments.select_related("framework"))
    in_progress = next((a for a in assessments if not a.is_submitted), None)
    submitted = [a for a in assessments if a.is_submitted]
    state = continuity_plan_state(organization)
    return render(
        request,
        "pages/questionnaire/owner_home.html",
        {
            "organization": organization,
            "in_progress": in_progress,
            "progress": assessment_progress(in_progress) if in_progress else None,
            "submitted": submitted,
            "history": submission_history(submitted),
            "question_count": _active_question_count(),
            "plan_state": state,
            "plan_state_label": STATE_LABELS[state],
        },
    )


@dataclass(frozen=True)
class SubmittedRow:
    """One submitted assessment on the owner's home, with its change since the one before."""

    assessment: Assessment
    change: float | None
    maturity_label: str


def submission_history(submitted: list[Assessment]) -> list[SubmittedRow]:
    """Rows for the submitted assessments (newest first), from the scores copied at submission."""
    rows = []
    for newer, older in zip(submitted, [*submitted[1:], None], strict=False):
        change = None
        if older is not None and None not in (newer.overall_score, older.overall_score):
            change = newer.overall_score - older.overall_score
        label = MATURITY_LABELS[newer.maturity_index] if newer.maturity_index is not None else ""
        rows.append(SubmittedRow(newer, change, label))
    return rows


def _active_question_count() -> int:
    framework = active_framework()
    return framework.questions.count() if framework else 0


@login_required
@require_POST
def assessment_start(request):
    organization = owner_organization(request.user)
    if organization is None:
        raise Http404("You are not part of a business.")
    started, assessment = service_call(
        request,
        services.assessment_start,
        organization=organization,
        user=request.user,
        from_last_time=request.POST.get("start") == "from_last_time",
    )
    if not started:
        return redirect("questionnaire:owner_home")
    return redirect("questionnaire:continue", pk=assessment.pk)


@login_required
@require_GET
def assessment_detail(request, pk):
    assessment = get_or_404(Assessment.objects.visible_to(request.user), pk)
    if assessment.is_submitted:
        return redirect("reports:results", pk=assessment.pk)
    return redirect("questionnaire:continue", pk=assessment.pk)


@login_required
@require_GET
def assessment_continue(request, pk):
    """Resume at the first unanswered question, else the first answer carried over unconfirmed."""
    assessment = get_or_404(Assessment.objects.editable_by(request.user), pk)
    if assessment.is_submitted:
        return redirect("reports:results", pk=assessment.pk)
    missing = unanswered_questions(assessment) or unconfirmed_questions(assessment)
    if not missing:
        return redirect("questionnaire:review", pk=assessment.pk)
    first = missing[0]
    url = reverse("questionnaire:section", args=[assessment.pk, first.pillar])
    return redirect(f"{url}#q-{first.id}")


# The section menu's badge per state: what it shows, and what a screen reader says
# instead (the badge itself is hidden from it: "1/3" alone would be read "one third").
# {also} is filled in a section with open questions as well as answers from last time.
# No-break spaces keep "17 to confirm" whole: a long badge wraps only after its "·".
SECTION_BADGES = {
    "complete": ("Done", "Done, all answered"),
    "to_confirm": (
        "To\u00a0confirm\u00a0({to_confirm})",
        "All answered, {to_confirm} from last time to confirm",
    ),
    "in_progress": (
        "{answered}/{total}{also}",
        "{answered} of {total} answered{also}, in progress",
    ),
    "not_started": ("{answered}/{total}", "{answered} of {total} answered, not started"),
}
ALSO_TO_CONFIRM = (
    "\u00a0· {to_confirm}\u00a0to\u00a0confirm",
    ", {to_confirm} from last time to confirm",
)


def section_state(tally) -> str:
    """Where a section stands; an answer from last time not yet confirmed is not done."""
    if tally.total and tally.answered == tally.total:
        return "complete"
    if tally.to_confirm and not tally.open:
        return "to_confirm"
    return "in_progress" if tally.answered or tally.to_confirm else "not_started"


def section_badge(tally) -> dict:
    """The section menu's badge for a pillar's ``Tally`` (autosave sends it back too)."""
    state = section_state(tally)
    badge, spoken = SECTION_BADGES[state]
    values = {"answered": tally.answered, "to_confirm": tally.to_confirm, "total": tally.total}
    shown_also, spoken_also = ALSO_TO_CONFIRM if tally.to_confirm else ("", "")
    return {
        "state": state,
        "badge": badge.format(also=shown_also.format(**values), **values),
        "spoken": spoken.format(also=spoken_also.format(**values), **values),
    }


def _section_menu(framework, progress, assessment, current=None) -> list[dict]:
    """Per pillar: what the section menu prints (static/js/autosave.js updates the badge)."""
    return [
        {
            "pillar": pillar,
            **section_badge(progress.by_pillar[pillar.key]),
            "url": reverse("questionnaire:section", args=[assessment.pk, pillar.key]),
            "current": current is not None and pillar.key == current.key,
        }
        for pillar in framework.pillars
    ]


def _with_evidence(rows, assessment) -> list[dict]:
    """Rows of the walk-through question carry the latest walk-through the plan records."""
    if any(row["question"].id in WALK_THROUGH_QUESTIONS for row in rows):
        walk_through = latest_walk_through(assessment.organization)
        for row in rows:
            if row["question"].id in WALK_THROUGH_QUESTIONS:
                row["walk_through"] = walk_through
    return rows


def _with_site(rows, assessment) -> list[dict]:
    """A business with several sites answers the premises questions for its most important one."""
    if (assessment.traits or {}).get("several_sites"):
        for row in rows:
            if row["question"].about_site:
                row["site_name"] = assessment.organization.main_site
    return rows


def _by_level(framework, rows) -> list[dict]:
    """A section's question rows grouped under their level, in the framework's level order."""
    return [
        {"level": level, "rows": level_rows}
        for level in framework.levels
        if (level_rows := [row for row in rows if row["question"].level == level.key])
    ]


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def assessment_section(request, pk, pillar):
    assessment = get_or_404(Assessment.objects.editable_by(request.user), pk)
    if assessment.is_submitted:
        if request.method == "POST":
            messages.error(request, services.ERR_SUBMITTED)
        return redirect("reports:results", pk=assessment.pk)
    framework = assessment_framework(assessment)
    current = framework.pillar(pillar)
    if current is None:
        raise Http404("No such section.")
    questions = framework.pillar_questions(current.key)
    answers = assessment_answers(assessment)
    form = SectionForm(
        request.POST or None,
        questions=questions,
        answers=answers,
        # Only a carried-over answer is called out, so most pages need not look.
        done_since=(
            marked_done_since(assessment)
            if any(answer.carried_over for answer in answers.values())
            else set()
        ),
    )
    if form.is_bound:
        if form.is_valid():
            try:
                services.answers_save(
                    assessment=assessment, answers=form.changed_answers(), user=request.user
                )
            except services.AssessmentReadOnly:
                messages.error(request, services.ERR_SUBMITTED)
                return redirect("reports:results", pk=assessment.pk)
            except services.AnswerErrors as exc:
                answers = assessment_answers(assessment)
                form.add_answer_errors(exc.errors, answers)
            else:
                return _after_section_save(request, assessment, framework, current)
        messages.error(request, "Nothing was saved: please correct the answers marked below.")
    done = answers_progress(framework, answers)
    index = framework.pillars.index(current)
    return render(
        request,
        "pages/questionnaire/section.html",
        {
            "assessment": assessment,
            "pillar": current,
            "form": form,
            "levels": _by_level(
                framework, _with_site(_with_evidence(form.question_rows(), assessment), assessment)
            ),
            "sections": _section_menu(framework, done, assessment, current),
            "progress": done,
            "previous": framework.pillars[index - 1] if index > 0 else None,
            "next": framework.pillars[index + 1] if index + 1 < len(framework.pillars) else None,
        },
        status=400 if form.is_bound else 200,
    )


def _after_section_save(request, assessment, framework, current):
    messages.success(request, f"Your answers on {current.name} are saved.")
    if "save_stay" in request.POST:
        return redirect("questionnaire:section", pk=assessment.pk, pillar=current.key)
    index = framework.pillars.index(current)
    if index + 1 < len(framework.pillars):
        next_key = framework.pillars[index + 1].key
        return redirect("questionnaire:section", pk=assessment.pk, pillar=next_key)
    return redirect("questionnaire:review", pk=assessment.pk)


ERR_SESSION_ENDED = (
    "Your session has ended, so this answer was not saved. Log in again and choose it once "
    "more; every answer saved before is safe."
)


@never_cache
@require_POST
def answer_autosave(request, pk, code):
    """Save one answer from the autosave script; JSON in every case.

    An expired session gets a 401 the script can explain, rather than the
    login page's HTML, which it could only report as a failed save.
    """
    if not request.user.is_authenticated:
        return JsonResponse(
            {
                "status": "login_required",
                "message": ERR_SESSION_ENDED,
                "login_url": resolve_url(settings.LOGIN_URL),
            },
            status=401,
        )
    assessment = get_or_404(Assessment.objects.editable_by(request.user), pk)
    form = AutosaveForm(request.POST)
    if not form.is_valid():
        errors = {f: [str(e) for e in errs] for f, errs in form.errors.items()}
        return JsonResponse({"status": "invalid", "errors": errors}, status=400)
    data = services.AnswerInput(
        question_code=code,
        choice=form.cleaned_data["choice"],
        note=form.cleaned_data["note"],
        revision=form.cleaned_data["revision"],
    )
    try:
        answer = services.answer_save(assessment=assessment, data=data, user=request.user)
    except services.AssessmentReadOnly as exc:
        return JsonResponse({"status": "read_only", "message": exc.message}, status=409)
    except services.StaleAnswer as exc:
        stored = exc.answer
        return JsonResponse(
            {
                "status": "stale",
                "message": exc.message,
                "current": {
                    "choice": choice_of(stored),
                    "note": stored.note,
                    "revision": stored.revision,
                },
            },
            status=409,
        )
    except services.AnswerError as exc:
        status = 404 if exc.message == services.ERR_UNKNOWN_QUESTION else 400
        return JsonResponse(
            {"status": "invalid", "errors": {exc.field: [exc.message]}}, status=status
        )
    # Progress for the bar and the section badge, worded as the page words them.
    done = assessment_progress(assessment)
    pillar = done.by_pillar[assessment_framework(assessment).question(code).pillar]
    return JsonResponse(
        {
            "status": "saved",
            "revision": answer.revision,
            "answered": done.answered,
            "to_confirm": done.to_confirm,
            "total": done.total,
            "percent": done.percent,
            "progress_text": progress_text(done),
            "section": section_badge(pillar),
        }
    )


def progress_text(progress) -> str:
    """The progress line under the bar, from the one template that words it."""
    html = render_to_string("partials/questionnaire/_progress_text.html", {"progress": progress})
    return " ".join(html.split())


@never_cache
@login_required
@require_GET
def assessment_review(request, pk):
    assessment = get_or_404(Assessment.objects.editable_by(request.user), pk)
    if assessment.is_submitted:
        return redirect("reports:results", pk=assessment.pk)
    framework = assessment_framework(assessment)
    done = assessment_progress(assessment)
    return render(
        request,
        "pages/questionnaire/review.html",
        {
            "assessment": assessment,
            "missing": _question_links(framework, unanswered_questions(assessment)),
            "unconfirmed": _unconfirmed_links(assessment, framework),
            "progress": done,
            "sections": _section_menu(framework, done, assessment),
        },
    )


def _question_links(framework, questions) -> list[dict]:
    """What the review page's lists print for each question: its section and level."""
    level_names = {level.key: level.name for level in framework.levels}
    return [
        {
            "question": question,
            "pillar_name": framework.pillar(question.pillar).name,
            "level_name": level_names[question.level],
        }
        for question in questions
    ]


def _unconfirmed_links(assessment, framework) -> list[dict]:
    """Answers carried over from last time and not confirmed, the ones marked done first."""
    done = marked_done_since(assessment)
    links = _question_links(framework, unconfirmed_questions(assessment, done=done))
    for link in links:
        link["done_since"] = link["question"].id in done
    return links


@login_required
@require_POST
def assessment_submit(request, pk):
    assessment = get_or_404(Assessment.objects.editable_by(request.user), pk)
    if assessment.is_submitted:
        messages.error(request, services.ERR_SUBMITTED)
        return redirect("reports:results", pk=assessment.pk)
    if request.POST.get("confirm") != "yes":
        messages.error(request, "Tick the box to confirm that your answers are final.")
        return redirect("questionnaire:review", pk=assessment.pk)
    try:
        services.assessment_submit(
            assessment=assessment,
            user=request.user,
            carried_over_accepted=request.POST.get("carried_over") == "accepted",
        )
    except services.UnconfirmedAnswers as exc:
        # Asked once more, on a page of its own, so it works without JavaScript.
        framework = assessment_framework(assessment)
        return render(
            request,
            "pages/questionnaire/submit_confirm.html",
            {
                "assessment": assessment,
                "message": str(exc),
                "unconfirmed": _unconfirmed_links(assessment, framework),
                "sections": _section_menu(framework, assessment_progress(assessment), assessment),
            },
        )
    except services.IncompleteAssessment as exc:
        messages.error(request, str(exc))
        return redirect("questionnaire:review", pk=assessment.pk)
    except services.AssessmentReadOnly:
        messages.error(request, services.ERR_SUBMITTED)
        return redirect("reports:results", pk=assessment.pk)
    messages.success(request, "Assessment submitted. Here are your results.")
    return redirect("reports:results", pk=assessment.pk)


@login_required
@require_POST
def question_ask_anyway(request, pk, code):
    """Add a question the business profile left out: the owner answers it after all."""
    assessment = get_or_404(Assessment.objects.editable_by(request.user), pk)
    added, _ = service_call(
        request, services.question_ask_anyway, assessment=assessment, code=code, user=request.user
    )
    if not added:
        return redirect("reports:results", pk=assessment.pk)
    messages.success(request, "The question is added to this assessment: answer it below.")
    pillar = assessment_framework(Assessment.objects.get(pk=assessment.pk)).question(code).pillar
    url = reverse("questionnaire:section", args=[assessment.pk, pillar])
    return redirect(f"{url}#q-{code}")
