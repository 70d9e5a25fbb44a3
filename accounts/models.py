"""Who uses the product: people, the organizations they answer for, and consultancy firms.

Tenancy lives here so that one module (accounts.permissions) can scope every
query to what a user may see.
"""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.text import slugify

from core.text import one_line

ERR_MAIN_SITE_NEEDED = "Name your most important site, or choose one site."


class UserManager(BaseUserManager):
    """Users log in with their email address; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None
    email = models.EmailField("email address", unique=True)
    # Only public sign-up starts unconfirmed: an invitation's link, an admin
    # or the demo data vouch for the address. Invitations need a confirmed one.
    email_confirmed = models.BooleanField(
        default=True, help_text="Whether the owner of the address has opened a link sent to it."
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        ordering = ["email"]

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        # One spelling per address, so "Ann@X.com" cannot sign up twice.
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)


class Sector(models.TextChoices):
    """The sectors the framework weights; "other" businesses get general weights."""

    MANUFACTURING = "manufacturing", "Manufacturing"
    SERVICE = "service", "Service"
    RETAIL = "retail", "Retail"
    TECHNOLOGY = "technology", "Technology"
    GENERAL = "general", "Other"


class SizeBand(models.TextChoices):
    MICRO = "1-9", "1–9 employees"
    SMALL = "10-49", "10–49 employees"
    MEDIUM = "50-249", "50–249 employees"


class Sites(models.TextChoices):
    """Where the business works from: decides the ``several_sites`` and ``no_premises`` traits."""

    ONE = "one", "One site (a shop, office, workshop or yard)"
    SEVERAL = "several", "Several sites"
    NONE = "none", "None: we work from home or remotely"


# The yes/no answers of the business profile, named as the traits they set (scoring.profile).
PROFILE_ANSWERS = ("works_away", "makes_goods", "sensitive_data", "regulated", "card_in_person")


class Firm(models.Model):
    """A consultancy firm whose consultants follow client organizations."""

    name = models.CharField(max_length=200, validators=[one_line])
    slug = models.SlugField(max_length=80, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class FirmMembership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", "Firm admin"
        CONSULTANT = "consultant", "Consultant"

    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="firm_memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.CONSULTANT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["firm", "user"], name="unique_firm_membership"),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}) at {self.firm}"


class Organization(models.Model):
    """The business being assessed."""

    name = models.CharField("business name", max_length=200, validators=[one_line])
    slug = models.SlugField(max_length=80, unique=True)
    sector = models.CharField(max_length=20, choices=Sector.choices)
    size_band = models.CharField("size", max_length=10, choices=SizeBand.choices)
    region = models.CharField("country or region", max_length=100)
    firm = models.ForeignKey(
        Firm,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="clients",
        help_text="The consultancy this organization shares its assessments with.",
    )
    # The business profile: plain facts that decide which questions apply and which advice
    # fits (scoring.profile). ``traits`` turns them into the profile's boolean traits.
    sites = models.CharField(
        "where do you work from?", max_length=10, choices=Sites.choices, default=Sites.ONE
    )
    main_site = models.CharField(
        "your most important site",
        max_length=120,
        blank=True,
        validators=[one_line],
        help_text="The one whose loss would hurt most, such as “the kitchen on Mill Lane”. "
        "Questions about premises ask about this site.",
    )
    works_away = models.BooleanField("We work at customers’ places or from vehicles", default=False)
    makes_goods = models.BooleanField(
        "We make or prepare what we sell (food or goods)", default=False
    )
    sensitive_data = models.BooleanField(
        "We hold health or other sensitive personal data", default=False
    )
    regulated = models.BooleanField("A regulator licenses or inspects us", default=False)
    card_in_person = models.BooleanField("We take card payments in person", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self._unique_slug()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("accounts:organization_edit")

    def clean(self):
        # Only a business with several sites names one: the premises questions ask about it.
        if self.sites != Sites.SEVERAL:
            self.main_site = ""
        elif not self.main_site.strip():
            raise ValidationError({"main_site": ERR_MAIN_SITE_NEEDED})

    @property
    def traits(self) -> dict[str, bool]:
        """The profile as the framework's traits: the one place the sites answer is read."""
        return {
            "several_sites": self.sites == Sites.SEVERAL,
            "no_premises": self.sites == Sites.NONE,
            **{name: bool(getattr(self, name)) for name in PROFILE_ANSWERS},
        }

    def _unique_slug(self) -> str:
        base = slugify(self.name)[:60] or "organization"
        candidate, n = base, 2
        while Organization.objects.filter(slug=candidate).exists():
            candidate, n = f"{base}-{n}", n + 1
        return candidate


class Membership(models.Model):
    """A person's place in an organization; more people can join later."""

    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        MEMBER = "member", "Member"

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.OWNER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "user"], name="unique_organization_membership"
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}) of {self.organization}"


class RequestCount(models.Model):
    """How many times one key (an action and a hashed address) asked this hour: a rate limit.

    Counted in the database with an UPDATE ... count + 1, which is atomic on
    every database: twenty requests at once from one address count twenty
    (the cache's incr is a read then a write on the file and database caches).
    """

    key = models.CharField(max_length=100, unique=True)
    started_at = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["started_at"], name="request_count_started_idx")]

    def __str__(self):
        return f"{self.key}: {self.count} since {self.started_at:%H:%M}"
