"""Email each owner the plan's actions due this week or overdue: run it daily (cron or a task)."""

from django.core.management.base import BaseCommand, CommandError

from action_plans.services import plan_reminders_send


class Command(BaseCommand):
    help = (
        "Email owners a digest of action-plan items due in the next 7 days and overdue ones, "
        "at most once a week each; nothing for organizations with nothing due."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            required=True,
            help="The site's address for the links in the email, e.g. https://resilience.example.com/",
        )

    def handle(self, *args, base_url, **options):
        sent, failed = plan_reminders_send(base_url=base_url)
        self.stdout.write(f"Sent {sent} plan reminder{'s' if sent != 1 else ''}.")
        if failed:
            # Non-zero, so cron or the scheduler reports it; the failed ones go again next run.
            raise CommandError(
                f"{failed} plan reminder{'s' if failed != 1 else ''} could not be sent."
            )
