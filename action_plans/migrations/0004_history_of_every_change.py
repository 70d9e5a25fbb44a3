"""An item's history records every change: who, due date and note, not only its status.

Each entry says what it is (``kind``); the comments already kept (entries with no
status) become comments, the rest stay status changes.
"""

import django.db.models.deletion
from django.db import migrations, models


def mark_comments(apps, schema_editor):
    ActionItemEvent = apps.get_model("plans", "ActionItemEvent")
    ActionItemEvent.objects.filter(status="").update(kind="comment")


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0007_order_by_parent_column'),
        ('plans', '0003_track_actions_of_earlier_submissions'),
    ]

    operations = [
        migrations.AddField(
            model_name='actionitemevent',
            name='assessment',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='assessments.assessment'),
        ),
        migrations.AddField(
            model_name='actionitemevent',
            name='changes',
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name='actionitemevent',
            name='kind',
            field=models.CharField(choices=[('status', 'Status change'), ('edit', 'Change of who, due date or note'), ('comment', 'Comment')], default='status', max_length=10),
        ),
        migrations.RunPython(mark_comments, migrations.RunPython.noop),
    ]
