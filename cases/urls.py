from django.urls import path

from cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_create_view, name="create"),
    path("<int:pk>/", views.case_detail_view, name="detail"),
    path("<int:pk>/documents/", views.case_documents_partial, name="documents"),
    path(
        "<int:pk>/documents/<int:document_id>/download/",
        views.document_download,
        name="document_download",
    ),
]
