from datetime import timedelta

from django.core.management.base import BaseCommand

from accounts.services import unconfirmed_accounts, unconfirmed_accounts_remove

GRACE_DAYS = 14


class Command(BaseCommand):
    help = (
        "Delete accounts whose email address nobody confirmed within the grace period, with the "
        "businesses only they belong to. Confirmed accounts are never touched. Run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=GRACE_DAYS,
            help=f"Grace period after sign-up, in days (default {GRACE_DAYS}).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be removed; remove nothing."
        )

    def handle(self, *args, **options):
        older_than = timedelta(days=options["days"])
        if options["dry_run"]:
            found, verb = unconfirmed_accounts(older_than=older_than), "Would remove"
        else:
            found, verb = unconfirmed_accounts_remove(older_than=older_than), "Removed"
        for account in found:
            if account.kept_because:
                self.stdout.write(f"Kept {account.user.email}: {account.kept_because}")
                continue
            businesses = ", ".join(b.name for b in account.businesses)
            with_businesses = f" and the business {businesses}" if businesses else ""
            self.stdout.write(f"{verb} {account.user.email}{with_businesses}")
        removed = sum(1 for a in found if not a.kept_because)
        self.stdout.write(
            f"{verb} {removed} unconfirmed account(s) older than {options['days']} days."
        )
