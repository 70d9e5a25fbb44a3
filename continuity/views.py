"""The plan pages: the owner's workspace, its parts, walk-throughs and Markdown export;
and the consultant's read-only view with comments. The PDF is served by ``documents``.

Owners reach their own organization's plan only (no id in the URL);
consultants reach a client's plan through ``get_firm_client_or_404``, so
another firm's client answers 404.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from access_log.models import AccessRecord
from access_log.services import access_record
from accounts.decorators import consultant_required
from accounts.permissions import get_firm_client_or_404, get_or_404, owner_organization
from action_plans.services import action_item_add
from core.errors import ServiceError
from core.views import service_call

from . import markdown, services
from .forms import ExerciseForm, PartEditor, PlanCommentForm
from .models import ContinuityPlan, PlanComment, PlanPart
from .selectors import PartView, build_continuity_plan


class PlanNotStarted(Exception):
    """The owner's business has no plan yet: only the "Draft my plan" button writes one."""


def _owner_organization(request):
    organization = owner_organization(request.user)
    if organization is None:
        raise Http404("You are not part of a business.")
    return organization


def _owner_plan(request) -> ContinuityPlan:
    plan = ContinuityPlan.objects.filter(organization=_owner_organization(request)).first()
    if plan is None:
        raise PlanNotStarted
    return plan


