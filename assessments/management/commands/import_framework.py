from django.core.management.base import BaseCommand, CommandError

from assessments.services import FrameworkImportError, framework_import


class Command(BaseCommand):
    help = "Import a framework file (YAML or JSON) as a new version and make it active."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to the framework file, e.g. fixtures/framework.yaml")

    def handle(self, *args, **options):
        try:
            outcome = framework_import(path=options["file"])
        except FrameworkImportError as exc:
            raise CommandError(str(exc)) from exc
        framework = outcome.framework
        count = framework.questions.count()
        if outcome.created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Imported {framework.name} {framework.version} ({count} questions); "
                    "it is now the active version."
                )
            )
        else:
            self.stdout.write(
                f"{framework.name} {framework.version} is already imported; nothing changed."
            )
