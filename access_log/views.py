"""The owner's page: who outside the business has looked at its data."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from accounts.permissions import owner_organization

from .models import AccessRecord
from .services import SAME_LOOK

RECORDS_PER_PAGE = 50


@login_required
def access_list(request):
    organization = owner_organization(request.user)
    if organization is None:
        raise Http404("You are not part of a business.")
    records = AccessRecord.objects.filter(organization=organization).select_related("assessment")
    page = Paginator(records, RECORDS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "pages/access_log/access_list.html",
        {
            "organization": organization,
            "page": page,
            "same_look_minutes": int(SAME_LOOK.total_seconds() // 60),
        },
    )
