"""The consultant's side: invitations into a firm, and review comments on a client's assessment."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts.models import FirmMembership


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


class ReviewComment(models.Model):
    """A consultant's comment, shown in the client's report under "Consultant comments"."""

    assessment = models.ForeignKey(
        "assessments.Assessment", on_delete=models.CASCADE, related_name="review_comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # The firm the author worked for: a client that moves to another firm keeps
    # every comment in its report, but each firm sees and deletes only its own.
    firm = models.ForeignKey(
        "accounts.Firm",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="review_comments",
    )
    pillar_key = models.SlugField(
        max_length=40, blank=True, help_text="The pillar the comment is about; blank for overall."
    )
    text = models.TextField(max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return f"Comment by {self.author} on {self.assessment_id}"

    def save(self, *args, **kwargs):
        if self.firm_id is None and self.author_id is not None:
            membership = FirmMembership.objects.filter(user=self.author_id).first()
            self.firm_id = membership.firm_id if membership else None
        super().save(*args, **kwargs)
