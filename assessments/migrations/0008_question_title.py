"""Each question names its action in the plan (``title``, required in the framework file).

Blank for versions imported before: running ``import_framework`` on the same
file again fills the titles in (they are left out of the version's checksum),
and each organization's action items take them at its next submission or
change of targets (``action_plans.services.action_plan_sync``).
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0007_order_by_parent_column'),
    ]

    operations = [
        migrations.AddField(
            model_name='question',
            name='title',
            field=models.CharField(blank=True, max_length=80),
        ),
    ]
