from django.urls import path

from vindication import views

app_name = "vindication"

urlpatterns = [
    path("", views.clarification_list, name="list"),
    path("new/", views.clarification_create, name="create"),
    path("<int:pk>/", views.clarification_detail_view, name="detail"),
    path("<int:pk>/find/", views.clarification_find, name="find"),
    path("<int:pk>/close/", views.clarification_close_view, name="close"),
    path("<int:pk>/decide/", views.clarification_decide_view, name="decide"),
    path("<int:pk>/issue/", views.clarification_issue_view, name="issue"),
    path("<int:pk>/notice/", views.clarification_notice_download, name="notice_download"),
    path("personnel/", views.personnel_query, name="personnel_query"),
    path("cases/<int:pk>/certificates/", views.case_certificates, name="case_certificates"),
    path(
        "cases/<int:pk>/certificates/<int:subject_officer_id>/",
        views.certificate_request_view,
        name="certificate_request",
    ),
]
