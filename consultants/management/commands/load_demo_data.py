"""Load a demo consultancy with clients at every stage, answered through the real services.

Safe to run again: the demo firm's slug marks the data as loaded, and a
second run only prints the logins. Everything is written in one transaction,
so a failure halfway leaves nothing behind. Answers are drawn from a seeded
random generator, so every machine gets the same businesses and scores (the
dates move with today's date, so trends always cover the past year).
"""

import random
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

import yaml
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from access_log.models import AccessRecord
from access_log.services import access_record
from accounts.models import Firm, FirmMembership, Membership, Organization, User
from action_plans.models import ActionItem
from action_plans.selectors import default_target
from action_plans.services import (
    ItemChange,
    action_item_add,
    action_item_comment,
    action_item_update,
    targets_set,
)
from assessments.models import Answer, Assessment, FrameworkVersion, Question
from assessments.selectors import latest_submitted, stored_result
from assessments.services import AnswerInput, answers_save, assessment_start, assessment_submit
from consultants.models import Invitation, hash_token
from consultants.services import INVITATION_VALID_FOR
from continuity.services import (
    continuity_part_review,
    continuity_part_save,
    continuity_plan_open,
)
from reports.benchmark import rebuild_benchmarks
from reports.models import ReviewComment
from scoring.profile import applies

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - a published demo login, not a secret
FIRM_NAME = "Harbour Resilience Partners"
FIRM_SLUG = "harbour-resilience-partners"
ADMIN_EMAIL = "admin@example.com"
FIRM_ADMIN_EMAIL = "amara.okafor@harbour-resilience.example"
CONSULTANT_EMAIL = "lewis.chen@harbour-resilience.example"
SEED = 20260115

# Submissions older than this were answered on the version imported before the active one
# (when there is one), so the demo shows assessments on both versions side by side.
EARLIER_VERSION_BEFORE_MONTHS = 4
LEVEL_ADJUSTMENT = {0: 0.26, 1: 0.04, 2: -0.2}  # by level position: fundamentals are easier
IMPROVEMENT_PER_ROUND = 0.09
DEMO_FILE = settings.BASE_DIR / "fixtures" / "demo.yaml"


@dataclass(frozen=True)
class DemoClient:
    """One business of fixtures/demo.yaml (its comments say what each field means)."""

    name: str
    sector: str
    size_band: str
    region: str
    owner: str
    skill: float
    submitted_months_ago: tuple[float, ...] = ()
    reviewed: int = 0
    in_progress: float | None = None
    pillar_bias: dict = field(default_factory=dict)
    comments: tuple[dict, ...] = ()
    action_plan: dict | None = None
    # "First Last": printed on the continuity plan and in the access log instead of an address.
    owner_name: str = ""
    # The business profile's answers (Organization fields): sites, main_site, works_away, ...
    profile: dict = field(default_factory=dict)


def demo_data() -> dict:
    """The demo businesses, notes and continuity plan, as fixtures/demo.yaml writes them."""
    data = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))
    for key in ("clients", "peers"):
        data[key] = [
            DemoClient(
                **{**row, "submitted_months_ago": tuple(row.get("submitted_months_ago", ()))}
            )
            for row in data[key]
        ]
    return data


def asked(questions: list, organization) -> list:
    """The questions a business with this profile is asked (scoring.profile.applies)."""
    return [q for q in questions if applies(q.applies_when, organization.traits)]


