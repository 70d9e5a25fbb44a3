from django.db import migrations


class Migration(migrations.Migration):
    """ReviewComment moves to the reports app, which prints it: the table stays as it is."""

    dependencies = [
        ("consultants", "0003_review_comment_firm"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ReviewComment")],
            database_operations=[],
        ),
    ]
