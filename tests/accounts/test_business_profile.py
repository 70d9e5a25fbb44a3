"""The business profile: a few plain facts beside the sector that tailor the question bank."""

import pytest

from accounts.forms import ERR_MAIN_SITE_NEEDED, OrganizationForm
from accounts.models import Organization
from tests.accounts.test_accounts_views import signup_data
from tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

PROFILE = {"name": "Corner Bakery", "sector": "retail", "size_band": "1-9", "region": "Wales"}


def test_the_sites_answer_decides_the_site_traits():
    assert OrganizationFactory.build(sites="one").traits["several_sites"] is False
    assert OrganizationFactory.build(sites="one").traits["no_premises"] is False
    assert OrganizationFactory.build(sites="several").traits["several_sites"] is True
    assert OrganizationFactory.build(sites="none").traits["no_premises"] is True


def test_the_traits_are_the_yes_no_answers_and_name_every_trait():
    org = OrganizationFactory.build(makes_goods=True, card_in_person=True)

    assert org.traits == {
        "several_sites": False,
        "no_premises": False,
        "works_away": False,
        "makes_goods": True,
        "sensitive_data": False,
        "regulated": False,
        "card_in_person": True,
    }


def test_several_sites_needs_the_name_of_the_most_important_one():
    form = OrganizationForm(PROFILE | {"sites": "several", "main_site": " "})

    assert not form.is_valid()
    assert form.errors["main_site"] == [ERR_MAIN_SITE_NEEDED]


@pytest.mark.parametrize(
    "name, error",
    [("x" * 100_000, "at most 120 characters"), ("Mill Lane\nkitchen", "one line")],
)
def test_a_site_name_that_is_too_long_or_on_two_lines_is_refused_with_why(name, error):
    form = OrganizationForm(PROFILE | {"sites": "several", "main_site": name})

    assert not form.is_valid()
    assert error in " ".join(form.errors["main_site"])


def test_a_site_name_is_not_kept_for_a_business_with_one_site():
    form = OrganizationForm(PROFILE | {"sites": "one", "main_site": "The kitchen"})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["main_site"] == ""


def test_sign_up_asks_the_profile_questions(client):
    client.post(
        "/accounts/signup/",
        signup_data(
            org_sites="several",
            org_main_site="The kitchen on Mill Lane",
            org_makes_goods="on",
            org_card_in_person="on",
        ),
    )

    org = Organization.objects.get()
    assert org.main_site == "The kitchen on Mill Lane"
    assert org.traits["several_sites"] and org.traits["makes_goods"]
    assert org.traits["card_in_person"] and not org.traits["works_away"]


def test_the_owner_can_change_the_profile_later(client):
    membership = MembershipFactory(organization__sites="one")
    client.force_login(membership.user)

    page = client.get("/accounts/business/").content.decode()
    response = client.post("/accounts/business/", PROFILE | {"sites": "none", "works_away": "on"})

    assert "We work at customers’ places or from vehicles" in page
    assert response.status_code == 302
    org = Organization.objects.get()
    assert org.traits["no_premises"] and org.traits["works_away"]
