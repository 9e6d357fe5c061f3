from django.urls import path

from filing.views.filings import (
    filing_acknowledge_view,
    filing_download,
    filing_inbox_view,
    filing_receipt_view,
    filing_verify_view,
)

app_name = "filings"

urlpatterns = [
    path("", filing_inbox_view, name="inbox"),
    path("<int:package_id>/download/", filing_download, name="download"),
    path("<int:package_id>/receipt/", filing_receipt_view, name="receipt"),
    path("<int:package_id>/verify/", filing_verify_view, name="verify"),
    path("<int:package_id>/acknowledge/", filing_acknowledge_view, name="acknowledge"),
]