def _until_drafted(view):
    """Before the plan is drafted, its pages lead to the page with the "Draft my plan" button."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PlanNotStarted:
            return redirect("continuity:plan")

    return wrapper


@never_cache
@login_required
@require_safe
def continuity_plan(request):
    organization = _owner_organization(request)
    plan = ContinuityPlan.objects.filter(organization=organization).first()
    if plan is None:
        return render(request, "pages/continuity/not_started.html", {"organization": organization})
    view = build_continuity_plan(plan)
    return render(
        request, "pages/continuity/plan.html", {"view": view, "exercise_form": ExerciseForm()}
    )


@never_cache
@login_required
@require_POST
def continuity_plan_draft(request):
    """Draft the plan from the latest submitted assessment; a plan already there stays as it is."""
    services.continuity_plan_open(organization=_owner_organization(request))
    return redirect("continuity:plan")


@_until_drafted
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def continuity_plan_part(request, key):
    if key not in PlanPart.Key.values:
        raise Http404("No such part of the plan.")
    part = _owner_plan(request).parts.get(key=key)
    editor = PartEditor(key, part.content, request.POST if request.method == "POST" else None)
    if request.method == "POST" and request.headers.get("X-Requested-With") == "fetch":
        return _part_autosave(request, part, editor)
    newer = None
    if request.method == "POST":
        if editor.is_valid():
            try:
                services.continuity_part_save(
                    part=part,
                    content=editor.content(),
                    revision=_revision(request.POST.get("revision")),
                    user=request.user,
                )
            except services.StalePart as exc:
                messages.error(request, str(exc))
                part, newer = exc.part, PartView(part=exc.part)
            except ServiceError as exc:  # what the form checks already, from another path
                messages.error(request, exc.message)
            else:
                removed = editor.removed_rows()
                messages.success(request, _saved_message(part, removed))
                # Rows removed: land at the top, where the message naming them is read first.
                anchor = "" if removed else f"#part-{key}"
                return redirect(f"{reverse('continuity:plan')}{anchor}")
        else:
            messages.error(request, "Nothing was saved: please correct the fields listed below.")
    return render(
        request,
        "pages/continuity/part.html",
        {"part": part, "editor": editor, "newer": newer},
        status=409 if newer else 400 if request.method == "POST" else 200,
    )


def _part_autosave(request, part: PlanPart, editor: PartEditor) -> JsonResponse:
    """The page's script saving as the owner types (static/js/part_autosave.js): JSON only.

    The same checks as the form's "Save"; the errors come as the summary lists them.
    """
    if not editor.is_valid():
        errors = [
            {"where": where, "message": message, "field_id": field_id}
            for where, message, field_id in editor.error_summary()
        ] + [{"where": "", "message": message, "field_id": ""} for message in editor.errors]
        return JsonResponse({"status": "invalid", "errors": errors}, status=400)
    try:
        saved = services.continuity_part_save(
            part=part,
            content=editor.content(keep_stored_rows=True),
            revision=_revision(request.POST.get("revision")),
            user=request.user,
        )
    except services.StalePart as exc:
        return JsonResponse({"status": "stale", "message": exc.message}, status=409)
    except ServiceError as exc:
        return JsonResponse(
            {"status": "invalid", "errors": [{"where": "", "message": exc.message}]}, status=400
        )
    # The page's state line follows the save: a drafted part is the owner's once saved.
    state = render_to_string("partials/continuity/_part_status.html", {"part": saved})
    return JsonResponse({"status": "saved", "revision": saved.revision, "state": state.strip()})


def _saved_message(part: PlanPart, removed: list[str]) -> str:
    message = f"{part.get_key_display()}: saved."
    if removed:
        rows = "drafted row was" if len(removed) == 1 else f"{len(removed)} drafted rows were"
        message += (
            f" {rows} left empty and removed: {', '.join(removed)}. To keep one, add it "
            "again in an empty row."
        )
    return message


@_until_drafted
@never_cache
@login_required
@require_POST
def continuity_part_review(request, key):
    """Mark a part reviewed: its own act, from the page that shows the part as it stands."""
    if key not in PlanPart.Key.values:
        raise Http404("No such part of the plan.")
    part = _owner_plan(request).parts.get(key=key)
    reviewed, _ = service_call(
        request,
        services.continuity_part_review,
        part=part,
        revision=_revision(request.POST.get("revision")),
        user=request.user,
    )
    if reviewed:
        messages.success(request, f"{part.get_key_display()}: marked reviewed today.")
    return redirect(f"{reverse('continuity:plan')}#part-{key}")


def _revision(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1  # unknown: any different content counts as stale


@_until_drafted
@never_cache
@login_required
@require_POST
def continuity_exercise_add(request):
    plan = _owner_plan(request)
    form = ExerciseForm(request.POST)
    if form.is_valid():
        recorded, _ = service_call(
            request,
            services.continuity_exercise_record,
            form=form,
            plan=plan,
            user=request.user,
            **form.cleaned_data,
        )
        if recorded:
            messages.success(request, "Walk-through recorded. It is printed with the plan.")
            return redirect(f"{reverse('continuity:plan')}#exercises")
    messages.error(request, "The walk-through was not recorded: see the message in the form.")
    return render(
        request,
        "pages/continuity/plan.html",
        {"view": build_continuity_plan(plan), "exercise_form": form},
        status=400,
    )


@_until_drafted
@never_cache
@login_required
@require_POST
def continuity_gap_send(request):
    """One gap the plan reveals, sent to the action plan (once: a tracked gap stays as it is)."""
    plan = _owner_plan(request)
    gap = next(
        (
            g
            for g in build_continuity_plan(plan).gaps
            if g.question_id == request.POST.get("question_id")
        ),
        None,
    )
    if gap is None:
        raise Http404("No such gap in the plan.")
    item = action_item_add(
        organization=plan.organization,
        user=request.user,
        title=gap.task,
        question_code=gap.question_id,
    )
    messages.success(request, f"In your action plan: {item.title}")
    return redirect(f"{reverse('continuity:plan')}#part-{gap.part}")


@_until_drafted
@never_cache
@login_required
@require_safe
def continuity_plan_markdown(request):
    view = build_continuity_plan(_owner_plan(request), with_comments=False, printed=True)
    response = HttpResponse(
        markdown.render_continuity_plan_markdown(view), content_type="text/markdown; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{markdown.continuity_plan_filename(view, "md")}"'
    )
    return response


# --- The consultant's view ------------------------------------------------------------


def _client_plan(request, org_pk):
    organization = get_firm_client_or_404(request.user, org_pk)
    return organization, ContinuityPlan.objects.filter(organization=organization).first()


def _consultant_page(request, organization, plan, comment_form, status=200):
    view = build_continuity_plan(plan, firm=request.firm_membership.firm) if plan else None
    return render(
        request,
        "pages/continuity/consultant_plan.html",
        {"organization": organization, "view": view, "comment_form": comment_form},
        status=status,
    )


@require_safe
@consultant_required
def consultant_continuity_plan(request, org_pk):
    organization, plan = _client_plan(request, org_pk)
    if plan is not None:
        access_record(request.user, organization, AccessRecord.What.CONTINUITY_PLAN)
    return _consultant_page(request, organization, plan, PlanCommentForm())


@require_POST
@consultant_required
def consultant_continuity_comment_add(request, org_pk):
    organization, plan = _client_plan(request, org_pk)
    if plan is None:
        raise Http404("This client has not started a plan.")
    form = PlanCommentForm(request.POST)
    if form.is_valid():
        try:
            services.continuity_comment_add(plan=plan, author=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error("text", exc)
        else:
            messages.success(request, "Comment added. The client sees it on their plan.")
            return redirect(
                f"{reverse('continuity:consultant_plan', args=[organization.pk])}#comments"
            )
    return _consultant_page(request, organization, plan, form, status=400)


@require_POST
@consultant_required
def consultant_continuity_comment_delete(request, org_pk, pk):
    """A consultant deletes a comment of their own, written for the firm they are in now.

    A colleague's comment, or one written for another firm, answers 404: it is not theirs.
    """
    organization, plan = _client_plan(request, org_pk)
    own = PlanComment.objects.filter(
        plan=plan, author=request.user, firm=request.firm_membership.firm
    )
    get_or_404(own, pk).delete()
    messages.success(request, "Comment deleted. The client no longer sees it.")
    return redirect(f"{reverse('continuity:consultant_plan', args=[organization.pk])}#comments")
