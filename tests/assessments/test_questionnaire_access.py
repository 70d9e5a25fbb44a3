"""Only the organization's members answer its assessment; everyone else gets 404."""

import pytest
from django.urls import reverse

from tests.assessments.questionnaire_helpers import answers_of
from tests.conftest import verified_login
from tests.factories import FirmMembershipFactory

pytestmark = pytest.mark.django_db


EDIT_VIEWS = [
    ("get", "questionnaire:continue", ()),
    ("get", "questionnaire:section", ("operational",)),
    ("post", "questionnaire:section", ("operational",)),
    ("post", "questionnaire:answer_autosave", ("OP-F-01",)),
    ("get", "questionnaire:review", ()),
    ("post", "questionnaire:submit", ()),
    ("get", "questionnaire:detail", ()),
]


PAGE_VIEWS = [v for v in EDIT_VIEWS if v[1] != "questionnaire:answer_autosave"]


@pytest.mark.parametrize(("method", "name", "args"), PAGE_VIEWS)
def test_anonymous_visitors_are_sent_to_log_in(client, assessment, method, name, args):
    response = getattr(client, method)(reverse(name, args=[assessment.pk, *args]))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(("method", "name", "args"), EDIT_VIEWS)
def test_another_organizations_owner_gets_404_and_sees_nothing(
    client, other_owner, assessment, method, name, args
):
    client.force_login(other_owner)
    response = getattr(client, method)(
        reverse(name, args=[assessment.pk, *args]), {"choice": "2", "confirm": "yes"}
    )
    assert response.status_code == 404
    assert "Corner Bakery" not in response.content.decode()
    assert answers_of(assessment) == {}


@pytest.mark.parametrize(("method", "name", "args"), EDIT_VIEWS[:-1])
def test_consultants_cannot_answer_for_their_clients(client, assessment, method, name, args):
    org = assessment.organization
    consultant = FirmMembershipFactory().user
    org.firm = consultant.firm_memberships.get().firm
    org.save()
    verified_login(client, consultant)

    response = getattr(client, method)(reverse(name, args=[assessment.pk, *args]), {"choice": "2"})

    assert response.status_code == 404
    assert answers_of(assessment) == {}


@pytest.mark.parametrize(("method", "name", "args"), EDIT_VIEWS)
def test_a_consultant_of_another_firm_gets_404(client, assessment, method, name, args):
    verified_login(client, FirmMembershipFactory().user)
    response = getattr(client, method)(reverse(name, args=[assessment.pk, *args]))
    assert response.status_code == 404
    assert "Corner Bakery" not in response.content.decode()


@pytest.mark.parametrize(("method", "name", "args"), EDIT_VIEWS)
def test_the_owner_reaches_every_view(owner_client, assessment, method, name, args):
    response = getattr(owner_client, method)(
        reverse(name, args=[assessment.pk, *args]), {"choice": "2"}
    )
    assert response.status_code in (200, 302)


def test_tampered_ids_answer_404_not_500(owner_client):
    for url in ("/assessments/99999999999999999999/section/operational/", "/assessments/0/review/"):
        assert owner_client.get(url).status_code == 404
