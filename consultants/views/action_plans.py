"""A client's action plan seen by their consultant: add actions (marked as the firm's), comment."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.decorators import consultant_required
from accounts.permissions import get_firm_client_or_404, get_or_404
from action_plans import services as plan_services
from action_plans.forms import ActionAddForm, CommentForm
from action_plans.models import ActionItem
from core.errors import ServiceError
from core.views import service_call

from .clients import client_context


@require_POST
@consultant_required
def action_add(request, org_pk):
    organization = get_firm_client_or_404(request.user, org_pk)
    form = ActionAddForm(request.POST)
    if form.is_valid():
        try:
            item = plan_services.action_item_add(
                organization=organization,
                user=request.user,
                firm=request.firm_membership.firm,
                **form.cleaned_data,
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Added to {organization.name}'s plan: {item.title}")
            return redirect(f"{reverse('consultants:client', args=[organization.pk])}#plan")
    context = client_context(request, organization, action_form=form)
    return render(request, "pages/consultants/client.html", context, status=400)


@require_POST
@consultant_required
def action_comment(request, pk):
    item = get_or_404(ActionItem.objects.of_firm_clients(request.user), pk)
    form = CommentForm(request.POST, item=item)
    if form.is_valid():
        commented, _ = service_call(
            request,
            plan_services.action_item_comment,
            form=form,
            item=item,
            user=request.user,
            firm=request.firm_membership.firm,
            text=form.cleaned_data["text"],
        )
        if commented:
            messages.success(request, "Comment added. The client sees it in the item's history.")
            url = reverse("consultants:client", args=[item.organization_id])
            return redirect(f"{url}#item-{item.pk}")
    # The page again, with the comment as typed beside its error.
    messages.error(request, "The comment was not added: see the message under it.")
    context = client_context(request, item.organization, item_comment_form=form)
    return render(request, "pages/consultants/client.html", context, status=400)
