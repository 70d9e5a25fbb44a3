"""Bounds on the plan: rows per part, text per part, walk-throughs and comments, nothing lost."""

from datetime import date

import pytest
from django.urls import reverse

from continuity import services
from continuity.models import (
    COMMENTS_PER_PLAN_MAX,
    EXERCISES_PER_PLAN_MAX,
    PART_TEXT_MAX,
    ROWS_PER_PART_MAX,
    PlanComment,
    PlanExercise,
)
from core.errors import ServiceError
from tests.conftest import verified_login

from .conftest import part_post, part_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(client, owner):
    client.force_login(owner)
    client.post(reverse("continuity:draft"))
    return owner.memberships.get().organization.continuity_plan


def activity(n, text="Bake"):
    return {"activity": f"{text} {n}", "downtime": "", "needs": "", "workaround": ""}


def test_a_part_holds_at_most_100_rows_and_the_typed_rows_come_back(client, plan):
    part = plan.parts.get(key="activities")
    rows = [activity(n) for n in range(ROWS_PER_PART_MAX + 1)]

    response = client.post(part_url("activities"), part_post(part, rows=rows))

    assert response.status_code == 400
    body = response.content.decode()
    assert "This part holds at most 100 rows" in body
    assert 'value="Bake 100"' in body
    part.refresh_from_db()
    assert part.revision == 0


def test_a_part_holds_at_most_20000_characters_and_says_how_many_it_has(client, plan):
    part = plan.parts.get(key="activities")
    rows = [activity(n, text="w" * 190) for n in range(110)][:ROWS_PER_PART_MAX]  # 19,000+

    rows[0]["needs"] = "n" * 2000
    response = client.post(part_url("activities"), part_post(part, rows=rows))

    assert response.status_code == 400
    assert "at most 20,000 characters" in response.content.decode()
    part.refresh_from_db()
    assert part.revision == 0


def test_the_service_refuses_too_many_rows_and_too_much_text_from_any_path(owner, plan):
    part = plan.parts.get(key="activities")
    for content in (
        {"rows": [activity(n) for n in range(ROWS_PER_PART_MAX + 1)]},
        {"rows": [activity(0, text="w" * (PART_TEXT_MAX + 1))]},
    ):
        with pytest.raises(ServiceError):
            services.continuity_part_save(part=part, content=content, revision=0, user=owner)
    part.refresh_from_db()
    assert part.revision == 0


def test_100_kb_in_a_field_is_refused_beside_it_and_the_rest_is_kept(client, plan):
    part = plan.parts.get(key="premises")

    response = client.post(
        part_url("premises"),
        part_post(part, evacuation_point="x" * 100_000, shutoffs="Under the stairs"),
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert "at most 2000 characters (it has 100000)" in body
    assert "Under the stairs" in body


def test_a_plan_records_at_most_100_walk_throughs_and_keeps_the_form(client, owner, plan):
    PlanExercise.objects.bulk_create(
        PlanExercise(plan=plan, held_on=date(2026, 1, 1), participants="Ada", lessons="Fine")
        for _ in range(EXERCISES_PER_PLAN_MAX)
    )

    response = client.post(
        reverse("continuity:exercise_add"),
        {"held_on": "2026-06-01", "participants": "Ada, Sam", "lessons": "Call tree was stale."},
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert "100 walk-throughs, the most a plan can hold" in body
    assert "Call tree was stale.</textarea>" in body
    assert plan.exercises.count() == EXERCISES_PER_PLAN_MAX


def test_a_plan_holds_at_most_200_comments_and_keeps_the_typed_one(client, consultant, plan):
    PlanComment.objects.bulk_create(
        PlanComment(plan=plan, author=consultant, part_key="data", text=f"Note {n}")
        for n in range(COMMENTS_PER_PLAN_MAX)
    )
    verified_login(client, consultant)

    response = client.post(
        reverse("continuity:consultant_comment_add", args=[plan.organization.pk]),
        {"part_key": "data", "text": "Test a restore."},
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert "200 comments, the most a plan can hold" in body
    assert "Test a restore.</textarea>" in body
