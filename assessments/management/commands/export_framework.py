import json

import yaml
from django.core.management.base import BaseCommand, CommandError

from assessments.models import FrameworkVersion
from assessments.selectors import active_framework, framework_export


class Command(BaseCommand):
    help = "Print a framework version (the active one by default) as JSON or YAML."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "yaml"], default="json")
        parser.add_argument("--version-id", dest="version", help="Version to export, e.g. 2026.1")

    def handle(self, *args, **options):
        if options["version"]:
            framework = FrameworkVersion.objects.filter(version=options["version"]).first()
            if framework is None:
                raise CommandError(f"No framework version {options['version']!r} is imported.")
        else:
            framework = active_framework()
            if framework is None:
                raise CommandError("No framework is imported yet; run import_framework first.")
        data = framework_export(framework)
        if options["format"] == "json":
            self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))
        else:
            self.stdout.write(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100))
