"""What the collective decision adds to cases' extension points: the
parties it waits on, the adopted determinations on the case list and its
filter by outcome. Registered by DeliberationConfig.ready()."""

from django.db.models import Exists, OuterRef, Prefetch, Q

from cases.extensions import OutcomeFilter, list_prefetch_register, outcome_filter_register
from cases.parties import party_register
from deliberation import parties
from deliberation.models import Determination, Outcome


def adopted_determinations() -> Prefetch:
    """Each listed case's adopted determinations, as case.adopted_determinations."""
    return Prefetch(
        "determinations",
        queryset=Determination.objects.filter(status=Determination.Status.ADOPTED).only(
            "id", "case_id", "subject_officer_id", "outcome", "status"
        ),
        to_attr="adopted_determinations",
    )


def decided_with(outcome: str | None) -> Q:
    """Cases with an adopted determination of that outcome (any, for None)."""
    adopted = Determination.objects.filter(case=OuterRef("pk"), status=Determination.Status.ADOPTED)
    if outcome is not None:
        adopted = adopted.filter(outcome=outcome)
    return Q(Exists(adopted))


def register() -> None:
    party_register(*parties.PARTIES)
    list_prefetch_register(adopted_determinations)
    outcome_filter_register(OutcomeFilter(choices=lambda: Outcome.choices, condition=decided_with))
