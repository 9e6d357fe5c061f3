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
from reviews.models.precedent import PrecedentClause, PrecedentSignature
from reviews.models.publication import Publication, PublicationScope
from reviews.models.transfer import (
    DisciplineTransfer,
    DutyOpinion,
    DutyOpinionItem,
    OrganSanction,
)

__all__ = [
    "ClauseConclusion",
    "DecisionRules",
    "Determination",
    "DisciplineTransfer",
    "DisputedClause",
    "DutyOpinion",
    "DutyOpinionItem",
    "ExpertOpinion",
    "ExpertPanel",
    "FilingPackage",
    "InvestigationReport",
    "Measure",
    "Meeting",
    "MeetingMember",
    "OrganSanction",
    "PrecedentClause",
    "PrecedentSignature",
    "Outcome",
    "Publication",
    "PublicationScope",
    "ReportConclusion",
    "Vote",
    "engine_outcome_label",
]
