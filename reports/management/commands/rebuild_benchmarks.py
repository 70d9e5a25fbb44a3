from django.core.management.base import BaseCommand

from reports.benchmark import MIN_ORGANIZATIONS, rebuild_benchmarks


class Command(BaseCommand):
    help = (
        "Publish every sector's benchmark figures afresh. Run it once a day: the pages show "
        "the figures of the last run, so that no single submission moves them."
    )

    def handle(self, *args, **options):
        for sector, organizations in rebuild_benchmarks().items():
            shown = "shown" if organizations >= MIN_ORGANIZATIONS else "not shown yet"
            self.stdout.write(f"{sector}: {organizations} organizations count ({shown})")
