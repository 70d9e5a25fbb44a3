"""Workflows of the consultant workspace; each one is all-or-nothing.

Invitations carry a random token: the emailed link holds the raw token, the
database only its SHA-256 digest (``models.hash_token``). A link works once,
for ``INVITATION_VALID_FOR``, and can be withdrawn before it is used.
"""

import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import dateformat, timezone

from accounts import two_factor
from accounts.models import FirmMembership, Organization, User
from accounts.permissions import owned_organization
from accounts.services import owner_signup
from assessments.models import Assessment
from assessments.selectors import assessment_framework
from core.email import EmailNotSent, email_send
from core.errors import ServiceError
from reports.models import REVIEW_COMMENTS_MAX, ReviewComment

from .models import PENDING_INVITATIONS_MAX, Invitation, hash_token

logger = logging.getLogger("resilience.consultants")

INVITATION_VALID_FOR = timedelta(days=14)
TOKEN_BYTES = 32

# Shown to whoever opens a link that cannot be used (see views.invitation_accept).
ERR_INVITATION_NOT_FOUND = (
    "Check that you opened the whole link from the email: a link that is cut short or "
    "changed does not work. If it still fails, ask your consultant for a new invitation."
)
ERR_INVITATION_EXPIRED = (
    "This invitation expired on {date}. Invitation links work for 14 days; "
    "ask {firm} to send you a new one."
)
ERR_INVITATION_USED = (
    "This invitation has already been used: each link works only once. "
    "If you accepted it yourself, log in with the email address it was sent to."
)
ERR_INVITATION_REVOKED = "{firm} withdrew this invitation. Ask them for a new one if you need it."

ERR_NOT_AN_OWNER = (
    "Only the owner of a business can share it with a consultancy, and the account you are "
    "logged in with does not own one. Log out, then open the link again to sign up."
)
ERR_WRONG_ACCOUNT = (
    "This invitation was sent to {email}, and only that address can accept it. "
    "Log out, then open the link again and log in or sign up as {email}."
)
ERR_EMAIL_NOT_CONFIRMED = (
    "Confirm your email address first: open the link we emailed you when you signed up. "
    "Invitations are sent and accepted only by confirmed addresses."
)
ERR_ACCOUNT_EXISTS = (
    "An account with the address {email} already exists. "
    "Log in with it, then open the invitation link again to accept."
)
ERR_SIGNUP_DETAILS = "Choose a password and describe the business to sign up."
ERR_ALREADY_IN_FIRM = "{email} already works for a consultancy firm."
ERR_ALREADY_IN_THIS_FIRM = "{email} is already a member of {firm}."
ERR_LAST_ADMIN = (
    "{email} is the firm's only admin. Make another consultant an admin before removing them."
)
ERR_ALREADY_CLIENT = "{organization} already shares its assessments with {firm}."
ERR_INVITATION_NOT_PENDING = "Only a pending invitation can be withdrawn."
ERR_EMAIL_FAILED = (
    "The invitation email could not be sent, so no invitation was created. "
    "Try again in a few minutes."
)
ERR_RESET_EMAIL_FAILED = (
    "The email to {email} could not be sent, so their two-step login was not reset. "
    "Try again in a few minutes."
)
ERR_NOT_SUBMITTED = "Only a submitted assessment can be reviewed or commented on."
ERR_UNKNOWN_PILLAR = "Choose “Overall” or one of the framework's pillars."
ERR_EMPTY_COMMENT = "Write the comment before saving it."
ERR_TOO_MANY_COMMENTS = (
    "This assessment has {limit} review comments, the most a report can hold. Delete ones "
    "that are no longer needed, or add to one of them, to say more."
)
ERR_TOO_MANY_INVITATIONS = (
    "Your firm has {limit} invitations waiting for an answer, the most it can have at once. "
    "Withdraw ones that will not be accepted (on the invitations page) to send more."
)


class InvitationNotFound(ServiceError):
    """The link matches no invitation: mistyped, truncated or tampered with."""

    status = 404


class InvitationGone(ServiceError):
    """The invitation existed but can no longer be used: used, expired or withdrawn."""

    status = 410


@dataclass(frozen=True)
class IssuedInvitation:
    """A new invitation with the one copy of its raw token, and the link that carries it."""

    invitation: Invitation
    token: str
    url: str


def invitation_url(token: str, *, base_url: str) -> str:
    return base_url.rstrip("/") + reverse("consultants:invitation_accept", args=[token])


