"""Recording a look at a business's data by someone outside it."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import Membership

from .models import AccessRecord

# A consultant who reloads a page, or flicks between tabs, looked once: repeated
# views of the same thing by the same person within this window are one row,
# so the owner's list stays readable.
SAME_LOOK = timedelta(hours=1)


def access_record(user, organization, what: str, assessment=None) -> AccessRecord | None:
    """Record that ``user`` saw ``what`` of ``organization``; None for the business's own people.

    Call it after the view has checked access (a refused request is logged
    elsewhere, as a 404). ``organization.firm`` should be loaded with the
    organization: a consultant sees a business only through the firm it
    shares with, so that is the firm the record names.
    """
    if Membership.objects.filter(user=user, organization=organization).exists():
        return None
    recent = AccessRecord.objects.filter(
        organization=organization,
        viewer=user,
        what=what,
        assessment=assessment,
        at__gte=timezone.now() - SAME_LOOK,
    )
    if recent.exists():
        return None
    firm = organization.firm
    full_name = user.get_full_name()
    return AccessRecord.objects.create(
        organization=organization,
        viewer=user,
        viewer_name=f"{full_name} ({user.email})" if full_name else user.email,
        firm=firm,
        firm_name=firm.name if firm else "",
        what=what,
        assessment=assessment,
    )
