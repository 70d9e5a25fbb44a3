"""Every URL of the site against every kind of visitor: no tenant ever sees another's data.

The test walks the URL resolver (the admin, staff-only with its own checks,
is left out) and fails for any named pattern not classified in ROUTES below,
so a new URL cannot ship without a line saying who may open it and how to
build its arguments.

Two tenants, A and B, each a consultancy firm with a client business, a
submitted and an in-progress assessment, a review comment, a pending
invitation and a second consultant. Everything of tenant B carries the
canary. For every pattern that takes an id or a token, A's owner, A's
consultant (a firm admin) and an anonymous visitor ask for B's object: the
answer is 403 or 404 (a login redirect for the anonymous), B's data is
unchanged, and the canary appears nowhere in the response: HTML, JSON and CSV
read as text, PDF through pypdf, XLSX cell by cell with openpyxl. B's own
owner or consultant then opens the same URL successfully, which proves the
arguments were right, and, where the page shows B's data, that the canary
scan finds it.
"""

import io
import re
from collections.abc import Callable
from dataclasses import dataclass

import openpyxl
import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice
from pypdf import PdfReader

from access_log.models import AccessRecord
from access_log.services import access_record
from accounts import services as accounts_services
from accounts import sign_in as accounts_sign_in
from accounts.models import FirmMembership, User
from action_plans.models import ActionItem, ActionItemEvent, Target
from action_plans.services import unsubscribe_token
from assessments.models import Answer, Assessment, Question
from assessments.services import AnswerInput, answers_save, assessment_start, assessment_submit
from consultants.models import Invitation
from consultants.services import invitation_create
from continuity.models import PlanComment, PlanExercise, PlanPart
from continuity.services import continuity_comment_add, continuity_plan_open
from reports.models import ReviewComment
from tests.conftest import two_factor_device, verified_login
from tests.factories import FirmFactory, FirmMembershipFactory, MembershipFactory

pytestmark = pytest.mark.django_db

CANARY = "CANARY-TENANT-B-91c2"
LOGIN_URL = "/accounts/login/"


# --- The two tenants --------------------------------------------------------------------


@dataclass
class Tenant:
    owner: object
    consultant: object  # a firm admin: every consultant page is open to them
    organization: object
    submitted: Assessment
    in_progress: Assessment
    comment: ReviewComment
    invitation: Invitation
    invitation_token: str
    teammate: FirmMembership
    item: ActionItem
    plan_comment: PlanComment  # the firm admin's, on the client's continuity plan


@dataclass
class World:
    a: Tenant
    b: Tenant


def build_tenant(label: str, mark: str) -> Tenant:
    """A firm, its client with two assessments, a comment, an invitation; ``mark`` in every text."""
    firm = FirmFactory(name=f"{mark} Advisers", slug=f"{label}-advisers")
    consultant = FirmMembershipFactory(
        firm=firm, role=FirmMembership.Role.ADMIN, user__email=f"admin@{label}.example"
    ).user
    teammate = FirmMembershipFactory(firm=firm, user__email=f"{mark.lower()}-staff@{label}.example")
    two_factor_device(teammate.user)
    membership = MembershipFactory(
        organization__name=f"{mark} Bakery",
        organization__region=mark,
        organization__firm=firm,
        user__email=f"{mark.lower()}-owner@{label}.example",
    )
    owner, organization = membership.user, membership.organization
    codes = Question.objects.filter(framework__is_active=True).values_list("code", flat=True)
    submitted = assessment_start(organization=organization, user=owner)
    answers_save(
        assessment=submitted,
        answers=[AnswerInput(code, "2", note=f"{mark} note on {code}") for code in codes],
        user=owner,
    )
    submitted = assessment_submit(assessment=submitted, user=owner)
    in_progress = assessment_start(organization=organization, user=owner)
    answers_save(
        assessment=in_progress,
        answers=[AnswerInput("OP-F-01", "4", note=f"{mark} draft note")],
        user=owner,
    )
    comment = ReviewComment.objects.create(
        assessment=submitted, author=consultant, text=f"{mark} review comment"
    )
    issued = invitation_create(
        firm=firm,
        email=f"{mark.lower()}-prospect@{label}.example",
        invited_by=consultant,
        base_url="http://testserver/",
    )
    plan = continuity_plan_open(organization=organization)
    plan.parts.filter(key="premises").update(content={"evacuation_point": f"{mark} car park"})
    plan_comment = continuity_comment_add(
        plan=plan, author=consultant, part_key="data", text=f"{mark} plan comment"
    )
    item = ActionItem.objects.filter(organization=organization).first()
    # The firm's admin has read the report once: the owner's access list names the firm.
    access_record(consultant, organization, AccessRecord.What.REPORT, assessment=submitted)
    ActionItem.objects.filter(pk=item.pk).update(title=f"{mark} action", assignee=f"{mark} Sam")
    return Tenant(
        item=item,
        owner=owner,
        consultant=consultant,
        organization=organization,
        submitted=submitted,
        in_progress=in_progress,
        comment=comment,
        invitation=issued.invitation,
        invitation_token=issued.token,
        teammate=teammate,
        plan_comment=plan_comment,
    )


