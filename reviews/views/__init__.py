from reviews.views.deliberation import (
    attendance_view,
    deliberation,
    determination_propose_view,
    meeting_convene_view,
    vote_close_view,
    vote_view,
)
from reviews.views.expert import expert, expert_conclude, expert_opinion
from reviews.views.report import report, report_sign_off_view

__all__ = [
    "attendance_view",
    "deliberation",
    "determination_propose_view",
    "expert",
    "expert_conclude",
    "expert_opinion",
    "meeting_convene_view",
    "report",
    "report_sign_off_view",
    "vote_close_view",
    "vote_view",
]
