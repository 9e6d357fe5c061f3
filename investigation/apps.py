from django.apps import AppConfig


class InvestigationConfig(AppConfig):
    """The investigation stage: the report, its clause conclusions and sign-off."""

    name = "investigation"

    def ready(self) -> None:
        from investigation import extensions

        extensions.register()