@pytest.fixture
def world(mini_framework) -> World:
    return World(a=build_tenant("alpha", "Alpha"), b=build_tenant("bravo", CANARY))


def fingerprint(t: Tenant) -> dict:
    """Everything of a tenant that a refused request might have changed."""
    return {
        "answers": sorted(
            Answer.objects.filter(assessment__organization=t.organization).values_list(
                "assessment_id", "question__code", "kind", "value", "note", "revision"
            )
        ),
        "assessments": sorted(
            Assessment.objects.filter(organization=t.organization).values_list(
                "pk", "status", "reviewed_at", "overall_score"
            )
        ),
        "comments": sorted(
            ReviewComment.objects.filter(assessment__organization=t.organization).values_list(
                "pk", "text"
            )
        ),
        "invitations": sorted(
            Invitation.objects.filter(firm=t.invitation.firm).values_list(
                "pk", "revoked_at", "accepted_at"
            )
        ),
        "team": sorted(
            FirmMembership.objects.filter(firm=t.invitation.firm).values_list("pk", "role")
        ),
        "second_factors": sorted(
            TOTPDevice.objects.filter(user=t.teammate.user).values_list("pk", "confirmed")
        ),
        "continuity": sorted(
            PlanPart.objects.filter(plan__organization=t.organization).values_list(
                "key", "revision", "content", "is_draft", "reviewed_at"
            )
        ),
        "continuity_notes": (
            PlanComment.objects.filter(plan__organization=t.organization).count(),
            PlanExercise.objects.filter(plan__organization=t.organization).count(),
        ),
        "plan": sorted(
            ActionItem.objects.filter(organization=t.organization).values_list(
                "pk", "status", "title", "assignee", "revision"
            )
        ),
        "plan_trail": ActionItemEvent.objects.filter(item__organization=t.organization).count(),
        "targets": sorted(
            Target.objects.filter(organization=t.organization).values_list(
                "pillar_key", "maturity_index"
            )
        ),
        "organization": t.organization.__class__.objects.filter(pk=t.organization.pk)
        .values("name", "firm_id", "sector", "region")
        .get(),
    }


# --- The classification of every URL ---------------------------------------------------

Kwargs = Callable[[Tenant, World], list[dict]]


def no_kwargs(t: Tenant, w: World) -> list[dict]:
    return [{}]


def refused_with_403_or_404(response) -> bool:
    return response.status_code in (403, 404)


def invalid_reset_link(response) -> bool:
    # Django answers a bad reset link with a 200 page that says so, and no form.
    return response.status_code == 200 and response.context["validlink"] is False


@dataclass(frozen=True)
class Route:
    """Who may open a URL, how to build its arguments for a tenant, and how to call it.

    scope: "public" (no login), "owner" (members of the business; results
    and the PDF also for the firm's consultants) or "consultant" (the firm
    the business shares with). ``ids``: the arguments point at a tenant's
    objects. ``shows_data``: the rightful user sees the tenant's own texts.
    """

    scope: str
    kwargs: Kwargs = no_kwargs
    # What a visitor without the capability could try instead; default: kwargs.
    attack_kwargs: Kwargs | None = None
    methods: tuple = ("GET",)
    data: Callable[[Tenant], dict] = lambda t: {}
    ids: bool = False
    shows_data: bool = False
    refused: Callable = refused_with_403_or_404

    def arguments(self, t: Tenant, w: World, *, attack: bool) -> list[dict]:
        builder = self.attack_kwargs if attack and self.attack_kwargs else self.kwargs
        return builder(t, w)


