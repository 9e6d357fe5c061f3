from cases.models.case import (
    ActivityKind,
    Case,
    CaseNumberCounter,
    Field,
    LeadSource,
    SubjectOfficer,
)
from cases.models.deadlines import Notification, StageDeadline
from cases.models.draft import IntakeDraft
from cases.models.evidence import Evidence
from cases.models.facts import ClauseClaim, FactRecord
from cases.models.publication_scope import PublicationScope
from cases.models.working_calendar import CalendarOverride

__all__ = [
    "ActivityKind",
    "CalendarOverride",
    "Case",
    "CaseNumberCounter",
    "ClauseClaim",
    "Evidence",
    "FactRecord",
    "Field",
    "IntakeDraft",
    "LeadSource",
    "Notification",
    "PublicationScope",
    "StageDeadline",
    "SubjectOfficer",
]
