from cases.views.assignment import case_team_assign
from cases.views.cases import (
    case_detail_view,
    case_documents_partial,
    case_list,
    case_regulation_view,
    case_transition_view,
)
from cases.views.evidence import document_download, evidence_download, evidence_upload_view
from cases.views.export import case_list_export_view
from cases.views.facts import case_claims, case_facts
from cases.views.intake import (
    intake_discard,
    intake_drafts,
    intake_resume,
    intake_start,
    intake_step,
)
from cases.views.matrix import case_matrix
from cases.views.tasks import task_list

__all__ = [
    "case_claims",
    "case_detail_view",
    "case_documents_partial",
    "case_facts",
    "case_list",
    "case_list_export_view",
    "case_matrix",
    "case_regulation_view",
    "case_team_assign",
    "case_transition_view",
    "document_download",
    "evidence_download",
    "evidence_upload_view",
    "intake_discard",
    "intake_drafts",
    "intake_resume",
    "intake_start",
    "intake_step",
    "task_list",
]
