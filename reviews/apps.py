from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"

    def ready(self) -> None:
        from django_fsm.signals import post_transition

        from cases.models import Case
        from reviews.precedents import on_case_decided

        # A decided case's determinations become precedents (reviews.precedents).
        post_transition.connect(on_case_decided, sender=Case, dispatch_uid="precedents_on_decide")
