import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """ReviewComment, moved here from the consultants app: the table stays as it is."""

    dependencies = [
        ("accounts", "0001_initial"),
        ("assessments", "0001_initial"),
        ("consultants", "0004_move_reviewcomment_to_reports"),
        ("reports", "0002_delete_reportpdf"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ReviewComment",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("pillar_key", models.SlugField(blank=True, help_text="The pillar the comment is about; blank for overall.", max_length=40)),
                        ("text", models.TextField(max_length=5000)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("assessment", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="review_comments", to="assessments.assessment")),
                        ("author", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("firm", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="review_comments", to="accounts.firm")),
                    ],
                    options={"db_table": "consultants_reviewcomment", "ordering": ["created_at"]},
                ),
            ],
            database_operations=[],
        ),
    ]