@transaction.atomic
def invitation_create(
    *,
    firm,
    email: str,
    invited_by: User,
    base_url: str,
    kind: str = Invitation.Kind.CLIENT,
    role: str = "",
) -> IssuedInvitation:
    """Create an invitation and email its link; without the email, nothing is kept.

    A new invitation withdraws earlier pending ones for the same address,
    firm and kind, so only the latest link works.
    """
    email = (email or "").strip().lower()
    if not invited_by.email_confirmed:
        raise ServiceError(ERR_EMAIL_NOT_CONFIRMED, "email")
    if kind == Invitation.Kind.CLIENT:
        role = ""
        existing = Organization.objects.filter(firm=firm, memberships__user__email=email).first()
        if existing is not None:
            raise ServiceError(
                ERR_ALREADY_CLIENT.format(organization=existing.name, firm=firm.name), "email"
            )
    else:
        role = role or FirmMembership.Role.CONSULTANT
        # Only what the team page shows anyway: whether an address has an
        # account, or works for another firm, is the invitee's business.
        if FirmMembership.objects.filter(firm=firm, user__email=email).exists():
            raise ServiceError(
                ERR_ALREADY_IN_THIS_FIRM.format(email=email, firm=firm.name), "email"
            )

    now = timezone.now()
    Invitation.objects.pending().filter(firm=firm, email=email, kind=kind).update(revoked_at=now)
    # The firm's row is locked while counting: two sends at once are counted one by one.
    type(firm).objects.select_for_update().filter(pk=firm.pk).first()
    if Invitation.objects.pending().filter(firm=firm).count() >= PENDING_INVITATIONS_MAX:
        raise ServiceError(ERR_TOO_MANY_INVITATIONS.format(limit=PENDING_INVITATIONS_MAX), "email")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    invitation = Invitation(
        firm=firm,
        kind=kind,
        role=role,
        email=email,
        token_hash=hash_token(token),
        invited_by=invited_by,
        expires_at=now + INVITATION_VALID_FOR,
    )
    invitation.full_clean()
    invitation.save()
    url = invitation_url(token, base_url=base_url)
    _send_invitation_email(invitation, url)
    logger.info(
        "invitation %s created for firm %s by user %s", invitation.pk, firm.pk, invited_by.pk
    )
    return IssuedInvitation(invitation=invitation, token=token, url=url)


def _send_invitation_email(invitation: Invitation, url: str) -> None:
    context = {
        "invitation": invitation,
        "firm": invitation.firm,
        "inviter": invitation.invited_by,
        "url": url,
        "valid_days": INVITATION_VALID_FOR.days,
        "expires_at": invitation.expires_at,
    }
    try:
        email_send(
            to=invitation.email,
            subject_template="emails/invitation_subject.txt",
            body_template=f"emails/invitation_{invitation.kind}.txt",
            context=context,
        )
    except EmailNotSent as exc:
        logger.warning("invitation email to firm %s failed: %s", invitation.firm_id, exc)
        raise ServiceError(ERR_EMAIL_FAILED, "email") from exc


def invitation_check(token: str) -> Invitation:
    """The invitation a link stands for, if it can still be accepted.

    Raises InvitationNotFound for a link that matches nothing (mistyped or
    tampered with) and InvitationGone for one used, withdrawn or expired.
    """
    invitation = (
        Invitation.objects.select_related("firm", "invited_by")
        .filter(token_hash=hash_token(token or ""))
        .first()
    )
    return _usable(invitation)


def _usable(invitation: Invitation | None) -> Invitation:
    if invitation is None:
        raise InvitationNotFound(ERR_INVITATION_NOT_FOUND)
    if invitation.is_accepted:
        raise InvitationGone(ERR_INVITATION_USED)
    if invitation.is_revoked:
        raise InvitationGone(ERR_INVITATION_REVOKED.format(firm=invitation.firm.name))
    if invitation.is_expired:
        date = dateformat.format(timezone.localtime(invitation.expires_at), "j F Y")
        raise InvitationGone(ERR_INVITATION_EXPIRED.format(date=date, firm=invitation.firm.name))
    return invitation


@transaction.atomic
def invitation_accept(
    *,
    token: str,
    user: User | None = None,
    password: str | None = None,
    organization: dict | None = None,
) -> Invitation:
    """Accept an invitation, once.

    With ``user`` (someone logged in): a client invitation links the business
    they own to the firm; a consultant invitation makes them a member of it.
    Without ``user``, a new account is created for the invited address with
    ``password`` (and, for a client, the business described by
    ``organization``: name, sector, size_band, region).
    """
    invitation = _usable(
        Invitation.objects.select_for_update()
        .select_related("firm")
        .filter(token_hash=hash_token(token or ""))
        .first()
    )
    if user is None:
        user = _signup_for(invitation, password=password, organization=organization)
    elif user.email.lower() != invitation.email:
        # The link may have been forwarded: only the invited address may use it.
        raise ServiceError(ERR_WRONG_ACCOUNT.format(email=invitation.email))
    elif not user.email_confirmed:
        # Anyone can sign up with someone else's address and wait for their invitation.
        raise ServiceError(ERR_EMAIL_NOT_CONFIRMED)
    if invitation.kind == Invitation.Kind.CLIENT:
        org = owned_organization(user)
        if org is None:
            raise ServiceError(ERR_NOT_AN_OWNER)
        org.firm = invitation.firm
        org.save(update_fields=["firm", "updated_at"])
        invitation.organization = org
    else:
        if not FirmMembership.objects.filter(user=user).exists():
            FirmMembership.objects.create(firm=invitation.firm, user=user, role=invitation.role)
        else:
            _check_can_join_firm(email=user.email, firm=invitation.firm)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by", "organization"])
    logger.info("invitation %s accepted by user %s", invitation.pk, user.pk)
    return invitation


