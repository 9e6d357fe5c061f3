from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "文书"

    def ready(self) -> None:
        # The deployment checks of config/ (issue 12): config is no app.
        from config import checks as deploy_checks  # noqa: F401
        from documents import checks  # noqa: F401 - registers the system checks
