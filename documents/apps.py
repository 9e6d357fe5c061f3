import warnings

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("文书")

    def ready(self) -> None:
        # The deployment checks of config/ (issue 12): config is no app.
        from config import checks as deploy_checks  # noqa: F401
        from documents import checks  # noqa: F401 - registers the system checks

        # pyHanko imports cryptography's DSA key types, deprecated since
        # cryptography 46; we never use DSA, and the warning would be a second
        # stderr line for verify_package (config/commands.py: one line).
        warnings.filterwarnings("ignore", message="DSA is deprecated", category=Warning)
