"""Read queries of the expert panel, in a fixed number of queries however
many members, clauses or opinions there are."""

from django.db.models import Prefetch, QuerySet

from accounts.models import User
from accounts.roles import Role
from cases.models import Case
from panel.models import DisputedClause, ExpertOpinion, ExpertPanel


def panel_for_case(case: Case) -> ExpertPanel | None:
    """The case's expert panel with its members, disputed clauses and every
    opinion on them, or None."""
    return (
        ExpertPanel.objects.filter(case=case)
        .select_related("concluded_by")
        .prefetch_related(
            Prefetch("members", queryset=User.objects.order_by("id")),
            Prefetch(
                "disputed",
                queryset=DisputedClause.objects.prefetch_related(
                    Prefetch("opinions", queryset=ExpertOpinion.objects.select_related("member"))
                ),
            ),
        )
        .first()
    )


def experts_of_unit(case: Case) -> QuerySet[User]:
    """The experts who can see the case (those of its unit)."""
    return (
        User.objects.filter(units=case.unit_id, groups__name=Role.EXPERT, is_active=True)
        .distinct()
        .order_by("id")
    )
