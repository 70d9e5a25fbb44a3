"""The owner's action plan, the targets set on the results page, and the reminders' opt-out."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import get_or_404, owner_organization
from assessments.selectors import assessment_framework, latest_submitted
from core.errors import ServiceError
from core.views import service_call, show_refusal

from . import services
from .forms import ActionAddForm, ItemForm, StatusForm, TargetsForm
from .models import ActionItem
from .selectors import action_plan_items, build_action_plan, item_guidance


def _organization_or_404(user):
    organization = owner_organization(user)
    if organization is None:
        raise Http404("You are not part of a business.")
    return organization


def _at_item(item) -> str:
    """The plan page scrolled to an item, with the fold that holds it open (``?at=``)."""
    return f"{reverse('action_plan:plan')}?at={item.pk}#item-{item.pk}"


def _plan_page(request, organization, *, add_form=None, status=200):
    # Read only: submitting an assessment (and setting targets) tracks its actions.
    assessment = latest_submitted(organization)
    items = action_plan_items(organization, trail=False)
    plan = build_action_plan(organization, assessment, items)
    at = request.GET.get("at", "")
    if at.isdigit():
        plan.unfold(int(at))
    plan.open_fold(request.GET.get("fold", ""))
    return render(
        request,
        "pages/action_plan/plan.html",
        {
            "plan": plan,
            "add_form": add_form or ActionAddForm(),
        },
        status=status,
    )


@never_cache
@login_required
@require_GET
def action_plan(request):
    return _plan_page(request, _organization_or_404(request.user))


@never_cache
@login_required
@require_POST
def action_add(request):
    organization = _organization_or_404(request.user)
    form = ActionAddForm(request.POST)
    if form.is_valid():
        added, item = service_call(
            request,
            services.action_item_add,
            form=form,
            organization=organization,
            user=request.user,
            **form.cleaned_data,
        )
        if added:
            messages.success(request, f"Added to the plan: {item.title}")
            return redirect(_at_item(item))
    return _plan_page(request, organization, add_form=form, status=400)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def action_update(request, pk):
    """One item's page: every detail in one form, and its history."""
    item = get_or_404(ActionItem.objects.editable_by(request.user), pk)
    form = ItemForm(request.POST or None, item=item)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.action_item_update(
                    item=item, user=request.user, change=services.ItemChange(**form.cleaned_data)
                )
            except ServiceError as exc:
                status = 409 if isinstance(exc, services.StaleItem) else 400
                show_refusal(request, exc, form=form)
            else:
                messages.success(request, f"Saved: {item.title}")
                return redirect(_at_item(item))
    events = item.events.select_related("author", "firm", "assessment").order_by(
        "-created_at", "-pk"
    )
    return render(
        request,
        "pages/action_plan/item.html",
        {
            "item": item,
            "guidance": item_guidance(item),
            "form": form,
            # The newest first, and a bounded number: status changes have no limit of their own.
            "events": events[: services.HISTORY_SHOWN],
            "events_total": item.events.count(),
        },
        status=status,
    )


@never_cache
@login_required
@require_POST
def action_delete(request, pk):
    """Delete an action added by hand (the plan holds at most ``OWN_ACTIONS_MAX`` of them)."""
    item = get_or_404(ActionItem.objects.editable_by(request.user), pk)
    deleted, _ = service_call(request, services.action_item_delete, item=item)
    if not deleted:
        return redirect("action_plan:action_update", pk=item.pk)
    messages.success(request, f"Deleted from the plan: {item.title}")
    return redirect("action_plan:plan")


@never_cache
@login_required
@require_POST
def action_status(request, pk):
    """The plan page's quick form: a new status, the rest of the item as it is."""
    item = get_or_404(ActionItem.objects.editable_by(request.user), pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, services.ERR_BAD_STATUS)
        return redirect(_at_item(item))
    change = services.ItemChange(
        status=form.cleaned_data["status"],
        assignee=item.assignee,
        due_date=item.due_date,
        note=item.note,
        reason=item.reason,
        revision=form.cleaned_data["revision"],
    )
    try:
        services.action_item_update(item=item, user=request.user, change=change)
    except ServiceError as exc:
        # A stale page, or "won't do" without its reason: the item's page explains and asks.
        messages.error(request, exc.message)
        return redirect("action_plan:action_update", pk=item.pk)
    messages.success(request, f"Saved: {item.title}")
    return redirect(_at_item(item))


@never_cache
@login_required
@require_POST
def targets(request):
    organization = _organization_or_404(request.user)
    assessment = latest_submitted(organization)
    if assessment is None:
        messages.error(request, services.ERR_NO_RESULTS)
        return redirect("questionnaire:owner_home")
    form = TargetsForm(request.POST, pillars=assessment_framework(assessment).pillars)
    if form.is_valid():
        saved, _ = service_call(
            request,
            services.targets_set,
            organization=organization,
            user=request.user,
            levels=form.levels(),
            target_date=form.cleaned_data["target_date"],
        )
        if saved:
            messages.success(request, "Targets saved. The action plan shows what stands between.")
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(f"{reverse('reports:results', args=[assessment.pk])}#targets")


@never_cache
@require_http_methods(["GET", "POST"])
def reminders_unsubscribe(request, token):
    """The emailed link: no login, and a button, so a mail scanner's GET changes nothing."""
    user = services.unsubscribe_user(token)
    done = False
    if user is not None and request.method == "POST":
        services.reminders_unsubscribe(user=user)
        done = True
    return render(
        request,
        "pages/action_plan/unsubscribe.html",
        {"valid": user is not None, "done": done},
        status=200 if user is not None else 404,
    )
