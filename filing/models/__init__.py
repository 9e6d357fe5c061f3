from filing.models.filing import FilingPackage
from filing.models.publication import Publication, PublicationScope
from filing.models.transfer import (
    DisciplineTransfer,
    DutyOpinion,
    DutyOpinionItem,
    OrganSanction,
)

__all__ = [
    "DisciplineTransfer",
    "DutyOpinion",
    "DutyOpinionItem",
    "FilingPackage",
    "OrganSanction",
    "Publication",
    "PublicationScope",
]
