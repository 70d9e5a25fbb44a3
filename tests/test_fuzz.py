"""Hypothesis throws malformed input at the autosave endpoint and every owner form.

Two promises: never a server error (a 500 page), and a refused request never
changes a stored answer (nor the profile, nor the account list). Each test
runs about 60 examples through Django's test client.
"""

from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from accounts.models import Organization, User
from assessments.models import Answer, Assessment
from assessments.services import AnswerInput, answers_save
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
MINI_CODES = [f"{p}-{lv}-01" for p in ("OP", "FI", "AD", "TE") for lv in ("F", "I", "A")]
SECTION_CODES = ["OP-F-01", "OP-I-01", "OP-A-01"]

# Text a browser could send: anything but lone surrogates (not encodable as UTF-8).
text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)
nasty = st.sampled_from(
    [
        "",
        " ",
        "0",
        "2",
        "4",
        "-1",
        "3",
        "1e3",
        "2.0",
        "0x2",
        "na",
        "NA",
        "dont_know",
        "None",
        "null",
        "true",
        "\x00",
        "2\x00",
        "２",
        "٣",
        "9" * 30,
        "-" + "9" * 30,
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "{{ 7*7 }}",
        "%s%s%n",
        "\u202e",
        "🙂",
        "OP-F-01",
        "../OP-F-01",
        "é" * 300,
    ]
)
field_value = st.one_of(nasty, text)
long_note = st.integers(1990, 2100).map(lambda n: "n" * n)
revision = st.one_of(st.none(), st.integers(-(2**70), 2**70).map(str), field_value)


def snapshot(assessment) -> dict:
    return {
        a.question.code: (a.kind, a.value, a.note, a.revision)
        for a in Answer.objects.filter(assessment=assessment).select_related("question")
    }


@pytest.fixture
def fuzz_owner(mini_framework):
    return MembershipFactory(
        organization__name="Fuzzy Logic Ltd", user__email="fuzz@example.com"
    ).user


@pytest.fixture
def fuzz_assessment(fuzz_owner):
    from assessments.services import assessment_start

    assessment = assessment_start(
        organization=fuzz_owner.memberships.get().organization, user=fuzz_owner
    )
    # Some stored answers, so "unchanged" means something.
    answers_save(
        assessment=assessment,
        answers=[AnswerInput("OP-F-01", "2", note="kept"), AnswerInput("FI-F-01", "dont_know")],
        user=fuzz_owner,
    )
    return assessment


@pytest.fixture
def fuzz_client(fuzz_owner):
    client = Client(raise_request_exception=False)
    client.force_login(fuzz_owner)
    return client


# --- The autosave endpoint ---------------------------------------------------------


@FUZZ
@given(
    code=st.one_of(st.sampled_from(MINI_CODES), field_value),
    choice=field_value,
    note=st.one_of(field_value, long_note),
    revision=revision,
    extra=st.dictionaries(text, field_value, max_size=3),
)
# Found by this test: a NUL byte in the question code reached PostgreSQL (500).
@example(code="\x00", choice="2", note="", revision="0", extra={})
@example(code="OP-F-01\x00", choice="4", note="", revision=None, extra={})
@example(code="OP-F-01", choice="2\x00", note="\x00", revision="0\x00", extra={})
def test_autosave_never_fails_and_a_refused_save_changes_nothing(
    fuzz_client, fuzz_assessment, code, choice, note, revision, extra
):
    before = snapshot(fuzz_assessment)
    data = {**extra, "choice": choice, "note": note}
    if revision is not None:
        data["revision"] = revision
    url = f"/assessments/{fuzz_assessment.pk}/answers/{quote(code, safe='')}/"

    response = fuzz_client.post(url, data)

    assert response.status_code < 500, response.content[:500]
    after = snapshot(fuzz_assessment)
    if response.status_code == 200:
        assert response.json()["status"] == "saved"
        assert {k: v for k, v in after.items() if k != code} == {
            k: v for k, v in before.items() if k != code
        }
    else:
        assert after == before


@FUZZ
@given(
    body=st.binary(max_size=300),
    content_type=st.sampled_from(
        [
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=xx",
            "application/json",
            "text/plain; charset=latin-1",
        ]
    ),
)
def test_autosave_survives_raw_bodies_of_any_encoding(
    fuzz_client, fuzz_assessment, body, content_type
):
    before = snapshot(fuzz_assessment)
    response = fuzz_client.generic(
        "POST",
        reverse("questionnaire:answer_autosave", args=[fuzz_assessment.pk, "OP-I-01"]),
        body,
        content_type=content_type,
    )
    assert response.status_code < 500, response.content[:500]
    if response.status_code != 200:
        assert snapshot(fuzz_assessment) == before


