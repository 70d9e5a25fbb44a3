"""The owner sees who outside the business looked at its data, and nobody else's looks."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from access_log.models import AccessRecord
from access_log.services import access_record
from continuity.models import ContinuityPlan
from tests.conftest import verified_login

pytestmark = pytest.mark.django_db

LIST = reverse("access_log:list")


def consultant_looks(t):
    """Each way a consultant can look at a client's data: (what, url)."""
    return [
        (AccessRecord.What.REPORT, reverse("reports:results", args=[t.submitted.pk])),
        (AccessRecord.What.REPORT_PDF, reverse("documents:report_pdf", args=[t.submitted.pk])),
        (AccessRecord.What.COMPARISON, reverse("reports:compare", args=[t.submitted.pk])),
        (AccessRecord.What.CLIENT_PAGE, reverse("consultants:client", args=[t.organization.pk])),
        (
            AccessRecord.What.ANSWERS_EXPORT,
            reverse("consultants:assessment_export", args=[t.submitted.pk, "csv"]),
        ),
        (
            AccessRecord.What.CONTINUITY_PLAN,
            reverse("continuity:consultant_plan", args=[t.organization.pk]),
        ),
        (
            AccessRecord.What.CONTINUITY_PLAN_PDF,
            reverse("documents:consultant_continuity_plan_pdf", args=[t.organization.pk]),
        ),
    ]


@pytest.mark.parametrize("index", range(7))
def test_each_look_by_a_consultant_is_on_the_owners_list(client, world, index):
    t = world.a
    AccessRecord.objects.all().delete()
    what, url = consultant_looks(t)[index]
    verified_login(client, t.consultant)
    assert client.get(url).status_code == 200

    client.force_login(t.owner)
    page = client.get(LIST).content.decode()

    assert what.label in page
    assert t.consultant.email in page
    assert "Alpha Advisers" in page


def test_the_business_own_people_are_never_listed(client, world):
    t = world.a
    AccessRecord.objects.all().delete()
    client.force_login(t.owner)
    for url in (
        reverse("reports:results", args=[t.submitted.pk]),
        reverse("documents:report_pdf", args=[t.submitted.pk]),
        reverse("reports:compare", args=[t.submitted.pk]),
        reverse("continuity:plan"),
        reverse("documents:continuity_plan_pdf"),
    ):
        assert client.get(url).status_code == 200, url

    assert not AccessRecord.objects.exists()
    assert (
        "Nobody outside Alpha Bakery has looked at its data." in client.get(LIST).content.decode()
    )


def test_a_refused_look_at_another_business_is_not_recorded_as_access(client, world):
    AccessRecord.objects.all().delete()
    verified_login(client, world.a.consultant)
    for _what, url in consultant_looks(world.b):
        assert client.get(url).status_code == 404, url

    assert not AccessRecord.objects.exists()


def test_looking_again_within_the_hour_is_one_line_and_after_it_another(client, world):
    t = world.a
    AccessRecord.objects.all().delete()
    verified_login(client, t.consultant)
    url = reverse("reports:results", args=[t.submitted.pk])
    for _ in range(5):
        client.get(url)
    assert AccessRecord.objects.count() == 1

    AccessRecord.objects.update(at=timezone.now() - timedelta(hours=2))
    client.get(url)
    assert AccessRecord.objects.count() == 2


def test_an_owner_sees_only_their_own_business_list(client, world):
    verified_login(client, world.a.consultant)
    client.get(reverse("consultants:client", args=[world.a.organization.pk]))

    client.force_login(world.b.owner)
    page = client.get(LIST).content.decode()

    assert "Alpha Advisers" not in page
    assert "admin@alpha.example" not in page


def test_the_record_still_names_a_consultant_who_has_since_left(client, world):
    t = world.a
    AccessRecord.objects.all().delete()
    verified_login(client, t.consultant)
    client.get(reverse("reports:results", args=[t.submitted.pk]))
    t.consultant.delete()

    client.force_login(t.owner)
    page = client.get(LIST).content.decode()

    assert "admin@alpha.example" in page
    assert "Alpha Advisers" in page


def test_the_record_names_the_firm_at_the_time_of_the_look(client, world):
    """A client that moved firm: earlier looks keep the old firm's name."""
    t = world.a
    AccessRecord.objects.all().delete()
    verified_login(client, t.consultant)
    client.get(reverse("consultants:client", args=[t.organization.pk]))
    t.organization.firm = world.b.consultant.firm_memberships.get().firm
    t.organization.save()
    verified_login(client, world.b.consultant)
    assert client.get(reverse("consultants:client", args=[t.organization.pk])).status_code == 200

    firms = list(AccessRecord.objects.order_by("at", "pk").values_list("firm_name", flat=True))
    assert firms == ["Alpha Advisers", world.b.consultant.firm_memberships.get().firm.name]


def test_a_client_without_a_continuity_plan_records_no_look_at_one(client, world):
    t = world.a
    AccessRecord.objects.all().delete()
    ContinuityPlan.objects.filter(organization=t.organization).delete()
    verified_login(client, t.consultant)
    client.get(reverse("continuity:consultant_plan", args=[t.organization.pk]))

    assert not AccessRecord.objects.exists()


def test_the_list_is_paged_and_does_not_grow_in_queries(
    client,
    world,
    django_assert_max_num_queries,
):
    t = world.a
    AccessRecord.objects.bulk_create(
        AccessRecord(
            organization=t.organization,
            viewer=t.consultant,
            viewer_name=f"Viewer {n}",
            firm_name="Alpha Advisers",
            what=AccessRecord.What.REPORT,
            assessment=t.submitted,
        )
        for n in range(230)
    )
    client.force_login(t.owner)
    with django_assert_max_num_queries(8):
        response = client.get(LIST)

    page = response.content.decode()
    assert page.count('class="list-group-item"') == 50
    assert "Page 1 of 5" in page
    last = client.get(LIST, {"page": "999"}).content.decode()
    assert "Page 5 of 5" in last
    assert "Page 1 of 5" in client.get(LIST, {"page": "not-a-number"}).content.decode()


def test_a_consultant_without_a_business_has_no_access_list(client, world):
    verified_login(client, world.a.consultant)
    assert client.get(LIST).status_code == 404


def test_recording_skips_a_member_of_the_business(world):
    t = world.a
    assert access_record(t.owner, t.organization, AccessRecord.What.REPORT) is None
