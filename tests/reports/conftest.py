"""Fixtures for the results page and the PDF: owners, consultants and answered assessments."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from assessments.services import (
    AnswerInput,
    answers_save,
    assessment_start,
    assessment_submit,
    framework_import,
)
from documents import services
from tests.factories import (
    FirmFactory,
    FirmMembershipFactory,
    MembershipFactory,
    OrganizationFactory,
)

# One answer per question of the mini framework: a spread of strengths, gaps,
# "not applicable" and "don't know", so every part of the report has content.
MINI_ANSWERS = {
    "OP-F-01": "2",
    "OP-I-01": "4",
    "OP-A-01": "na",
    "FI-F-01": "0",
    "FI-I-01": "4",
    "FI-A-01": "2",
    "AD-F-01": "4",
    "AD-I-01": "4",
    "AD-A-01": "dont_know",
    "TE-F-01": "4",
    "TE-I-01": "2",
    "TE-A-01": "0",
}
NOTES = {"OP-F-01": "Plan lives in Sam's head; writing it down in May."}


def answer_all(assessment, user, answers=None, notes=None):
    answers = MINI_ANSWERS if answers is None else answers
    notes = NOTES if notes is None else notes
    answers_save(
        assessment=assessment,
        answers=[
            AnswerInput(question_code=code, choice=choice, note=notes.get(code, ""))
            for code, choice in answers.items()
        ],
        user=user,
    )


def pdf_text(content) -> tuple[PdfReader, str]:
    """The pages and text of PDF bytes, or of a download's (streamed) response."""
    if not isinstance(content, bytes):
        content = content.getvalue()
    reader = PdfReader(io.BytesIO(content))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def comment(submitted, consultant):
    from reports.models import ReviewComment

    return ReviewComment.objects.create(
        assessment=submitted,
        author=consultant,
        pillar_key="financial",
        text="Agree an overdraft facility before you need it.",
    )


@pytest.fixture
def firm(db):
    return FirmFactory(name="Harbour Advisers")


@pytest.fixture
def retail_org(db, firm):
    return OrganizationFactory(name="Corner Shop Ltd", sector="retail", firm=firm)


@pytest.fixture
def owner(retail_org):
    return MembershipFactory(organization=retail_org).user


@pytest.fixture
def consultant(firm):
    return FirmMembershipFactory(firm=firm).user


@pytest.fixture
def other_consultant(db):
    return FirmMembershipFactory(firm=FirmFactory(name="Elsewhere Partners")).user


@pytest.fixture
def other_owner(db):
    org = OrganizationFactory(name="Zebra Bikes Manufacturing", sector="manufacturing")
    return MembershipFactory(organization=org).user


GENERAL_ONLY_QUESTION = "TE-A-01"


@pytest.fixture
def framework(mini_framework_data, write_framework):
    """The mini framework with a manufacturing variant of every recommendation.

    TE-A-01 keeps only its general advice, so the retail report must fall back to it.
    """
    data = mini_framework_data
    data["version"] = "test.variants"
    for question in data["questions"]:
        question["recommendations"]["manufacturing"] = (
            f"Manufacturing advice for {question['id']}. Done when: the line does it."
        )
        if question["id"] == GENERAL_ONLY_QUESTION:
            question["recommendations"] = {"general": question["recommendations"]["general"]}
    return framework_import(path=write_framework(data)).framework


@pytest.fixture
def submit_assessment(framework):
    """Start, answer and submit an assessment for an organization's owner."""

    def submit(organization, user, answers=None, notes=None):
        assessment = assessment_start(organization=organization, user=user)
        answer_all(assessment, user, answers, notes)
        return assessment_submit(assessment=assessment, user=user)

    return submit


@pytest.fixture
def submitted(submit_assessment, retail_org, owner):
    return submit_assessment(retail_org, owner)


@pytest.fixture
def in_progress(framework, retail_org, owner):
    assessment = assessment_start(organization=retail_org, user=owner)
    answer_all(assessment, owner, {"OP-F-01": "2", "FI-F-01": "4", "TE-A-01": "0"})
    return assessment


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Each test stores its PDFs in a directory of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def download(client, owner):
    client.force_login(owner)

    def get(assessment, **kwargs):
        return client.get(reverse("documents:report_pdf", args=[assessment.pk]), **kwargs)

    return get


@pytest.fixture
def render_calls(monkeypatch):
    """The documents printed by WeasyPrint (``REPORT``, ``CONTINUITY_PLAN``), in order."""
    calls = []
    real = services.render

    def counting(document, html):
        calls.append(document)
        return real(document, html)

    monkeypatch.setattr(services, "render", counting)
    return calls
