from django.apps import AppConfig


class PanelConfig(AppConfig):
    """The expert review: the panel, its disputed clauses and the opinions."""

    name = "panel"
