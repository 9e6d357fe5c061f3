from reviews.views.deliberation import (
    attendance_view,
    deliberation,
    determination_amend_view,
    determination_propose_view,
    determination_withdraw_view,
    meeting_convene_view,
    vote_close_view,
    vote_view,
)
from reviews.views.expert import expert, expert_conclude, expert_opinion
from reviews.views.publication import publication_create_view, publication_withdraw_view
from reviews.views.report import report, report_sign_off_view
from reviews.views.transfer import (
    duty_opinion_view,
    organ_sanction_view,
    transfer_case_file_download,
    transfer_page,
    transfer_record_view,
)

__all__ = [
    "determination_amend_view",
    "determination_withdraw_view",
    "attendance_view",
    "deliberation",
    "determination_propose_view",
    "duty_opinion_view",
    "expert",
    "expert_conclude",
    "expert_opinion",
    "meeting_convene_view",
    "organ_sanction_view",
    "publication_create_view",
    "publication_withdraw_view",
    "report",
    "report_sign_off_view",
    "transfer_case_file_download",
    "transfer_page",
    "transfer_record_view",
    "vote_close_view",
    "vote_view",
]
