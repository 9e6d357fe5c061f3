from django.urls import path

from protections import views

app_name = "protections"

urlpatterns = [
    path("interference/", views.interference_list, name="interference_list"),
    path("interference/new/", views.interference_create, name="interference_create"),
    path("interference/export.csv", views.interference_export_csv, name="interference_export_csv"),
    path("interference/export.pdf", views.interference_export_pdf, name="interference_export_pdf"),
    path("interference/<int:pk>/", views.interference_detail_view, name="interference_detail"),
    path(
        "interference/<int:pk>/attachments/<int:attachment_id>/",
        views.interference_attachment_download,
        name="interference_attachment",
    ),
    path("interference/<int:pk>/link/", views.interference_link_case, name="interference_link"),
    path(
        "interference/<int:pk>/unlink/<int:case_id>/",
        views.interference_unlink_case,
        name="interference_unlink",
    ),
    path("requests/", views.protection_list, name="protection_list"),
    path("requests/new/", views.protection_create, name="protection_create"),
    path("requests/<int:pk>/", views.protection_detail_view, name="protection_detail"),
    path("requests/<int:pk>/move/<str:name>/", views.protection_move, name="protection_move"),
    path("requests/<int:pk>/police/", views.protection_police_record, name="protection_police"),
]
