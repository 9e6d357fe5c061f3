from django.urls import path

from reviews import views
from reviews.views.deliberation import vote_tally_view

app_name = "reviews"

urlpatterns = [
    path("<int:pk>/report/", views.report, name="report"),
    path("<int:pk>/report/sign-off/", views.report_sign_off_view, name="report_sign_off"),
    path("<int:pk>/expert/", views.expert, name="expert"),
    path(
        "<int:pk>/expert/opinions/<int:disputed_id>/",
        views.expert_opinion,
        name="expert_opinion",
    ),
    path("<int:pk>/expert/conclude/", views.expert_conclude, name="expert_conclude"),
    path("<int:pk>/deliberation/", views.deliberation, name="deliberation"),
    path("<int:pk>/deliberation/convene/", views.meeting_convene_view, name="meeting_convene"),
    path(
        "<int:pk>/deliberation/attendance/<int:member_id>/",
        views.attendance_view,
        name="attendance",
    ),
    path(
        "<int:pk>/deliberation/propose/<int:subject_officer_id>/",
        views.determination_propose_view,
        name="determination_propose",
    ),
    path(
        "<int:pk>/deliberation/proposal/<int:determination_id>/withdraw/",
        views.determination_withdraw_view,
        name="determination_withdraw",
    ),
    path(
        "<int:pk>/deliberation/proposal/<int:determination_id>/amend/",
        views.determination_amend_view,
        name="determination_amend",
    ),
    path("<int:pk>/deliberation/vote/<int:determination_id>/", views.vote_view, name="vote"),
    path(
        "<int:pk>/deliberation/tally/<int:determination_id>/",
        vote_tally_view,
        name="vote_tally",
    ),
    path("<int:pk>/deliberation/close/<int:meeting_id>/", views.vote_close_view, name="vote_close"),
    path("<int:pk>/publications/", views.publication_create_view, name="publication_create"),
    path(
        "<int:pk>/publications/<int:publication_id>/withdraw/",
        views.publication_withdraw_view,
        name="publication_withdraw",
    ),
    path("<int:pk>/transfer/", views.transfer_page, name="transfer"),
    path(
        "<int:pk>/transfer/<int:transfer_id>/case-file/",
        views.transfer_case_file_download,
        name="transfer_case_file",
    ),
    path(
        "<int:pk>/transfer/<int:determination_id>/record/",
        views.transfer_record_view,
        name="transfer_record",
    ),
    path(
        "<int:pk>/transfer/<int:transfer_id>/sanction/",
        views.organ_sanction_view,
        name="organ_sanction",
    ),
    path("<int:pk>/duty-opinion/", views.duty_opinion_view, name="duty_opinion"),
]
