from django.urls import path

from cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("export/<str:fmt>/", views.case_list_export_view, name="list_export"),
    path("tasks/", views.task_list, name="tasks"),
    path("new/", views.intake_start, name="create"),
    path("drafts/", views.intake_drafts, name="intake_drafts"),
    path("drafts/<int:draft_id>/", views.intake_resume, name="intake_resume"),
    path("drafts/<int:draft_id>/discard/", views.intake_discard, name="intake_discard"),
    path("drafts/<int:draft_id>/<str:step>/", views.intake_step, name="intake_step"),
    path("<int:pk>/", views.case_detail_view, name="detail"),
    path("<int:pk>/move/<str:name>/", views.case_transition_view, name="transition"),
    path("<int:pk>/claims/", views.case_claims, name="claims"),
    path("<int:pk>/regulation/", views.case_regulation_view, name="regulation"),
    path("<int:pk>/team/", views.case_team_assign, name="team"),
    path("<int:pk>/facts/<str:stage>/", views.case_facts, name="facts"),
    path("<int:pk>/matrix/", views.case_matrix, name="matrix"),
    path("<int:pk>/matrix/<str:stage>/", views.case_matrix, name="matrix_stage"),
    path("<int:pk>/evidence/", views.evidence_upload_view, name="evidence_upload"),
    path(
        "<int:pk>/evidence/<int:evidence_id>/download/",
        views.evidence_download,
        name="evidence_download",
    ),
    path("<int:pk>/documents/", views.case_documents_partial, name="documents"),
    path(
        "<int:pk>/documents/<int:document_id>/download/",
        views.document_download,
        name="document_download",
    ),
]
