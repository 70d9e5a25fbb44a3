from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "Printed documents"

    def ready(self):
        # The receivers that render a document ahead of time once a change to it commits.
        from . import signals  # noqa: F401