class Command(BaseCommand):
    help = "Load a demo consultancy with clients at every stage (run once; safe to repeat)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--i-know-this-is-not-production",
            action="store_true",
            help="Load the demo data although DEBUG is off (a staging copy, a test run).",
        )

    def handle(self, *args, **options):
        # The demo accounts, a superuser among them, share a published password.
        if not (settings.DEBUG or options["i_know_this_is_not_production"]):
            raise CommandError(
                "The demo data creates a superuser whose password is published. "
                "It loads only when DEBUG is on, or with --i-know-this-is-not-production."
            )
        if Firm.objects.filter(slug=FIRM_SLUG).exists():
            self.stdout.write("Demo data is already loaded; nothing changed.")
            self._print_logins()
            return
        framework = FrameworkVersion.objects.active().first()
        if framework is None:
            raise CommandError(
                "No active framework: run `python manage.py import_framework "
                "fixtures/framework.yaml` first."
            )
        with transaction.atomic():
            self._load(framework)
            # The figures the daily rebuild would publish, so the demo shows a benchmark at once.
            rebuild_benchmarks()
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded on framework {framework}."))
        self._print_logins()

    def _load(self, framework):
        now = timezone.now()
        # One hash for every demo login: hashing is slow on purpose, and these are public.
        password = make_password(DEMO_PASSWORD)
        if not User.objects.filter(email=ADMIN_EMAIL).exists():
            User.objects.create_superuser(email=ADMIN_EMAIL, password=None)
            User.objects.filter(email=ADMIN_EMAIL).update(password=password)
        firm = Firm.objects.create(name=FIRM_NAME, slug=FIRM_SLUG)
        admin = self._user(FIRM_ADMIN_EMAIL, password, first_name="Amara", last_name="Okafor")
        consultant = self._user(CONSULTANT_EMAIL, password, first_name="Lewis", last_name="Chen")
        FirmMembership.objects.create(firm=firm, user=admin, role=FirmMembership.Role.ADMIN)
        FirmMembership.objects.create(
            firm=firm, user=consultant, role=FirmMembership.Role.CONSULTANT
        )
        earlier = FrameworkVersion.objects.exclude(pk=framework.pk).order_by("-imported_at").first()
        versions = {"active": framework, "earlier": earlier or framework}
        questions = {
            version: list(
                Question.objects.filter(framework=version)
                .select_related("pillar", "level")
                .prefetch_related("options")
                .order_by("position")
            )
            for version in set(versions.values())
        }
        reviewers = [admin, consultant]
        data = demo_data()
        self.notes, self.consultant_action = data["notes"], data["consultant_action"]
        for index, spec in enumerate(data["clients"]):
            self._client(spec, firm, versions, questions, password, now, reviewers[index % 2])
        for spec in data["peers"]:
            self._client(spec, None, versions, questions, password, now, reviewer=None)
        self._continuity_plan(**data["continuity_plan"])
        Invitation.objects.create(
            firm=firm,
            kind=Invitation.Kind.CLIENT,
            email="hello@seaview-guesthouse.example",
            token_hash=hash_token(secrets.token_urlsafe(32)),
            invited_by=consultant,
            expires_at=now + INVITATION_VALID_FOR - timedelta(days=3),
        )
        Invitation.objects.filter(email="hello@seaview-guesthouse.example").update(
            created_at=now - timedelta(days=3)
        )

    def _continuity_plan(self, *, owner: str, parts: dict):
        """A plan drafted from the owner's answers, with the parts the file writes out,
        each saved and then reviewed by the owner (saving alone is not a review)."""
        owner = User.objects.get(email=owner)
        plan = continuity_plan_open(organization=owner.memberships.get().organization)
        for part in plan.parts.filter(key__in=parts):
            part = continuity_part_save(part=part, content=parts[part.key], revision=0, user=owner)
            continuity_part_review(part=part, revision=part.revision, user=owner)

    def _user(self, email, password, **names):
        user = User.objects.create_user(email=email, password=None, **names)
        User.objects.filter(pk=user.pk).update(password=password)
        return user

    def _client(self, spec: DemoClient, firm, versions, questions, password, now, reviewer):
        rng = random.Random(f"{SEED}-{spec.name}")
        first, _, last = spec.owner_name.partition(" ")
        owner = self._user(spec.owner, password, first_name=first, last_name=last)
        org = Organization.objects.create(
            name=spec.name,
            sector=spec.sector,
            size_band=spec.size_band,
            region=spec.region,
            firm=firm,
            **spec.profile,
        )
        Membership.objects.create(organization=org, user=owner, role=Membership.Role.OWNER)
        first_month = max(spec.submitted_months_ago, default=1)
        joined = now - timedelta(days=round(30.4 * first_month) + 10)
        Organization.objects.filter(pk=org.pk).update(created_at=joined, updated_at=joined)

        for round_number, months_ago in enumerate(spec.submitted_months_ago):
            submitted_at = now - timedelta(days=round(30.4 * months_ago), hours=rng.randint(1, 9))
            version = versions[
                "earlier" if months_ago > EARLIER_VERSION_BEFORE_MONTHS else "active"
            ]
            # Created directly, not by assessment_start, which always takes the active version.
            assessment = Assessment.objects.create(
                organization=org,
                framework=version,
                sector=org.sector,
                traits=org.traits,
                created_by=owner,
            )
            answers_save(
                assessment=assessment,
                answers=self._answers(spec, asked(questions[version], org), rng, round_number),
                user=owner,
            )
            assessment_submit(assessment=assessment, user=owner)
            started_at = submitted_at - timedelta(days=rng.randint(2, 12))
            self._backdate(assessment, started_at, submitted_at)
            if round_number < spec.reviewed:
                reviewed_at = min(submitted_at + timedelta(days=rng.randint(2, 6)), now)
                Assessment.objects.filter(pk=assessment.pk).update(
                    reviewed_at=reviewed_at, reviewed_by=reviewer
                )
                # The reviewer read the report: the owner's "Access to your data" lists it.
                look = access_record(reviewer, org, AccessRecord.What.REPORT, assessment=assessment)
                AccessRecord.objects.filter(pk=look.pk).update(at=reviewed_at)
            if round_number == len(spec.submitted_months_ago) - 1:
                for row in spec.comments:
                    comment = ReviewComment.objects.create(
                        assessment=assessment,
                        author=reviewer,
                        pillar_key=row["pillar"],
                        text=row["text"],
                    )
                    ReviewComment.objects.filter(pk=comment.pk).update(
                        created_at=min(submitted_at + timedelta(days=2), now)
                    )

        if spec.action_plan:
            self._plan(org, owner, reviewer, firm, now, **spec.action_plan)

        if spec.in_progress is not None:
            assessment = assessment_start(organization=org, user=owner)
            round_number = len(spec.submitted_months_ago)
            answers = self._answers(
                spec, asked(questions[versions["active"]], org), rng, round_number
            )
            answered = answers[: round(len(answers) * spec.in_progress)]
            if answered:
                answers_save(assessment=assessment, answers=answered, user=owner)
            started_at = now - timedelta(days=rng.randint(6, 20))
            last_save = now - timedelta(days=rng.randint(0, 5), hours=rng.randint(1, 20))
            self._backdate(assessment, started_at, None, updated_at=last_save)

    def _plan(self, org, owner, consultant, firm, now, done, overdue, people):
        """Targets one level up, a few actions done, some overdue, a consultant's own action."""
        latest = latest_submitted(org)
        targets_set(
            organization=org,
            user=owner,
            levels={
                key: default_target(pillar.maturity.index)
                for key, pillar in stored_result(latest).pillars.items()
            },
            target_date=(now + timedelta(days=180)).date(),
        )
        items = list(ActionItem.objects.filter(organization=org).order_by("pk"))
        today = now.date()
        for n, item in enumerate(items[: done + overdue + 3]):
            status = ActionItem.Status.DONE if n < done else ActionItem.Status.TODO
            due = (
                today - timedelta(days=9 - n)
                if n < done + overdue
                else today + timedelta(days=5 + 9 * n)
            )
            action_item_update(
                item=item,
                user=owner,
                change=ItemChange(
                    status=status,
                    assignee=people[n % len(people)],
                    due_date=due,
                    revision=item.revision,
                ),
            )
        own = action_item_add(
            organization=org,
            user=consultant,
            firm=firm,
            title=self.consultant_action,
            due_date=today + timedelta(days=21),
        )
        action_item_comment(
            item=own, user=consultant, firm=firm, text="Bring the policy schedule to our next call."
        )

    def _backdate(self, assessment, started_at, submitted_at, updated_at=None):
        """Move an assessment (and its answers) to the past, so the history shows a trend."""
        updated_at = updated_at or submitted_at
        Assessment.objects.filter(pk=assessment.pk).update(
            started_at=started_at, submitted_at=submitted_at, updated_at=updated_at
        )
        Answer.objects.filter(assessment=assessment).update(updated_at=updated_at)

    def _answers(self, spec: DemoClient, questions, rng, round_number) -> list[AnswerInput]:
        """Plausible answers: stronger at fundamentals, better at each re-assessment."""
        answers = []
        for question in questions:
            options = sorted(question.options.all(), key=lambda o: o.value)
            roll = rng.random()
            ability = (
                spec.skill
                + spec.pillar_bias.get(question.pillar.key, 0.0)
                + LEVEL_ADJUSTMENT.get(min(question.level.position, 2), -0.18)
                + IMPROVEMENT_PER_ROUND * round_number
                + rng.gauss(0, 0.15)
            )
            if roll < 0.04:
                choice = Answer.Kind.DONT_KNOW
            elif roll < 0.09 and question.allow_na:
                choice = Answer.Kind.NOT_APPLICABLE
            else:
                ability = min(max(ability, 0.0), 1.0)
                choice = str(options[round(ability * (len(options) - 1))].value)
            note = rng.choice(self.notes) if rng.random() < 0.08 else ""
            answers.append(AnswerInput(question_code=question.code, choice=choice, note=note))
        return answers

    def _print_logins(self):
        rows = [
            ("Site admin (Django admin)", ADMIN_EMAIL),
            (f"Firm admin, {FIRM_NAME}", FIRM_ADMIN_EMAIL),
            (f"Consultant, {FIRM_NAME}", CONSULTANT_EMAIL),
            *((f"Owner, {c.name}", c.owner) for c in demo_data()["clients"]),
        ]
        width = max(len(label) for label, _ in rows)
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for label, email in rows:
            self.stdout.write(f"  {label.ljust(width)}  {email}")
