"""Reads for the consultant workspace: the client list behind the dashboard and exports.

Each client row carries what the dashboard shows, computed by the database
in one query however many clients the firm has: correlated subqueries pick
each organization's latest assessment (for its status) and latest submitted
assessment (for its scores); pillar scores are read from the scores copied
at submission (``stored_pillar_score``), so they can be sorted on without
scoring anything again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    FloatField,
    IntegerField,
    Max,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

import scoring
from accounts.models import Organization
from action_plans.selectors import plan_progress_annotations, plan_share
from assessments.models import Answer, Assessment, Question
from assessments.selectors import framework_definition, stored_pillar_score
from scoring.engine import MATURITY_LABELS

from .models import Invitation


class Status:
    """A client's place in the assessment cycle, in the order the dashboard sorts them."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    REVIEWED = "reviewed"

    RANK = {NOT_STARTED: 0, IN_PROGRESS: 1, SUBMITTED: 2, REVIEWED: 3}
    LABELS = {
        NOT_STARTED: "Not started",
        IN_PROGRESS: "In progress",
        SUBMITTED: "Submitted",
        REVIEWED: "Reviewed",
    }
    CHOICES = list(LABELS.items())


NOT_SCORED = "none"
MATURITY_CHOICES = [(str(i), label) for i, label in enumerate(MATURITY_LABELS)] + [
    (NOT_SCORED, "Not yet scored")
]

PLAN_OVERDUE = "overdue"
NO_PLAN = "none"
PLAN_CHOICES = [(PLAN_OVERDUE, "With overdue actions"), (NO_PLAN, "No action tracked")]

# Sort keys the dashboard accepts (a leading "-" reverses); pillars add their keys.
SORT_FIELDS = {
    "name": "name",
    "sector": "sector",
    "status": "status_rank",
    "score": "score",
    "maturity": "maturity",
    "plan": "plan_share",
    "overdue": "plan_overdue",
    "activity": "last_activity",
}
DEFAULT_SORT = "name"


def framework_pillars(framework) -> list[scoring.PillarDef]:
    """The pillars the dashboard's columns show: those of the given (active) framework."""
    if framework is None:
        return []
    return list(framework_definition(framework).pillars)


def pillar_alias(index: int) -> str:
    # Annotation names stay fixed and safe whatever the framework calls its pillars.
    return f"pillar_{index}"


def client_rows(clients: QuerySet[Organization], pillar_keys: list[str]) -> QuerySet[Organization]:
    """The clients annotated with their status, scores and last activity.

    ``clients`` is already scoped to what the user may see
    (``accounts.permissions.firm_clients``).
    """
    latest = Assessment.objects.filter(organization=OuterRef("pk")).order_by("-started_at", "-pk")
    submitted = (
        Assessment.objects.submitted()
        .filter(organization=OuterRef("pk"))
        .order_by("-submitted_at", "-pk")
    )
    last_activity = (
        Assessment.objects.filter(organization=OuterRef("pk"))
        .order_by()
        .values("organization")
        .annotate(at=Max("updated_at"))
        .values("at")
    )
    pillar_scores = {
        pillar_alias(i): Subquery(
            submitted.annotate(pillar_score=stored_pillar_score(key)).values("pillar_score")[:1],
            output_field=FloatField(),
        )
        for i, key in enumerate(pillar_keys)
    }
    return clients.annotate(
        latest_id=Subquery(latest.values("pk")[:1]),
        latest_status=Subquery(latest.values("status")[:1], output_field=CharField()),
        latest_framework_id=Subquery(latest.values("framework_id")[:1]),
        submitted_id=Subquery(submitted.values("pk")[:1]),
        submitted_at=Subquery(submitted.values("submitted_at")[:1]),
        reviewed_at=Subquery(submitted.values("reviewed_at")[:1]),
        score=Subquery(submitted.values("overall_score")[:1], output_field=FloatField()),
        maturity=Subquery(submitted.values("maturity_index")[:1], output_field=IntegerField()),
        last_activity=Coalesce(Subquery(last_activity), F("created_at")),
        **pillar_scores,
        **plan_progress_annotations(),
    ).annotate(
        plan_share=plan_share(),
        status_rank=Case(
            When(latest_id__isnull=True, then=Value(Status.RANK[Status.NOT_STARTED])),
            When(
                latest_status=Assessment.Status.IN_PROGRESS,
                then=Value(Status.RANK[Status.IN_PROGRESS]),
            ),
            When(reviewed_at__isnull=False, then=Value(Status.RANK[Status.REVIEWED])),
            default=Value(Status.RANK[Status.SUBMITTED]),
            output_field=IntegerField(),
        ),
    )


@dataclass(frozen=True)
class DashboardQuery:
    """The dashboard's search, filters and sort, already checked."""

    q: str = ""
    sector: str = ""
    maturity: str = ""
    status: str = ""
    plan: str = ""
    sort: str = DEFAULT_SORT
    ignored: tuple[str, ...] = field(default=())


