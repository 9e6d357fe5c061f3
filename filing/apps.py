from django.apps import AppConfig


class FilingConfig(AppConfig):
    """After the decision: the filing package and the liaison's inbox, the
    publication and the public notices, the transfer to the discipline organs."""

    name = "filing"

    def ready(self) -> None:
        from filing import extensions

        extensions.register()