def _reset_link(user, token_owner) -> dict:
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(token_owner),
    }


def _confirmation_token(user) -> str:
    """A confirmation link for the user, as if they had just signed up."""
    User.objects.filter(pk=user.pk).update(email_confirmed=False)
    return signing.dumps(
        {"user": user.pk, "email": user.email}, salt=accounts_services.CONFIRMATION_SALT
    )


def _sign_in_link(user) -> str:
    """The token of a sign-in link emailed to the user, as the login page sends it."""
    return signing.dumps(
        {"user": user.pk, "email": user.email, "nonce": f"n{user.pk}"},
        salt=accounts_sign_in.LINK_SALT,
    )


def _in_progress(t, w):
    return [{"pk": t.in_progress.pk}]


def _submitted(t, w):
    return [{"pk": t.submitted.pk}]


ROUTES: dict[str, Route] = {
    # Public pages.
    "home": Route("public"),
    "healthz": Route("public"),
    "accounts:signup": Route("public"),
    "accounts:login": Route("public"),
    "accounts:logout": Route("public", methods=("POST",)),
    "accounts:password_reset": Route("public"),
    "accounts:password_reset_done": Route("public"),
    "accounts:password_reset_complete": Route("public"),
    # B's owner's id with a token made for A's owner (who can get one by email).
    "accounts:password_reset_confirm": Route(
        "public",
        kwargs=lambda t, w: [_reset_link(t.owner, t.owner)],
        attack_kwargs=lambda t, w: [_reset_link(t.owner, w.a.owner)],
        ids=True,
        refused=invalid_reset_link,
    ),
    # The raw token is the capability; without it, a visitor may know B's
    # invitation id, or its stored hash from a leaked backup.
    "consultants:invitation_accept": Route(
        "public",
        kwargs=lambda t, w: [{"token": t.invitation_token}],
        attack_kwargs=lambda t, w: [
            {"token": str(t.invitation.pk)},
            {"token": t.invitation.token_hash},
        ],
        methods=("GET", "POST"),
        ids=True,
    ),
    # The signed link is the capability: a visitor may know B's owner's id or
    # address, or hold a link signed for another purpose.
    "accounts:email_confirm": Route(
        "public",
        kwargs=lambda t, w: [{"token": _confirmation_token(t.owner)}],
        attack_kwargs=lambda t, w: [
            {"token": str(t.owner.pk)},
            {"token": signing.dumps({"user": t.owner.pk, "email": t.owner.email})},
        ],
        methods=("GET", "POST"),
        ids=True,
    ),
    # The same signed link, for the address's owner to start afresh (an empty POST
    # changes nothing: the form asks for a password and a business).
    "accounts:email_confirm_afresh": Route(
        "public",
        kwargs=lambda t, w: [{"token": _confirmation_token(t.owner)}],
        attack_kwargs=lambda t, w: [
            {"token": str(t.owner.pk)},
            {"token": signing.dumps({"user": t.owner.pk, "email": t.owner.email})},
        ],
        methods=("GET", "POST"),
        ids=True,
    ),
    "accounts:email_confirm_send": Route("owner", methods=("POST",)),
    "accounts:login_link_send": Route(
        "public", methods=("POST",), data=lambda t: {"email": t.owner.email}
    ),
    # The signed link is the capability: a visitor may know B's owner's id, or hold
    # a link signed for another purpose (a confirmation link) with the same fields.
    "accounts:login_link": Route(
        "public",
        kwargs=lambda t, w: [{"token": _sign_in_link(t.owner)}],
        attack_kwargs=lambda t, w: [
            {"token": str(t.owner.pk)},
            {"token": _confirmation_token(t.owner)},
        ],
        methods=("GET", "POST"),
        ids=True,
    ),
    # The code step after the password: without one, it sends to log in.
    "accounts:login_code": Route("public", methods=("GET", "POST"), data=lambda t: {"code": "1"}),
    # Everyone's own two-step login (owners and consultants alike): no ids, the user's own.
    "accounts:two_factor": Route("owner"),
    "accounts:two_factor_setup": Route("owner", methods=("GET", "POST"), data=lambda t: {}),
    "accounts:two_factor_recovery_codes": Route("owner", methods=("POST",)),
    "accounts:two_factor_off": Route("owner", methods=("POST",), data=lambda t: {"code": "1"}),
    # The owner's pages ("after_login" sends anyone logged in to their workspace).
    "accounts:after_login": Route("owner"),
    "questionnaire:owner_home": Route("owner"),
    "questionnaire:start": Route("owner", methods=("POST",)),
    "accounts:organization_edit": Route("owner", shows_data=True),
    "accounts:sharing": Route("owner", shows_data=True),
    "access_log:list": Route("owner", shows_data=True),
    # A permanent redirect to "sharing", for links made before the page moved.
    "consultants:sharing_old_address": Route("public"),
    "questionnaire:detail": Route("owner", kwargs=_in_progress, ids=True),
    "questionnaire:continue": Route("owner", kwargs=_in_progress, ids=True),
    "questionnaire:section": Route(
        "owner",
        kwargs=lambda t, w: [{"pk": t.in_progress.pk, "pillar": "operational"}],
        methods=("GET", "POST"),
        data=lambda t: {"q-OP-I-01": "0", "save_stay": "1"},
        ids=True,
        shows_data=True,
    ),
    "questionnaire:answer_autosave": Route(
        "owner",
        kwargs=lambda t, w: [{"pk": t.in_progress.pk, "code": "OP-I-01"}],
        methods=("POST",),
        data=lambda t: {"choice": "0", "note": "overwritten", "revision": "0"},
        ids=True,
    ),
    "questionnaire:review": Route("owner", kwargs=_in_progress, ids=True),
    "questionnaire:submit": Route(
        "owner",
        kwargs=_in_progress,
        methods=("POST",),
        data=lambda t: {"confirm": "yes"},
        ids=True,
    ),
    # The rightful owner is told the question is already asked (this bank has no profile).
    "questionnaire:ask_anyway": Route(
        "owner",
        kwargs=lambda t, w: [{"pk": t.in_progress.pk, "code": "OP-I-01"}],
        methods=("POST",),
        ids=True,
    ),
    "reports:results": Route("owner", kwargs=_submitted, ids=True, shows_data=True),
    "documents:report_pdf": Route("owner", kwargs=_submitted, ids=True, shows_data=True),
    # Read-only for the firm's consultant too; picking another tenant's ids is in tests/reports.
    "reports:compare": Route("owner", kwargs=_submitted, ids=True, shows_data=True),
    # The continuity plan: the owner's own (no id in the URL), and the consultant's view.
    "continuity:plan": Route("owner", shows_data=True),
    "continuity:draft": Route("owner", methods=("POST",)),
    "documents:continuity_plan_pdf": Route("owner", shows_data=True),
    "continuity:markdown": Route("owner", shows_data=True),
    "continuity:part": Route(
        "owner",
        kwargs=lambda t, w: [{"key": "premises"}],
        methods=("GET", "POST"),
        data=lambda t: {"revision": "0", "evacuation_point": "Overwritten"},
    ),
    # Marking a part reviewed: the owner's own plan only (no id in the URL).
    "continuity:review": Route(
        "owner",
        kwargs=lambda t, w: [{"key": "premises"}],
        methods=("POST",),
        data=lambda t: {"revision": "0"},
    ),
    "continuity:exercise_add": Route(
        "owner",
        methods=("POST",),
        data=lambda t: {"held_on": "2026-11-20", "participants": "Ann", "lessons": "Fine"},
    ),
    # The owner's own plan only: the gap is looked up among their plan's gaps.
    "continuity:gap_send": Route(
        "owner", methods=("POST",), data=lambda t: {"question_id": "OP-F-01"}
    ),
    "continuity:consultant_plan": Route(
        "consultant",
        kwargs=lambda t, w: [{"org_pk": t.organization.pk}],
        ids=True,
        shows_data=True,
    ),
    "continuity:consultant_comment_add": Route(
        "consultant",
        kwargs=lambda t, w: [{"org_pk": t.organization.pk}],
        methods=("POST",),
        data=lambda t: {"part_key": "data", "text": "Hello"},
        ids=True,
    ),
    # Own comments only: B's comment under B's client, or under A's client, answers 404.
    "continuity:consultant_comment_delete": Route(
        "consultant",
        kwargs=lambda t, w: [{"org_pk": t.organization.pk, "pk": t.plan_comment.pk}],
        attack_kwargs=lambda t, w: [
            {"org_pk": t.organization.pk, "pk": t.plan_comment.pk},
            {"org_pk": w.a.organization.pk, "pk": t.plan_comment.pk},
        ],
        methods=("POST",),
        ids=True,
    ),
    "documents:consultant_continuity_plan_pdf": Route(
        "consultant",
        kwargs=lambda t, w: [{"org_pk": t.organization.pk}],
        ids=True,
        shows_data=True,
    ),
    # The action plan: the owner's own organization, and items by id.
    "action_plan:plan": Route("owner", shows_data=True),
    "action_plan:action_add": Route(
        "owner", methods=("POST",), data=lambda t: {"title": "Own action"}
    ),
    "action_plan:action_update": Route(
        "owner",
        kwargs=lambda t, w: [{"pk": t.item.pk}],
        methods=("GET", "POST"),
        data=lambda t: {"status": "done", "revision": "0"},
        ids=True,
        shows_data=True,
    ),
    "action_plan:action_status": Route(
        "owner",
        kwargs=lambda t, w: [{"pk": t.item.pk}],
        methods=("POST",),
        data=lambda t: {"status": "doing", "revision": "0"},
        ids=True,
    ),
    "action_plan:action_delete": Route(
        "owner", kwargs=lambda t, w: [{"pk": t.item.pk}], methods=("POST",), ids=True
    ),
    "action_plan:targets": Route(
        "owner",
        methods=("POST",),
        data=lambda t: {
            f"target_{key}": "3" for key in ("operational", "financial", "adaptive", "technology")
        },
    ),
    # The signed link is the capability: a visitor may know B's owner's id.
    "action_plan:reminders_unsubscribe": Route(
        "public",
        kwargs=lambda t, w: [{"token": unsubscribe_token(t.owner)}],
        attack_kwargs=lambda t, w: [{"token": str(t.owner.pk)}],
        methods=("GET", "POST"),
        ids=True,
    ),
    # The consultant's workspace.
    "consultants:dashboard": Route("consultant", shows_data=True),
    "consultants:portfolio": Route("consultant"),
    "consultants:portfolio_export": Route(
        "consultant", kwargs=lambda t, w: [{"fmt": "csv"}, {"fmt": "xlsx"}], shows_data=True
    ),
    "consultants:invitations": Route("consultant", shows_data=True),
    "consultants:team": Route("consultant", shows_data=True),
    "consultants:team_invite": Route(
        "consultant",
        methods=("POST",),
        data=lambda t: {"invite-email": "invitee@example.com", "invite-role": "consultant"},
    ),
    "consultants:client": Route(
        "consultant",
        kwargs=lambda t, w: [{"org_pk": t.organization.pk}],
        ids=True,
        shows_data=True,
    ),
    "consultants:comment_add": Route(
        "consultant",
        kwargs=lambda t, w: [{"org_pk": t.organization.pk}],
        methods=("POST",),
        data=lambda t: {"assessment": str(t.submitted.pk), "pillar_key": "", "text": "Hello"},
        ids=True,
    ),
    "consultants:comment_delete": Route(
        "consultant", kwargs=lambda t, w: [{"pk": t.comment.pk}], methods=("POST",), ids=True
    ),
    "consultants:action_add": Route(
        "consultant",
        kwargs=lambda t, w: [{"org_pk": t.organization.pk}],
        methods=("POST",),
        data=lambda t: {"title": "Consultant action"},
        ids=True,
    ),
    "consultants:action_comment": Route(
        "consultant",
        kwargs=lambda t, w: [{"pk": t.item.pk}],
        methods=("POST",),
        data=lambda t: {"text": "A comment"},
        ids=True,
    ),
    "consultants:mark_reviewed": Route(
        "consultant", kwargs=_submitted, methods=("POST",), ids=True
    ),
    "consultants:assessment_export": Route(
        "consultant",
        kwargs=lambda t, w: [
            {"pk": t.submitted.pk, "fmt": "csv"},
            {"pk": t.submitted.pk, "fmt": "xlsx"},
        ],
        ids=True,
        shows_data=True,
    ),
    "consultants:invitation_revoke": Route(
        "consultant", kwargs=lambda t, w: [{"pk": t.invitation.pk}], methods=("POST",), ids=True
    ),
    "consultants:team_two_factor_reset": Route(
        "consultant", kwargs=lambda t, w: [{"pk": t.teammate.pk}], methods=("POST",), ids=True
    ),
    "consultants:team_remove": Route(
        "consultant",
        kwargs=lambda t, w: [{"pk": t.teammate.pk}],
        methods=("GET", "POST"),
        ids=True,
    ),
}


