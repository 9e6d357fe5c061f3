from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("文书")

    def ready(self) -> None:
        # The deployment checks of config/ (issue 12): config is no app.
        from config import checks as deploy_checks  # noqa: F401
        from documents import checks  # noqa: F401 - registers the system checks
