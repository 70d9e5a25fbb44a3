"""The owner's plan page: ranked as the report, with effects, in forms needing no JavaScript."""

import importlib
import re
from datetime import date, timedelta
from html import unescape

import pytest
from django.urls import reverse

from action_plans import services
from action_plans.models import ActionItem, Target
from tests.conftest import verified_login
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(client, owner):
    client.force_login(owner)

    def get(**params):
        response = client.get(reverse("action_plan:plan"), params)
        assert response.status_code == 200
        return response

    return get


def form_data(item, **fields):
    data = {
        "status": item.status,
        "assignee": item.assignee,
        "due_date": item.due_date.isoformat() if item.due_date else "",
        "reason": item.reason,
        "note": item.note,
        "revision": str(item.revision),
    }
    return {**data, **fields}


def test_items_are_grouped_by_horizon_in_the_reports_order(page, submitted):
    plan = page().context["plan"]
    ranked = [gap["question_id"] for gap in submitted.result["actions"]]
    for group in plan.groups:
        codes = [r.item.question_code for r in group.rows]
        assert codes == [c for c in ranked if c in codes]
    # The report's horizon titles: one table (scoring.HORIZONS) serves both.
    assert [g.title for g in plan.groups if g.rows][0] in (
        "Next 30 days",
        "Next 90 days",
        "Next 12 months",
    )


def test_what_a_row_shows_is_kept_beside_the_stored_item_not_on_it(page, submitted):
    plan = page().context["plan"]
    row = next(r for r in plan.rows if r.question is not None)
    assert row.horizon and row.pillar_name and row.recommendation
    # Nothing the page derives is set on the model instance, which save() would write.
    assert not {"horizon", "question", "effect", "pillar_name"} & set(vars(row.item))


def test_each_recommended_item_says_what_doing_it_would_change(page, submitted):
    html = page().content.decode()
    # Financial fundamentals answered 0: at the best option they pass, and so does intermediate.
    assert "done, this raises Financial resilience from" in html
    assert "and reaches <strong>Intermediate</strong>" in html


def test_progress_counts_done_of_total_and_overdue(page, owner, items):
    services.action_item_update(
        item=items["OP-F-01"],
        user=owner,
        change=services.ItemChange(status="done", revision=items["OP-F-01"].revision),
    )
    services.action_item_update(
        item=items["TE-A-01"],
        user=owner,
        change=services.ItemChange(
            status="todo",
            due_date=date.today() - timedelta(days=1),
            revision=items["TE-A-01"].revision,
        ),
    )
    response = page()
    assert "1 of 6</strong> actions done" in response.content.decode()
    assert "1 overdue" in response.content.decode()


def test_the_quick_status_form_offers_every_status_with_its_label(client, owner, items):
    client.force_login(owner)
    html = client.get(reverse("action_plan:plan")).content.decode()
    item = next(i for i in items.values() if i.status == ActionItem.Status.TODO)
    card = html[html.index(f'id="item-{item.pk}"') :]
    select = card[card.index("<select") : card.index("</select>")]
    offered = re.findall(r'<option value="([a-z_]+)"[^>]*>([^<]+)</option>', select)
    assert [(value, unescape(label)) for value, label in offered] == ActionItem.Status.choices
    assert re.search(r'<option value="todo"\s+selected>', select)


