from protections.models.designation import Designation
from protections.models.interference import (
    Channel,
    ImmutableRecordError,
    InterferenceAttachment,
    InterferenceCaseLink,
    InterferenceEntry,
)
from protections.models.protection import (
    AffectedPerson,
    IncidentKind,
    PoliceCoordination,
    ProtectionRequest,
    ProtectionStatus,
    ProtectionStatusChange,
)

__all__ = [
    "AffectedPerson",
    "Channel",
    "Designation",
    "ImmutableRecordError",
    "IncidentKind",
    "InterferenceAttachment",
    "InterferenceCaseLink",
    "InterferenceEntry",
    "PoliceCoordination",
    "ProtectionRequest",
    "ProtectionStatus",
    "ProtectionStatusChange",
]
