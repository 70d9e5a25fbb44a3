"""A retail business whose submission leaves continuity gaps, its consultant, and both PDFs.

The tests compare what a page shows with what its PDF prints, as text:
pypdf for the PDF, the HTML with its tags dropped for the page, both with
white space collapsed (PDF lines wrap).
"""

import html
import io
import re

import pytest
from django.urls import reverse
from django_tasks import task_backends
from pypdf import PdfReader

from assessments.services import framework_import
from continuity.models import ContinuityPlan
from continuity.services import continuity_plan_open
from documents import services
from tests.conftest import FULL_FRAMEWORK
from tests.consultants.conftest import submitted_assessment
from tests.continuity.conftest import WEAK_ANSWERS
from tests.factories import FirmFactory, FirmMembershipFactory, MembershipFactory


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Each test stores its PDFs in a directory of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def queue(settings):
    """The dummy task backend: tasks are recorded and never run, as with no worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    return task_backends["default"]


@pytest.fixture
def worker(settings):
    """The immediate backend: each task runs as soon as it is enqueued, as by an idle worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def renders(monkeypatch):
    """The documents printed by WeasyPrint (``REPORT``, ``CONTINUITY_PLAN``), in order."""
    calls = []
    real = services.render

    def counting(document, html):
        calls.append(document)
        return real(document, html)

    monkeypatch.setattr(services, "render", counting)
    return calls


@pytest.fixture
def full_framework(db):
    return framework_import(path=FULL_FRAMEWORK).framework


@pytest.fixture
def firm(db):
    return FirmFactory(name="Harbour Partners", slug="harbour-partners")


@pytest.fixture
def owner(full_framework, firm):
    """The owner of "Corner Shop" (retail), sharing with Harbour Partners."""
    return MembershipFactory(
        organization__name="Corner Shop",
        organization__sector="retail",
        organization__firm=firm,
        user__first_name="Ada",
        user__last_name="Shaw",
    ).user


@pytest.fixture
def organization(owner):
    return owner.memberships.get().organization


@pytest.fixture
def assessment(organization, owner):
    """Submitted, with the weak answers the continuity plan acts on."""
    return submitted_assessment(organization, owner, "4", WEAK_ANSWERS)


@pytest.fixture
def plan(assessment, organization) -> ContinuityPlan:
    return continuity_plan_open(organization=organization)


@pytest.fixture
def consultant(firm):
    return FirmMembershipFactory(firm=firm, user__first_name="Lewis").user


def flat(text: str) -> str:
    return " ".join(text.split())


def page_text(response, status=200) -> str:
    """A page's visible text (roughly: tags dropped, entities decoded), white space collapsed."""
    assert response.status_code == status, response.status_code
    body = response.content.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return flat(html.unescape(re.sub(r"<[^>]+>", " ", body)))


def pdf_text(response) -> str:
    """A downloaded PDF's text, white space collapsed."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content) if response.streaming else response.content
    reader = PdfReader(io.BytesIO(content))
    return flat(" ".join(page.extract_text() for page in reader.pages))


def report_page_and_pdf(client, assessment) -> tuple[str, str]:
    """The owner's results page and the PDF downloaded after it (client logged in)."""
    page = page_text(client.get(reverse("reports:results", args=[assessment.pk])))
    return page, pdf_text(client.get(reverse("documents:report_pdf", args=[assessment.pk])))


def plan_page_and_pdf(client) -> tuple[str, str]:
    """The owner's continuity plan page and its PDF (client logged in)."""
    page = page_text(client.get(reverse("continuity:plan")))
    return page, pdf_text(client.get(reverse("documents:continuity_plan_pdf")))
