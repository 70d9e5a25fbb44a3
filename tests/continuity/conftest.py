"""A retail owner whose assessment shows continuity gaps, their consultant, and strangers."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

import scoring
from assessments.services import framework_import
from continuity.models import PlanPart
from tests.conftest import CURRENT_FRAMEWORK, FULL_FRAMEWORK
from tests.consultants.conftest import submitted_assessment
from tests.factories import FirmFactory, FirmMembershipFactory, MembershipFactory

# Strong answers everywhere but the questions a plan acts on.
WEAK_ANSWERS = {
    "OP-F-04": "0",  # no alternative supplier
    "TE-F-02": "0",  # never restored a file from the backup
    "TE-F-01": "2",  # regular backups, all kept in the same building
    "OP-A-06": "1",  # some ideas for another site, nothing arranged
}


def framework_2026_3() -> scoring.Framework:
    return scoring.load_framework_file(CURRENT_FRAMEWORK)


@pytest.fixture
def bank_2026_3_imported(db):
    """Bank 2026.3 imported and made the active version, so new assessments use it."""
    return framework_import(path=CURRENT_FRAMEWORK).framework


@pytest.fixture
def full_framework(db):
    return framework_import(path=FULL_FRAMEWORK).framework


@pytest.fixture
def firm(db):
    return FirmFactory(name="Harbour Partners", slug="harbour-partners")


@pytest.fixture
def owner(full_framework, firm):
    """The owner of "Corner Shop" (retail), sharing with Harbour Partners, assessment submitted."""
    membership = MembershipFactory(
        organization__name="Corner Shop",
        organization__sector="retail",
        organization__firm=firm,
        user__email="owner@corner-shop.example",
        user__first_name="Ada",
        user__last_name="Shaw",
    )
    submitted_assessment(membership.organization, membership.user, "4", WEAK_ANSWERS)
    return membership.user


@pytest.fixture
def organization(owner):
    return owner.memberships.get().organization


@pytest.fixture
def other_owner(full_framework):
    return MembershipFactory(
        organization__name="Other Business", user__email="other@example.com"
    ).user


@pytest.fixture
def consultant(firm):
    return FirmMembershipFactory(firm=firm, user__email="lewis@harbour.example").user


@pytest.fixture
def rival_consultant(db):
    return FirmMembershipFactory(
        firm=FirmFactory(name="Rival", slug="rival"), user__email="eve@rival.example"
    ).user


@pytest.fixture
def pdf_storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def part_url(key) -> str:
    return reverse("continuity:part", args=[key])


def part_post(part: PlanPart, **fields) -> dict:
    """A part's form as the page posts it: the revision, and rows in the formset's naming."""
    data = {"revision": str(part.revision)}
    rows = fields.pop("rows", None)
    if rows is not None:
        data.update({"rows-TOTAL_FORMS": str(len(rows)), "rows-INITIAL_FORMS": "0"})
        for i, row in enumerate(rows):
            data.update({f"rows-{i}-{name}": value for name, value in row.items()})
    data.update(fields)
    return data


def pdf_text(response) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)