def test_a_plain_form_post_marks_an_item_done(client, owner, items):
    client.force_login(owner)
    item = items["FI-F-01"]
    response = client.post(
        reverse("action_plan:action_update", args=[item.pk]),
        form_data(item, status="done", assignee="Sam"),
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#item-{item.pk}")
    item.refresh_from_db()
    assert (item.status, item.assignee) == ("done", "Sam")


def test_the_quick_status_form_keeps_the_other_details(client, owner, items):
    client.force_login(owner)
    item = items["FI-F-01"]
    client.post(
        reverse("action_plan:action_update", args=[item.pk]), form_data(item, assignee="Sam")
    )
    item.refresh_from_db()
    response = client.post(
        reverse("action_plan:action_status", args=[item.pk]),
        {"status": "doing", "revision": str(item.revision)},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.assignee) == ("doing", "Sam")


def test_wont_do_from_the_quick_form_asks_for_the_reason_on_the_items_page(client, owner, items):
    client.force_login(owner)
    item = items["FI-F-01"]
    response = client.post(
        reverse("action_plan:action_status", args=[item.pk]),
        {"status": "wont_do", "revision": str(item.revision)},
        follow=True,
    )
    assert "Say why the action will not be done" in response.content.decode()
    assert ActionItem.objects.get(pk=item.pk).status == "todo"


def test_the_items_page_shows_its_history(client, owner, items):
    client.force_login(owner)
    item = items["FI-F-01"]
    client.post(
        reverse("action_plan:action_update", args=[item.pk]), form_data(item, status="done")
    )
    html = client.get(reverse("action_plan:action_update", args=[item.pk])).content.decode()
    assert "sam@corner.example" in html and "Done" in html


def test_a_stale_form_is_refused_with_the_current_status(client, owner, items):
    client.force_login(owner)
    item = items["FI-F-01"]
    stale = form_data(item, status="done")
    client.post(
        reverse("action_plan:action_update", args=[item.pk]), form_data(item, status="doing")
    )
    response = client.post(reverse("action_plan:action_update", args=[item.pk]), stale)
    assert response.status_code == 409
    assert "changed in another window" in response.content.decode()
    assert ActionItem.objects.get(pk=item.pk).status == "doing"


def test_bad_input_is_explained_and_saves_nothing(client, owner, items):
    client.force_login(owner)
    item = items["FI-F-01"]
    response = client.post(
        reverse("action_plan:action_update", args=[item.pk]),
        form_data(item, status="wont_do", assignee="x" * 101),
    )
    assert response.status_code == 400
    assert "at most 100 characters" in response.content.decode()
    assert ActionItem.objects.get(pk=item.pk).status == "todo"


def test_an_owner_adds_an_own_action(client, owner, submitted):
    client.force_login(owner)
    response = client.post(
        reverse("action_plan:action_add"),
        {"title": "Buy a spare card reader", "due_date": "2026-09-01"},
    )
    assert response.status_code == 302
    html = client.get(reverse("action_plan:plan")).content.decode()
    assert "Your own actions" in html and "Buy a spare card reader" in html


def test_another_organizations_item_answers_404_and_is_unchanged(client, other_owner, items):
    client.force_login(other_owner)
    item = items["FI-F-01"]
    response = client.post(
        reverse("action_plan:action_update", args=[item.pk]), form_data(item, status="done")
    )
    assert response.status_code == 404
    assert ActionItem.objects.get(pk=item.pk).status == "todo"
    assert "Corner Shop" not in client.get(reverse("action_plan:plan")).content.decode()


def test_the_plan_of_an_assessment_submitted_before_plans_existed_is_tracked_by_a_migration(
    page, submitted, organization
):
    """The plan page no longer tracks actions on a visit (a GET never writes): a migration does."""
    from django.apps import apps

    migration = importlib.import_module(
        "action_plans.migrations.0003_track_actions_of_earlier_submissions"
    )
    ActionItem.objects.filter(organization=organization).delete()
    assert len(page().context["plan"].items) == 0
    migration.track_earlier_actions(apps, None)
    assert len(page().context["plan"].items) == 6
    migration.track_earlier_actions(apps, None)  # never twice
    assert len(page().context["plan"].items) == 6


def test_the_plan_page_reads_a_fixed_number_of_queries_whatever_its_size(
    client, owner, organization, firm, items, django_assert_max_num_queries
):
    client.force_login(owner)
    client.get(
        reverse("action_plan:plan")
    )  # the effects of the submitted assessment are now cached
    # Half of them added by the business's firm, whose name each line prints.
    ActionItem.objects.bulk_create(
        ActionItem(organization=organization, title=f"Own action {n}", firm=firm if n % 2 else None)
        for n in range(100)
    )
    with django_assert_max_num_queries(8):
        response = client.get(reverse("action_plan:plan"), {"fold": "own"})
    assert len(response.context["plan"].items) == 106
    assert text(response.content.decode()).count(f"Added by {firm.name}") == 50


def test_targets_default_to_one_level_above_today_on_the_results_page(client, owner, submitted):
    client.force_login(owner)
    form = client.get(reverse("reports:results", args=[submitted.pk])).context["targets_form"]
    # Financial is Initial today (fundamentals at 0): the suggestion is Fundamentals.
    assert form.initial["target_financial"] == 1
    assert form.initial["target_adaptive"] <= 3


def test_saving_targets_shows_what_stands_between_in_the_plan_and_report(client, owner, submitted):
    client.force_login(owner)
    response = client.post(
        reverse("action_plan:targets"),
        {
            "target_operational": "1",
            "target_financial": "2",
            "target_adaptive": "1",
            "target_technology": "3",
            "target_date": "2026-12-31",
        },
    )
    assert response.status_code == 302
    assert Target.objects.count() == 4
    plan_html = client.get(reverse("action_plan:plan")).content.decode()
    results_html = client.get(reverse("reports:results", args=[submitted.pk])).content.decode()
    for html in (plan_html, results_html):
        assert "What stands between today and your targets" in html
        assert "target Intermediate by 31 December 2026" in html


def test_consultants_and_strangers_get_no_targets_form(client, consultant, submitted):
    verified_login(client, consultant)
    assert (
        client.get(reverse("reports:results", args=[submitted.pk])).context["targets_form"] is None
    )


def test_a_member_who_is_not_the_owner_tracks_the_plan_too(client, organization, items):
    member = MembershipFactory(organization=organization, role="member").user
    client.force_login(member)
    assert client.get(reverse("action_plan:plan")).status_code == 200


def test_the_plan_page_and_the_report_name_the_horizons_alike(client, owner, submitted):
    client.force_login(owner)
    plan = client.get(reverse("action_plan:plan")).context["plan"]
    report = client.get(reverse("reports:results", args=[submitted.pk])).context["report"]
    horizons = [(g.key, g.title, g.subtitle) for g in report.horizons]
    assert [(g.key, g.title, g.subtitle) for g in plan.groups][: len(horizons)] == horizons


def test_the_history_says_which_submission_closed_the_action_and_every_edit(
    client, submit, organization, owner, items
):
    from django.utils.formats import date_format
    from django.utils.timezone import localtime

    from tests.reports.conftest import MINI_ANSWERS

    item = items["OP-F-01"]
    services.action_item_update(
        item=item,
        user=owner,
        change=services.ItemChange(
            status="todo", assignee="Sam", due_date=date(2027, 1, 15), revision=item.revision
        ),
    )
    second = submit(organization, owner, {**MINI_ANSWERS, "OP-F-01": "4"})
    client.force_login(owner)
    html = client.get(reverse("action_plan:action_update", args=[item.pk])).content.decode()
    when = date_format(localtime(second.submitted_at), "j F Y")
    assert f"Done — closed by your answer of {when}" in html
    assert "Who: Sam" in html and "Due: 15 Jan 2027" in html


def test_the_history_says_which_submission_reopened_the_action(
    client, submit, organization, owner, items
):
    from django.utils.formats import date_format
    from django.utils.timezone import localtime

    from tests.reports.conftest import MINI_ANSWERS

    submit(organization, owner, {**MINI_ANSWERS, "OP-F-01": "4"})
    third = submit(organization, owner, {**MINI_ANSWERS, "OP-F-01": "2"})
    client.force_login(owner)
    item = items["OP-F-01"]
    html = client.get(reverse("action_plan:action_update", args=[item.pk])).content.decode()
    when = date_format(localtime(third.submitted_at), "j F Y")
    assert f"To do — reopened: your answer of {when} no longer meets it" in text(html)


# --- A plan you can finish: the next steps first, the rest folded ---------------------

NEXT = {"OP-F-01", "FI-F-01", "TE-I-01", "AD-A-01"}  # each pillar's first level not met


def mark(owner, item, status, **fields):
    return services.action_item_update(
        item=item,
        user=owner,
        change=services.ItemChange(status=status, revision=item.revision, **fields),
    )


def text(html: str) -> str:
    """The page's words, as read: no tags, single spaces."""
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def next_steps_html(html: str) -> str:
    start = html.index('id="next-steps"')
    return html[start : html.index("</section>", start)]


def test_the_plan_leads_with_what_blocks_each_pillars_next_level(page, items):
    response = page()
    plan = response.context["plan"]
    assert {row.item.question_code for row in plan.next_steps} == NEXT
    steps = next_steps_html(response.content.decode())
    assert all(f"{code} ·" in steps for code in NEXT)
    assert "FI-A-01" not in steps and "TE-A-01" not in steps


def test_next_steps_take_the_lowest_levels_first_and_stop_at_the_limit(items):
    from action_plans.selectors import organization_action_plan

    plan = organization_action_plan(items["OP-F-01"].organization, next_steps=2)
    # Fundamentals before intermediate and advanced, as the report ranks them.
    assert {row.item.question_code for row in plan.next_steps} == {"OP-F-01", "FI-F-01"}


def fold_of(plan, code: str):
    return next(f for f in plan.folds if any(r.item.question_code == code for r in f.rows))


def test_the_rest_is_folded_by_horizon_and_pillar(page, items):
    html = page().content.decode()
    rest = html[html.index('id="rest-heading"') :]
    assert re.search(r"<details[^>]*>\s*<summary[^>]*>\s*Financial resilience", rest)
    assert "FI-F-01 ·" not in rest  # a next step, not in the rest


def test_a_closed_fold_is_a_link_to_the_page_with_it_open(page, items):
    fold = fold_of(page().context["plan"], "FI-A-01")
    html = page().content.decode()
    closed = html[html.index(f'id="fold-{fold.key}"') :].split("</details>")[0]
    # Drawn only when opened: a hundred actions fold about ninety.
    assert "FI-A-01 ·" not in closed and f'id="item-{items["FI-A-01"].pk}"' not in closed
    assert f'href="?fold={fold.key}#fold-{fold.key}"' in closed
    assert f"Show {len(fold.rows)} action" in text(closed)

    html = page(fold=fold.key).content.decode()
    opened = html[html.index(f'id="fold-{fold.key}"') :].split("</details>")[0]
    assert re.match(rf'id="fold-{fold.key}"\s+open>', opened)
    assert "FI-A-01 ·" in opened and "Show " not in text(opened)


@pytest.mark.parametrize("fold", ["", "no-such-fold", "<script>", "9" * 500])
def test_an_unknown_fold_opens_nothing_and_is_no_error(page, items, fold):
    response = page(fold=fold)  # 200, or the fixture says otherwise
    assert not any(fold.open for fold in response.context["plan"].folds)
    assert "no-such-fold" not in response.content.decode()


def test_folded_actions_are_short_and_their_page_says_what_to_do(client, page, owner, items):
    plan = page().context["plan"]
    folded = next(
        row for fold in plan.folds for row in fold.rows if row.recommendation and row.item.is_open
    )
    advice = " ".join(folded.recommendation.split()[:6])
    html = page(at=folded.item.pk).content.decode()
    line = html[html.index(f'id="item-{folded.item.pk}"') :].split("</li>")[0]
    assert advice not in text(line) and "Expected effect" not in line
    item_url = reverse("action_plan:action_update", args=[folded.item.pk])
    assert f'<a href="{item_url}">{folded.item.title}</a>' in line

    item_page = client.get(reverse("action_plan:action_update", args=[folded.item.pk]))

    assert "What to do" in item_page.content.decode()
    assert advice in text(item_page.content.decode())


def test_progress_counts_next_steps_done_and_every_action(page, owner, items):
    mark(owner, items["OP-F-01"], "done")
    mark(owner, items["TE-A-01"], "done")
    assert "1 of 4 next steps done · 2 of 6 actions done" in text(page().content.decode())
    # A step done stays a step until the next assessment, so the count can grow.
    assert "OP-F-01 ·" in next_steps_html(page().content.decode())


def test_an_item_saved_from_a_folded_group_comes_back_open(client, owner, items):
    client.force_login(owner)
    item = items["FI-A-01"]
    response = client.post(
        reverse("action_plan:action_status", args=[item.pk]),
        {"status": "doing", "revision": item.revision},
        follow=True,
    )
    html = response.content.decode()
    group = html[: html.index(f'id="item-{item.pk}"')]
    assert re.match(r"<details[^>]*\bopen>", group[group.rindex("<details") :])


def test_a_folded_action_is_marked_done_from_its_line(client, page, owner, items):
    item = items["FI-A-01"]
    html = page(fold=fold_of(page().context["plan"], "FI-A-01").key).content.decode()
    line = html[html.index(f'id="item-{item.pk}"') :].split("</li>")[0]
    action = reverse("action_plan:action_status", args=[item.pk])
    assert f'action="{action}"' in line
    assert 'name="status"' in line and 'value="done"' in line and "Mark done" in text(line)

    response = client.post(action, {"status": "done", "revision": item.revision}, follow=True)

    item.refresh_from_db()
    assert item.status == "done"
    html = response.content.decode()
    line = html[html.index(f'id="item-{item.pk}"') :].split("</li>")[0]
    assert "Done" in text(line) and "Mark done" not in text(line)
    assert f"Saved: {item.title}" in text(html)


def test_the_client_page_reads_the_same_counts(client, consultant, owner, items, organization):
    mark(owner, items["OP-F-01"], "done")
    verified_login(client, consultant)
    html = client.get(reverse("consultants:client", args=[organization.pk])).content.decode()
    assert "1 of 4 next steps done · 1 of 6 actions done" in text(html)


def test_next_steps_take_each_pillar_in_turn_before_a_second_step_of_any(
    organization, owner, mini_framework_data, write_framework
):
    import copy

    from action_plans.selectors import organization_action_plan
    from assessments.services import assessment_start, assessment_submit, framework_import
    from tests.reports.conftest import MINI_ANSWERS, answer_all

    data = mini_framework_data
    data["version"] = "test.two-per-level"
    second = copy.deepcopy(next(q for q in data["questions"] if q["id"] == "OP-F-01"))
    second["id"], second["title"] = "OP-F-02", "Train a second person in operations"
    data["questions"].append(second)
    framework_import(path=write_framework(data))
    assessment = assessment_start(organization=organization, user=owner)
    # Operational's two fundamentals gaps outrank financial's half gap in the report.
    answer_all(
        assessment, owner, {**MINI_ANSWERS, "OP-F-01": "0", "OP-F-02": "0", "FI-F-01": "2"}, {}
    )
    assessment_submit(assessment=assessment, user=owner)
    plan = organization_action_plan(organization, next_steps=2)
    codes = [row.item.question_code for row in plan.next_steps]
    assert codes == ["OP-F-01", "FI-F-01"]
