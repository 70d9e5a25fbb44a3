from django.core.management.base import BaseCommand, CommandError

from assessments.selectors import active_framework, framework_definition
from reports.benchmark import MIN_ORGANIZATIONS, rebuild_benchmarks


class Command(BaseCommand):
    help = (
        "Compute every sector's benchmark afresh into the cache (each submission already "
        "starts a new one; run this after restoring data or changing organizations' sectors)."
    )

    def handle(self, *args, **options):
        framework = active_framework()
        if framework is None:
            raise CommandError("No active framework: import one first.")
        counts = rebuild_benchmarks(framework_definition(framework).pillar_keys)
        for sector, organizations in counts.items():
            shown = "shown" if organizations >= MIN_ORGANIZATIONS else "not shown yet"
            self.stdout.write(f"{sector}: {organizations} organizations ({shown})")
