from django.core.management.base import BaseCommand

from documents.tasks import lost_renders_requeue


class Command(BaseCommand):
    help = (
        "Queue again the PDF renders that the worker with this --worker-id was running when it "
        "died: run it just before starting that worker (docs/deployment.md, section 11)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--worker-id", required=True, help="the worker's fixed --worker-id")

    def handle(self, *args, worker_id, **options):
        requeued = lost_renders_requeue(worker_id)
        self.stdout.write(f"Queued again {len(requeued)} render(s) cut off on {worker_id}.")
