from reviews.models.decision import (
    DecisionRules,
    Determination,
    Measure,
    Meeting,
    MeetingMember,
    Outcome,
    Vote,
    engine_outcome_label,
)
from reviews.models.expert import DisputedClause, ExpertOpinion, ExpertPanel
from reviews.models.filing import FilingPackage
from reviews.models.investigation import ClauseConclusion, InvestigationReport, ReportConclusion

__all__ = [
    "ClauseConclusion",
    "DecisionRules",
    "Determination",
    "DisputedClause",
    "ExpertOpinion",
    "ExpertPanel",
    "FilingPackage",
    "InvestigationReport",
    "Measure",
    "Meeting",
    "MeetingMember",
    "Outcome",
    "ReportConclusion",
    "Vote",
    "engine_outcome_label",
]
