"""`manage.py remove_unconfirmed_accounts`: sign-ups nobody confirmed go after a grace period."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Membership, Organization, User
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def signed_up(days_ago: int, *, confirmed=False, business="Squatter Ltd"):
    """An owner and their business, signed up ``days_ago`` days ago."""
    membership = MembershipFactory(user__email_confirmed=confirmed, organization__name=business)
    User.objects.filter(pk=membership.user_id).update(
        date_joined=timezone.now() - timedelta(days=days_ago)
    )
    return membership.user


def remove(*args) -> str:
    out = io.StringIO()
    call_command("remove_unconfirmed_accounts", *args, stdout=out)
    return out.getvalue()


def test_an_unconfirmed_account_past_the_grace_period_goes_with_its_business():
    user = signed_up(15)

    out = remove()

    assert not User.objects.filter(pk=user.pk).exists()
    assert not Organization.objects.filter(name="Squatter Ltd").exists()
    assert f"Removed {user.email} and the business Squatter Ltd" in out


def test_an_unconfirmed_account_within_the_grace_period_stays():
    user = signed_up(13)

    remove()

    assert User.objects.filter(pk=user.pk).exists()


def test_the_grace_period_can_be_set_in_days():
    user = signed_up(4)

    remove("--days", "3")

    assert not User.objects.filter(pk=user.pk).exists()


def test_confirmed_accounts_are_never_touched():
    user = signed_up(400, confirmed=True, business="Real Bakery")

    remove("--days", "0")

    assert User.objects.filter(pk=user.pk).exists()
    assert Organization.objects.filter(name="Real Bakery").exists()


def test_a_business_with_other_members_is_kept_with_its_unconfirmed_owner():
    user = signed_up(30, business="Shared Shop")
    business = user.memberships.get().organization
    MembershipFactory(organization=business, role=Membership.Role.MEMBER)

    out = remove()

    assert User.objects.filter(pk=user.pk).exists()
    assert Organization.objects.filter(pk=business.pk).exists()
    assert f"Kept {user.email}: Shared Shop has other members" in out


def test_a_dry_run_says_what_would_go_and_removes_nothing():
    user = signed_up(30)

    out = remove("--dry-run")

    assert User.objects.filter(pk=user.pk).exists()
    assert f"Would remove {user.email} and the business Squatter Ltd" in out
