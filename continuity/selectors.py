"""Reads of the plan: its state, its gaps, and one view of it for the page, the PDF and Markdown."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from accounts.models import Membership, Organization
from action_plans.models import ActionItem
from assessments.models import Assessment
from assessments.selectors import assessment_framework, latest_submitted, stored_result

from . import drafts
from .forms import PART_FORMS
from .models import ContinuityPlan, PlanExercise, PlanPart


class ContinuityPlanState:
    NOT_STARTED = "not_started"
    DRAFT = "draft"
    CURRENT = "current"
    NEEDS_REVIEW = "needs_review"


STATE_LABELS = {
    ContinuityPlanState.NOT_STARTED: "Not started",
    ContinuityPlanState.DRAFT: "Draft",
    ContinuityPlanState.CURRENT: "Current",
    ContinuityPlanState.NEEDS_REVIEW: "Needs review",
}


def plan_gaps_of(assessment: Assessment | None) -> list[drafts.PlanGap]:
    """The gaps of a submitted assessment that the plan acts on."""
    if assessment is None:
        return []
    return drafts.plan_gaps(assessment_framework(assessment), stored_result(assessment))


# The questions that ask when the team last walked through the plan: OP-I-02 in 2026.1 and
# 2026.2, OP-I-14 in 2026.3 (the same question, its ladder in finer steps).
WALK_THROUGH_QUESTIONS = frozenset({"OP-I-02", "OP-I-14"})


def latest_walk_through(organization: Organization) -> PlanExercise | None:
    """The most recent walk-through recorded in the organization's continuity plan."""
    return PlanExercise.objects.filter(plan__organization=organization).first()


def parts_state(parts) -> str:
    """Draft while any part is unconfirmed; needs review once any is over twelve months old."""
    parts = list(parts)
    if not parts:
        return ContinuityPlanState.NOT_STARTED
    if any(p.is_draft for p in parts):
        return ContinuityPlanState.DRAFT
    if any(p.needs_review for p in parts):
        return ContinuityPlanState.NEEDS_REVIEW
    return ContinuityPlanState.CURRENT


def continuity_plan_state(organization: Organization) -> str:
    return parts_state(
        PlanPart.objects.filter(plan__organization=organization).only("is_draft", "reviewed_at")
    )


@dataclass
class PartView:
    part: PlanPart
    gaps: list = field(default_factory=list)
    comments: list = field(default_factory=list)
    # On paper (the PDF, the Markdown): placeholders filled or left as blanks to write on,
    # with the owner's name for {owner}. On screen they stay as typed, to be edited.
    printed_for: str | None = None

    @property
    def key(self) -> str:
        return self.part.key

    @property
    def title(self) -> str:
        return self.part.get_key_display()

    @property
    def content(self) -> dict:
        return self.part.content

    @property
    def fields(self) -> list[tuple[str, str]]:
        """(label, text) of a part made of fields, in the form's order."""
        form = PART_FORMS[self.key].fields_form
        if form is None:
            return []
        labelled = _labelled(form, self.content)
        if self.printed_for is None:
            return labelled
        return [
            (label, drafts.fill_blanks(text, owner=self.printed_for)) for label, text in labelled
        ]

    @property
    def columns(self) -> list[str]:
        form = PART_FORMS[self.key].row_form
        return [f.label for f in form.base_fields.values()] if form else []

    @property
    def rows(self) -> list[list[str]]:
        """Each row's values as printed (a choice by its label), in the columns' order."""
        form = PART_FORMS[self.key].row_form
        if form is None:
            return []
        return [[text for _, text in _labelled(form, row)] for row in self.content.get("rows", [])]

    @property
    def labelled_rows(self) -> list[list[tuple[str, str]]]:
        """Each row's (column, value) pairs: on a phone each cell shows its column's name."""
        return [list(zip(self.columns, row, strict=True)) for row in self.rows]

    @property
    def row_lines(self) -> list[str]:
        """Each row as one line of text, its filled values joined (the Markdown export)."""
        return [" · ".join(value for value in row if value) for row in self.rows]


