from django.apps import AppConfig


class PanelConfig(AppConfig):
    """The expert review: the panel, its disputed clauses and the opinions."""

    name = "panel"

    def ready(self) -> None:
        from panel import extensions

        extensions.register()