# --- The questionnaire section form --------------------------------------------------


def _section_fields() -> list[str]:
    names = [
        f"{prefix}-{code}"
        for code in SECTION_CODES
        for prefix in ("q", "note", "rev", "orig", "orignote")
    ]
    return [*names, "save_stay", "save_next", "csrfmiddlewaretoken"]


@FUZZ
@given(
    data=st.dictionaries(
        st.one_of(st.sampled_from(_section_fields()), text),
        st.one_of(field_value, long_note),
        max_size=12,
    ),
    pillar=st.one_of(st.just("operational"), st.sampled_from(["financial", "nope", "x" * 40])),
)
def test_the_section_form_never_fails_and_a_refused_post_changes_nothing(
    fuzz_client, fuzz_assessment, data, pillar
):
    before = snapshot(fuzz_assessment)
    response = fuzz_client.post(
        reverse("questionnaire:section", args=[fuzz_assessment.pk, pillar]), data
    )
    assert response.status_code < 500, response.content[:500]
    if response.status_code != 302:
        assert snapshot(fuzz_assessment) == before


# --- Submitting ---------------------------------------------------------------------


@FUZZ
@given(data=st.dictionaries(st.one_of(st.just("confirm"), text), field_value, max_size=4))
def test_submit_never_fails_and_an_incomplete_assessment_stays_open(
    fuzz_client, fuzz_assessment, data
):
    before = snapshot(fuzz_assessment)
    response = fuzz_client.post(reverse("questionnaire:submit", args=[fuzz_assessment.pk]), data)
    assert response.status_code < 500
    fuzz_assessment.refresh_from_db()
    assert fuzz_assessment.status == Assessment.Status.IN_PROGRESS
    assert snapshot(fuzz_assessment) == before


# --- The business profile and signup -------------------------------------------------

sector = st.one_of(st.sampled_from(["retail", "manufacturing", "service", "general"]), field_value)
size_band = st.one_of(st.sampled_from(["1-9", "10-49", "50-249"]), field_value)


@FUZZ
@given(name=field_value, sector=sector, size_band=size_band, region=field_value)
def test_the_business_profile_form_never_fails_and_a_refused_edit_changes_nothing(
    fuzz_client, fuzz_owner, name, sector, size_band, region
):
    organization = fuzz_owner.memberships.get().organization
    before = Organization.objects.filter(pk=organization.pk).values().get()
    response = fuzz_client.post(
        reverse("accounts:organization_edit"),
        {"name": name, "sector": sector, "size_band": size_band, "region": region},
    )
    assert response.status_code in (200, 302), response.content[:500]
    if response.status_code == 200:
        assert Organization.objects.filter(pk=organization.pk).values().get() == before


@FUZZ
@given(
    email=st.one_of(st.emails(), field_value),
    password=st.one_of(st.just("a sound passphrase 2026"), field_value),
    confirm=st.booleans(),
    name=field_value,
    sector=sector,
    size_band=size_band,
    region=field_value,
)
def test_signup_never_fails_and_a_refused_signup_creates_nobody(
    db, email, password, confirm, name, sector, size_band, region
):
    client = Client(raise_request_exception=False)
    users, organizations = User.objects.count(), Organization.objects.count()
    response = client.post(
        reverse("accounts:signup"),
        {
            "email": email,
            "password1": password,
            "password2": password if confirm else password + "x",
            "org_name": name,
            "org_sector": sector,
            "org_size_band": size_band,
            "org_region": region,
        },
    )
    # 429: the sign-up limit per address, reached by earlier examples of this test.
    assert response.status_code in (200, 429), response.content[:500]
    new_users = User.objects.count() - users
    new_organizations = Organization.objects.count() - organizations
    if "pages/accounts/signup_sent.html" in [t.name for t in response.templates]:
        # Accepted: a new owner with their business, or an email to an existing account.
        assert new_users == new_organizations and new_users in (0, 1)
    else:
        assert (new_users, new_organizations) == (0, 0)


@FUZZ
@given(username=st.one_of(st.emails(), field_value), password=field_value)
def test_the_login_form_never_fails(db, username, password):
    client = Client(raise_request_exception=False)
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    assert response.status_code < 500, response.content[:500]
