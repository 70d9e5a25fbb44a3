import logging

from django.core.management.base import BaseCommand, CommandError
from django.db.models import F

from assessments.models import Assessment
from reports.models import ReportPDF
from reports.tasks import report_pdf_render

logger = logging.getLogger("resilience.reports")


class Command(BaseCommand):
    help = "Render the PDF of every submitted report whose PDF is missing or stale."

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            action="store_true",
            help="Mark every PDF stale first: after a deploy that changes how reports look.",
        )

    def handle(self, *args, **options):
        if options["all"]:
            ReportPDF.objects.update(revision=F("revision") + 1)
        pending = list(
            Assessment.objects.filter(status=Assessment.Status.SUBMITTED)
            .exclude(report_pdf__rendered_revision=F("report_pdf__revision"))
            .values_list("pk", flat=True)
        )
        failed = []
        for pk in pending:
            try:
                report_pdf_render(assessment_id=pk)
            except Exception:
                logger.exception("PDF report of assessment %s: the render failed", pk)
                failed.append(pk)
        self.stdout.write(f"Rendered {len(pending) - len(failed)} PDF reports.")
        if failed:
            raise CommandError(f"The PDFs of assessments {failed} failed to render (see the log).")
