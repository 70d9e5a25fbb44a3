import logging

from django.core.management.base import BaseCommand, CommandError

from documents import services
from documents.kinds import DOCUMENTS

logger = logging.getLogger("resilience.documents")


class Command(BaseCommand):
    help = (
        "Render every stored PDF that no longer prints what its page shows (or is missing): "
        "daily, as printed dates pass, and after each deploy."
    )

    def handle(self, *args, **options):
        rendered, failed = 0, []
        for document in DOCUMENTS:
            for source in document.sources().iterator():
                try:
                    rendered += services.pdf_refresh(document, source)
                except Exception:
                    logger.exception("%s %s: the render failed", document.name, source.pk)
                    failed.append(f"{document.name} {source.pk}")
        self.stdout.write(f"Rendered {rendered} stale PDFs.")
        if failed:
            raise CommandError(f"These failed to render (see the log): {', '.join(failed)}.")
