"""The consultant's side: invitations into a firm, and review comments on a client's assessment."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts.models import FirmMembership

# Invitations a firm may have waiting for an answer at once (docs/deployment.md, "Bounds"):
# far above a firm's onboarding, low enough that the invitations page stays short.
PENDING_INVITATIONS_MAX = 200


def hash_token(raw_token: str) -> str:
    """The stored form of an invitation token: only its SHA-256 digest is kept.

    The raw token travels in the emailed link and nowhere else, so a copy of
    the database cannot be turned into working invitation links.
    """
    return hashlib.sha256(raw_token.encode("utf-8", "surrogatepass")).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        """Neither used, revoked nor expired."""
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    """A single-use link into a firm: a client organization, or a new consultant.

    A client invitation links the organization of whoever accepts it to the
    firm; a consultant invitation makes whoever accepts it a member of the
    firm in ``role``.
    """

    class Kind(models.TextChoices):
        CLIENT = "client", "Client"
        CONSULTANT = "consultant", "Consultant"

    firm = models.ForeignKey("accounts.Firm", on_delete=models.CASCADE, related_name="invitations")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CLIENT)
    role = models.CharField(
        max_length=20,
        choices=FirmMembership.Role.choices,
        blank=True,
        help_text="The firm role a consultant invitation grants; blank for clients.",
    )
    email = models.EmailField("email address")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The client organization linked when the invitation was accepted.",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="client", role="")
                | models.Q(kind="consultant", role__in=["admin", "consultant"]),
                name="invitation_role_matches_kind",
            ),
        ]
        indexes = [models.Index(fields=["firm", "kind", "-created_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} invitation for {self.email} to {self.firm}"

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)

    @property
    def is_accepted(self) -> bool:
        return self.accepted_at is not None

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def state(self) -> str:
        """One word for lists: accepted, revoked, expired or pending."""
        if self.is_accepted:
            return "accepted"
        if self.is_revoked:
            return "revoked"
        if self.is_expired:
            return "expired"
        return "pending"
