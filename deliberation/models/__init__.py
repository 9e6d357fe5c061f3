from deliberation.models.decision import (
    DecisionRules,
    Determination,
    Measure,
    Meeting,
    MeetingMember,
    Outcome,
    Vote,
    engine_outcome_label,
)
from deliberation.models.precedent import PrecedentClause, PrecedentSignature

__all__ = [
    "DecisionRules",
    "Determination",
    "Measure",
    "Meeting",
    "MeetingMember",
    "Outcome",
    "PrecedentClause",
    "PrecedentSignature",
    "Vote",
    "engine_outcome_label",
]
