"""What the expert review adds to cases' extension points: the panel members
read the case, the parties the review waits on, the opinions in the clause
matrix. Registered by PanelConfig.ready()."""

from collections import defaultdict

from django.db.models import Q

from accounts.models import User
from accounts.roles import Role
from cases.extensions import review_column_register
from cases.id_sets import pk_in_few
from cases.parties import party_register
from cases.readers import ReaderArm, reader_arm_register
from panel import parties
from panel.models import ExpertOpinion, ExpertPanel


def _panel_members(user: User) -> Q | None:
    """The members of the case's expert panel."""
    if not user.has_role(Role.EXPERT):
        return None
    # The few case ids by index, not an EXISTS tested on every case
    # (cases.readers: each arm is written for an index).
    return pk_in_few(ExpertPanel.objects.filter(members=user).values("case_id"))


def panel_opinions(case) -> dict[int, dict[str, list]]:
    """The panel's opinions per officer and clause, for the clause matrix."""
    opinions: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for opinion in ExpertOpinion.objects.filter(disputed_clause__panel__case=case).select_related(
        "disputed_clause", "member"
    ):
        clause = opinion.disputed_clause
        opinions[clause.subject_officer_id][clause.clause_ref].append(opinion)
    return opinions


def register() -> None:
    reader_arm_register(ReaderArm("panel_members", _panel_members))
    party_register(*parties.PARTIES)
    review_column_register("panel_opinions", panel_opinions)
