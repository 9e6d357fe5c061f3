"""The case's pages after the decision: publication and the transfer to the
discipline organs (the liaison's inbox is filing.inbox_urls, the public
notices filing.public_urls)."""

from django.urls import path

from filing.views import publication, transfer

app_name = "filing"

urlpatterns = [
    path("<int:pk>/publications/", publication.publication_create_view, name="publication_create"),
    path(
        "<int:pk>/publications/<int:publication_id>/withdraw/",
        publication.publication_withdraw_view,
        name="publication_withdraw",
    ),
    path("<int:pk>/transfer/", transfer.transfer_page, name="transfer"),
    path(
        "<int:pk>/transfer/<int:transfer_id>/case-file/",
        transfer.transfer_case_file_download,
        name="transfer_case_file",
    ),
    path(
        "<int:pk>/transfer/<int:determination_id>/record/",
        transfer.transfer_record_view,
        name="transfer_record",
    ),
    path(
        "<int:pk>/transfer/<int:transfer_id>/sanction/",
        transfer.organ_sanction_view,
        name="organ_sanction",
    ),
    path("<int:pk>/duty-opinion/", transfer.duty_opinion_view, name="duty_opinion"),
]
