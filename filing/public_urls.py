"""Pages anyone may read without logging in (published notices)."""

from django.urls import path

from filing.views.public import public_notice_detail, public_notice_list, public_notice_pdf

app_name = "public"

urlpatterns = [
    path("", public_notice_list, name="notices"),
    path("<int:publication_id>/", public_notice_detail, name="notice"),
    path("<int:publication_id>/pdf/", public_notice_pdf, name="notice_pdf"),
]