def _labelled(form, values: dict) -> list[tuple[str, str]]:
    labelled = []
    for name, form_field in form.base_fields.items():
        value = values.get(name) or ""
        choices = dict(getattr(form_field, "choices", ()))
        labelled.append((form_field.label, choices.get(value, value)))
    return labelled


@dataclass
class ContinuityPlanView:
    """Everything the plan page, the PDF and the Markdown export print."""

    plan: ContinuityPlan
    organization: Organization
    parts: list[PartView]
    exercises: list
    gaps: list
    state: str
    last_reviewed_at: datetime | None
    last_reviewed_by: str  # a name; empty when the reviewer gave none (never an address)
    owner_name: str  # the business owner's, empty when they gave none
    # Question ids of the gaps already in the action plan (the action_plans app).
    tracked: set[str] = field(default_factory=set)

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    def part(self, key: str) -> PartView:
        return next(p for p in self.parts if p.key == key)

    @property
    def contacts(self) -> PartView:
        return self.part(PlanPart.Key.CONTACTS)

    @property
    def later_parts(self) -> list[PartView]:
        """What the PDF prints after the contacts and the first hour."""
        return [p for p in self.parts if p.key != PlanPart.Key.CONTACTS]

    @property
    def first_hours(self) -> list[tuple[str, list[str]]]:
        """Each disruption with its first-hour steps: the page the PDF prints after the contacts."""
        return [
            (row["disruption"], steps(row["first_hour"]))
            for row in self.part(PlanPart.Key.CHECKLISTS).content.get("rows", [])
        ]


def steps(text: str) -> list[str]:
    """A checklist's steps: one per non-empty line."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def owner_name(organization: Organization) -> str:
    """The full name of the business's owner, as they gave it in the business profile."""
    membership = (
        Membership.objects.select_related("user")
        .filter(organization=organization, role=Membership.Role.OWNER)
        .order_by("created_at")
        .first()
    )
    return membership.user.get_full_name() if membership else ""


def build_continuity_plan(
    plan: ContinuityPlan, *, firm=None, with_comments: bool = True, printed: bool = False
) -> ContinuityPlanView:
    """The plan as one read model. ``firm``: show only that firm's comments (a consultant);
    ``printed``: the PDF's and the Markdown's, with message placeholders filled or blank."""
    order = {key: i for i, key in enumerate(PlanPart.Key.values)}
    parts = sorted(plan.parts.select_related("reviewed_by"), key=lambda p: order[p.key])
    # A gap the owner has since done in the part ("USB disk kept at home") is no longer to do.
    content = {p.key: p.content for p in parts}
    gaps = [
        g
        for g in plan_gaps_of(latest_submitted(plan.organization))
        if not g.done_in(content[g.part])
    ]
    comments = plan.comments.select_related("author")
    if firm is not None:
        comments = comments.filter(firm=firm)
    comments = list(comments) if with_comments else []
    owner = owner_name(plan.organization)
    views = [
        PartView(
            part=p,
            gaps=[g for g in gaps if g.part == p.key],
            comments=[c for c in comments if c.part_key == p.key],
            printed_for=owner if printed else None,
        )
        for p in parts
    ]
    reviewed = max((p for p in parts if p.reviewed_at), key=lambda p: p.reviewed_at, default=None)
    reviewer = reviewed.reviewed_by if reviewed else None
    return ContinuityPlanView(
        plan=plan,
        organization=plan.organization,
        parts=views,
        exercises=list(plan.exercises.select_related("recorded_by")),
        gaps=gaps,
        state=parts_state(parts),
        last_reviewed_at=reviewed.reviewed_at if reviewed else None,
        last_reviewed_by=reviewer.get_full_name() if reviewer else "",
        owner_name=owner,
        tracked=set(
            ActionItem.objects.filter(
                organization=plan.organization, question_code__in={g.question_id for g in gaps}
            ).values_list("question_code", flat=True)
        ),
    )
