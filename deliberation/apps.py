from django.apps import AppConfig


class DeliberationConfig(AppConfig):
    """The collective decision: meetings, votes, determinations and precedents."""

    name = "deliberation"

    def ready(self) -> None:
        from django_fsm.signals import post_transition

        from cases.models import Case
        from deliberation import extensions
        from deliberation.precedents import on_case_decided

        extensions.register()
        # A decided case's determinations become precedents (deliberation.precedents).
        post_transition.connect(on_case_decided, sender=Case, dispatch_uid="precedents_on_decide")