def apply_dashboard_query(
    rows: QuerySet[Organization], query: DashboardQuery, pillar_keys: list[str]
) -> QuerySet[Organization]:
    if query.q:
        rows = rows.filter(name__icontains=query.q)
    if query.sector:
        rows = rows.filter(sector=query.sector)
    if query.maturity == NOT_SCORED:
        rows = rows.filter(maturity__isnull=True)
    elif query.maturity:
        rows = rows.filter(maturity=int(query.maturity))
    if query.status:
        rows = rows.filter(status_rank=Status.RANK[query.status])
    if query.plan == PLAN_OVERDUE:
        rows = rows.filter(plan_overdue__gt=0)
    elif query.plan == NO_PLAN:
        rows = rows.filter(plan_total=0)
    return rows.order_by(*sort_expressions(query.sort, pillar_keys))


def sort_fields(pillar_keys: list[str]) -> dict[str, str]:
    fields = dict(SORT_FIELDS)
    for i, key in enumerate(pillar_keys):
        fields.setdefault(key, pillar_alias(i))
    return fields


def sort_expressions(sort: str, pillar_keys: list[str]) -> list:
    """ORDER BY for a sort key; empty values go last either way, then by name."""
    descending = sort.startswith("-")
    column = sort_fields(pillar_keys)[sort.lstrip("-")]
    expression = F(column).desc(nulls_last=True) if descending else F(column).asc(nulls_last=True)
    return [expression, "name", "pk"]


def is_valid_sort(sort: str, pillar_keys: list[str]) -> bool:
    return sort.lstrip("-") in sort_fields(pillar_keys) and sort.count("-") <= 1


# --- Turning a page of rows into what the template shows --------------------------


def rows_in_order(
    clients: QuerySet[Organization], ids: list[int], pillar_keys: list[str]
) -> list[Organization]:
    """The annotated rows of these clients, in the order of ``ids``: one query."""
    by_pk = {row.pk: row for row in client_rows(clients.filter(pk__in=ids), pillar_keys)}
    return [by_pk[pk] for pk in ids if pk in by_pk]


@dataclass
class ClientRow:
    """One dashboard row, ready to display."""

    organization: Organization
    status: str
    progress: int | None
    score: float | None
    maturity: int | None
    pillars: list[float | None]
    last_activity: datetime | None
    submitted_id: int | None
    submitted_at: datetime | None
    plan_total: int = 0
    plan_done: int = 0
    plan_overdue: int = 0

    @property
    def status_label(self) -> str:
        return Status.LABELS[self.status]

    @property
    def maturity_label(self) -> str:
        return MATURITY_LABELS[self.maturity] if self.maturity is not None else ""


def status_of(row: Organization) -> str:
    rank = row.status_rank
    return next(status for status, r in Status.RANK.items() if r == rank)


def present_rows(rows: list[Organization], pillar_keys: list[str]) -> list[ClientRow]:
    """Add the in-progress percentage (two queries for the whole page) and package the rows."""
    in_progress = [r.latest_id for r in rows if status_of(r) == Status.IN_PROGRESS]
    answered = (
        dict(
            # An answer carried over from last time counts once the owner confirms it.
            Answer.objects.filter(
                assessment__in=in_progress, kind__isnull=False, carried_over=False
            )
            .order_by()
            .values_list("assessment")
            .annotate(n=Count("pk"))
        )
        if in_progress
        else {}
    )
    frameworks = {r.latest_framework_id for r in rows if status_of(r) == Status.IN_PROGRESS}
    totals = (
        dict(
            Question.objects.filter(framework__in=frameworks)
            .order_by()
            .values_list("framework")
            .annotate(n=Count("pk"))
        )
        if frameworks
        else {}
    )
    result = []
    for r in rows:
        status = status_of(r)
        progress = None
        if status == Status.IN_PROGRESS:
            total = totals.get(r.latest_framework_id, 0)
            progress = round(100 * answered.get(r.latest_id, 0) / total) if total else 0
        result.append(
            ClientRow(
                organization=r,
                status=status,
                progress=progress,
                score=r.score,
                maturity=r.maturity,
                pillars=[getattr(r, pillar_alias(i)) for i in range(len(pillar_keys))],
                last_activity=r.last_activity,
                submitted_id=r.submitted_id,
                submitted_at=r.submitted_at,
                plan_total=r.plan_total,
                plan_done=r.plan_done,
                plan_overdue=r.plan_overdue,
            )
        )
    return result


def firm_invitations(user) -> QuerySet[Invitation]:
    """Invitations sent in the name of the user's firm; none for anyone else."""
    if not user.is_authenticated:
        return Invitation.objects.none()
    return Invitation.objects.filter(firm__memberships__user=user)
