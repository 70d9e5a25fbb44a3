"""Track the ranked actions of assessments submitted before the action plan existed.

Submitting an assessment tracks its actions (``action_plans.services.action_plan_sync``);
the plan page used to do it on a visit, which made a GET write. This does it
once for the submissions that came before, as ``action_plan_sync`` would.
"""

from django.db import migrations

import scoring

TITLE_MAX_LENGTH = 200


def track_earlier_actions(apps, schema_editor):
    Assessment = apps.get_model("assessments", "Assessment")
    Question = apps.get_model("assessments", "Question")
    ActionItem = apps.get_model("plans", "ActionItem")
    latest = {}
    for assessment in (
        Assessment.objects.filter(status="submitted")
        .exclude(result=None)
        .order_by("organization_id", "-submitted_at", "-pk")
    ):
        latest.setdefault(assessment.organization_id, assessment)
    for organization_id, assessment in latest.items():
        tracked = set(
            ActionItem.objects.filter(organization_id=organization_id).values_list(
                "question_code", flat=True
            )
        )
        gaps = [
            gap.question_id
            for gap in scoring.result_from_dict(assessment.result).gaps
            if gap.question_id not in tracked
        ]
        questions = Question.objects.filter(framework_id=assessment.framework_id, code__in=gaps)
        titles = {q.code: (q.component or q.text)[:TITLE_MAX_LENGTH] for q in questions}
        ActionItem.objects.bulk_create(
            [
                ActionItem(organization_id=organization_id, question_code=code, title=titles[code])
                for code in gaps
                if code in titles
            ],
            ignore_conflicts=True,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0002_order_by_parent_column"),
        ("assessments", "0007_order_by_parent_column"),
    ]

    operations = [
        migrations.RunPython(track_earlier_actions, migrations.RunPython.noop),
    ]