def url_pattern_names() -> tuple[set[str], list[str]]:
    """The site's named patterns, and the routes of unnamed ones (admin and static left out)."""
    names, unnamed = set(), []
    static_prefix = settings.STATIC_URL.lstrip("/")

    def walk(patterns, prefix="", namespace=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern).lstrip("^")
            if route.startswith(("admin/", static_prefix)):
                continue
            if isinstance(pattern, URLResolver):
                inner = f"{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, route, inner)
            elif pattern.name:
                names.add(namespace + pattern.name)
            else:
                unnamed.append(route)

    walk(get_resolver().url_patterns)
    return names, unnamed


def test_every_url_pattern_is_classified_in_the_access_matrix():
    names, unnamed = url_pattern_names()
    assert unnamed == [], "name these URL patterns so the matrix can classify them"
    assert names - ROUTES.keys() == set(), "classify these new URLs in ROUTES"
    assert ROUTES.keys() - names == set(), "these URLs are gone: remove them from ROUTES"


# --- Reading a response the way a person would -----------------------------------------


def readable_text(response) -> str:
    """Headers and body as text: PDF through pypdf, XLSX every cell, the rest decoded."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    parts = [f"{k}: {v}" for k, v in response.headers.items()]
    content_type = response.get("Content-Type", "")
    if body[:5] == b"%PDF-" or "application/pdf" in content_type:
        parts += [page.extract_text() or "" for page in PdfReader(io.BytesIO(body)).pages]
    elif body[:2] == b"PK" or "spreadsheetml" in content_type:
        workbook = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
        for sheet in workbook.worksheets:
            parts.append(sheet.title)
            for row in sheet.iter_rows(values_only=True):
                parts += [str(cell) for cell in row if cell is not None]
    else:
        parts.append(body.decode("utf-8", errors="replace"))
    return "\n".join(parts)


def shows_canary(response) -> bool:
    # Lower case and without white space: PDF lines wrap, emails are lower-cased.
    text = re.sub(r"\s+", "", readable_text(response)).lower()
    return CANARY.lower() in text


def assert_private_headers(response, where: str) -> None:
    """Every dynamic response: never stored by a cache; every HTML page: the strict CSP."""
    assert "no-store" in response.get("Cache-Control", ""), f"{where}: cacheable"
    if response.get("Content-Type", "").startswith("text/html"):
        policy = response.get("Content-Security-Policy", "")
        assert "default-src 'self'" in policy and "unsafe-inline" not in policy, where


def visitor(user) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None and user.firm_memberships.exists():
        verified_login(client, user)  # consultants pass the second step first
    elif user is not None:
        client.force_login(user)
    return client


def call(client: Client, method: str, url: str, data: dict):
    return client.post(url, data) if method == "POST" else client.get(url)


def requests_for(name: str, route: Route, tenant: Tenant, w: World, *, attack: bool = False):
    for kwargs in route.arguments(tenant, w, attack=attack):
        url = reverse(name, kwargs=kwargs)
        for method in route.methods:
            yield method, url, route.data(tenant) if method == "POST" else {}


ID_ROUTES = sorted(name for name, route in ROUTES.items() if route.ids)
SCOPED_ROUTES = sorted(name for name, route in ROUTES.items() if not route.ids)
SHOWING_ROUTES = sorted(n for n, r in ROUTES.items() if not r.ids and r.shows_data)


# --- Another tenant's objects -------------------------------------------------------------


@pytest.mark.parametrize("name", ID_ROUTES)
def test_another_tenants_objects_are_refused_and_never_shown(world, name):
    route = ROUTES[name]
    before = fingerprint(world.b)
    attackers = {
        "A's owner": world.a.owner,
        "A's consultant": world.a.consultant,
        "an anonymous visitor": None,
    }
    for who, user in attackers.items():
        for method, url, data in requests_for(name, route, world.b, world, attack=True):
            response = call(visitor(user), method, url, data)
            where = f"{method} {url} as {who}: HTTP {response.status_code}"
            assert response.status_code < 500, where
            if user is None and name == "questionnaire:answer_autosave":
                # The autosave script gets JSON it can explain, not the login page.
                assert response.status_code == 401, where
                assert response.json()["status"] == "login_required", where
            elif user is None and route.scope != "public":
                assert response.status_code == 302, where
                assert response["Location"].startswith(LOGIN_URL), where
            else:
                assert route.refused(response), where
            assert_private_headers(response, where)
            assert not shows_canary(response), f"{where} shows tenant B's data"
    assert fingerprint(world.b) == before, "a refused request changed tenant B's data"


@pytest.mark.parametrize("name", ID_ROUTES)
def test_the_rightful_user_opens_the_same_urls(world, name):
    """The arguments the matrix builds are right: B's own people get through."""
    route = ROUTES[name]
    rightful = {"public": None, "owner": world.b.owner, "consultant": world.b.consultant}
    for method, url, data in requests_for(name, route, world.b, world):
        response = call(visitor(rightful[route.scope]), method, url, data)
        where = f"{method} {url}: HTTP {response.status_code}"
        assert response.status_code not in (403, 404, 405) and response.status_code < 500, where
        if route.scope != "public":
            assert not response.get("Location", "").startswith(LOGIN_URL), where
        assert_private_headers(response, where)
        if route.shows_data and method == "GET":
            assert shows_canary(response), f"{where}: the canary scan found nothing"