def _signup_for(invitation: Invitation, *, password, organization) -> User:
    if User.objects.filter(email=invitation.email).exists():
        raise ServiceError(ERR_ACCOUNT_EXISTS.format(email=invitation.email))
    if not password or (invitation.kind == Invitation.Kind.CLIENT and not organization):
        raise ServiceError(ERR_SIGNUP_DETAILS)
    if invitation.kind == Invitation.Kind.CLIENT:
        return owner_signup(email=invitation.email, password=password, organization=organization)
    return User.objects.create_user(email=invitation.email, password=password)


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, user: User) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.state != "pending":
        raise ServiceError(ERR_INVITATION_NOT_PENDING)
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    logger.info("invitation %s withdrawn by user %s", invitation.pk, user.pk)
    return invitation


# --- The firm's team ------------------------------------------------------------


def _check_can_join_firm(*, email: str, firm) -> None:
    membership = FirmMembership.objects.select_related("firm").filter(user__email=email).first()
    if membership is None:
        return
    if membership.firm_id == firm.pk:
        raise ServiceError(ERR_ALREADY_IN_THIS_FIRM.format(email=email, firm=firm.name))
    raise ServiceError(ERR_ALREADY_IN_FIRM.format(email=email))


@transaction.atomic
def consultant_remove(*, membership: FirmMembership, removed_by: User) -> None:
    """Remove a consultant from the firm; the firm always keeps an admin."""
    admins = FirmMembership.objects.select_for_update().filter(
        firm=membership.firm_id, role=FirmMembership.Role.ADMIN
    )
    if membership.role == FirmMembership.Role.ADMIN and admins.count() <= 1:
        raise ServiceError(ERR_LAST_ADMIN.format(email=membership.user.email))
    logger.info(
        "user %s removed from firm %s by user %s",
        membership.user_id,
        membership.firm_id,
        removed_by.pk,
    )
    membership.delete()


@transaction.atomic
def two_factor_reset(*, membership: FirmMembership, reset_by: User, base_url: str) -> None:
    """A firm admin resets a member's two-step login (a lost phone and lost codes).

    The member's app and recovery codes are deleted, so their sessions stop
    being verified at once and they set it up again at their next login;
    an email tells them, or, if it cannot be sent, nothing is changed.
    """
    two_factor.remove_all(user=membership.user)
    logger.info(
        "two-step login of user %s reset by user %s (firm %s)",
        membership.user_id,
        reset_by.pk,
        membership.firm_id,
    )
    try:
        email_send(
            to=membership.user.email,
            subject_template="emails/two_factor_reset_subject.txt",
            body_template="emails/two_factor_reset.txt",
            context={
                "firm": membership.firm.name,
                "email": membership.user.email,
                "reset_by": reset_by.email,
                "login_url": base_url.rstrip("/") + reverse("accounts:login"),
            },
        )
    except EmailNotSent as exc:
        logger.warning("two-step reset email to user %s failed: %s", membership.user_id, exc)
        raise ServiceError(ERR_RESET_EMAIL_FAILED.format(email=membership.user.email)) from exc


# --- Reviewing a client's assessment --------------------------------------------


@transaction.atomic
def review_comment_add(
    *, assessment: Assessment, author: User, text: str, pillar_key: str = ""
) -> ReviewComment:
    """A comment for the client's report: overall (blank pillar) or on one pillar."""
    if not assessment.is_submitted:
        raise ServiceError(ERR_NOT_SUBMITTED)
    text = (text or "").strip()
    if not text:
        raise ServiceError(ERR_EMPTY_COMMENT)
    pillar_key = pillar_key or ""
    if pillar_key and pillar_key not in assessment_framework(assessment).pillar_keys:
        raise ServiceError(ERR_UNKNOWN_PILLAR)
    # The assessment's row is locked while counting: two comments at once are counted in turn.
    Assessment.objects.select_for_update().filter(pk=assessment.pk).first()
    if assessment.review_comments.count() >= REVIEW_COMMENTS_MAX:
        raise ServiceError(ERR_TOO_MANY_COMMENTS.format(limit=REVIEW_COMMENTS_MAX), "text")
    comment = ReviewComment(assessment=assessment, author=author, pillar_key=pillar_key, text=text)
    try:
        comment.full_clean()
    except ValidationError as exc:
        raise ServiceError(" ".join(exc.messages)) from exc
    comment.save()
    return comment


@transaction.atomic
def review_comment_delete(*, comment: ReviewComment) -> None:
    """Delete a review comment."""
    comment.delete()


@transaction.atomic
def assessment_mark_reviewed(*, assessment: Assessment, user: User) -> Assessment:
    """Record that the consultant has gone through a submitted assessment."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not assessment.is_submitted:
        raise ServiceError(ERR_NOT_SUBMITTED)
    assessment.reviewed_at = timezone.now()
    assessment.reviewed_by = user
    # Only these fields: updated_at is the client's last activity, not the consultant's.
    assessment.save(update_fields=["reviewed_at", "reviewed_by"])
    return assessment
