from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"

    def ready(self) -> None:
        from cases import calendar_checks, checks  # noqa: F401  (register the checks)