@pytest.mark.parametrize("name", SCOPED_ROUTES)
def test_pages_without_ids_show_only_the_visitors_own_tenant(world, name):
    """A's people (and strangers) on pages scoped by who is asking: nothing of B."""
    route = ROUTES[name]
    before = fingerprint(world.b)
    for who, user in {
        "A's owner": world.a.owner,
        "A's consultant": world.a.consultant,
        "an anonymous visitor": None,
    }.items():
        for method, url, data in requests_for(name, route, world.a, world):
            response = call(visitor(user), method, url, data)
            where = f"{method} {url} as {who}: HTTP {response.status_code}"
            assert response.status_code < 500, where
            if user is None and route.scope != "public":
                assert response.status_code == 302, where
                assert response["Location"].startswith(LOGIN_URL), where
            assert_private_headers(response, where)
            assert not shows_canary(response), f"{where} shows tenant B's data"
    assert fingerprint(world.b) == before


@pytest.mark.parametrize("name", SHOWING_ROUTES)
def test_pages_without_ids_show_the_visitors_own_data(world, name):
    """The same pages for B's people do show B: the scan in the test above can see."""
    route = ROUTES[name]
    user = world.b.owner if route.scope == "owner" else world.b.consultant
    for method, url, data in requests_for(name, route, world.b, world):
        response = call(visitor(user), method, url, data)
        assert response.status_code == 200, f"{method} {url}: HTTP {response.status_code}"
        assert shows_canary(response), f"{method} {url}: the canary scan found nothing"


# --- Ids smuggled in a form body -----------------------------------------------------------


def test_a_consultant_cannot_comment_on_another_firms_assessment_through_the_form(world):
    before = fingerprint(world.b)
    response = visitor(world.a.consultant).post(
        reverse("consultants:comment_add", args=[world.a.organization.pk]),
        {"assessment": str(world.b.submitted.pk), "pillar_key": "", "text": "planted"},
    )
    assert response.status_code in (400, 404)
    assert not shows_canary(response)
    assert fingerprint(world.b) == before


def test_consultants_never_answer_even_for_their_own_clients(world):
    response = visitor(world.a.consultant).post(
        reverse("questionnaire:answer_autosave", args=[world.a.in_progress.pk, "OP-I-01"]),
        {"choice": "0", "revision": "0"},
    )
    assert response.status_code == 404
    assert not Answer.objects.filter(
        assessment=world.a.in_progress, question__code="OP-I-01"
    ).exists()
