from django.urls import path

from deliberation import views

app_name = "deliberation"

urlpatterns = [
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
        views.vote_tally_view,
        name="vote_tally",
    ),
    path("<int:pk>/deliberation/close/<int:meeting_id>/", views.vote_close_view, name="vote_close"),
]
