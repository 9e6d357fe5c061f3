"""The discipline liaison's side: the inbox of filing packages for their
body, downloads (each an audit event) and acknowledgement of receipt."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.views.common import error_messages
from reviews.models import FilingPackage
from reviews.selectors import filing_inbox
from reviews.services.filing import filing_acknowledge, filing_package_download_record


def _package_for_user(request, package_id: int, perm: str) -> FilingPackage:
    package = get_object_or_404(
        FilingPackage.objects.select_related("case", "case__unit", "discipline_body"),
        pk=package_id,
    )
    if not request.user.has_perm(perm, package):
        raise PermissionDenied
    return package


def filing_inbox_view(request):
    if not request.user.has_perm("reviews.browse_filings"):
        raise PermissionDenied
    return render(request, "reviews/filing_inbox.html", {"packages": filing_inbox(request.user)})


def filing_download(request, package_id: int):
    package = _package_for_user(request, package_id, "reviews.download_filing")
    filing_package_download_record(actor=request.user, package=package)
    return FileResponse(
        package.file.open("rb"),
        content_type="application/zip",
        as_attachment=True,
        filename=package.file_name,
    )


@require_POST
def filing_acknowledge_view(request, package_id: int):
    package = _package_for_user(request, package_id, "reviews.acknowledge_filing")
    try:
        filing_acknowledge(actor=request.user, package=package)
    except ValidationError as error:
        for message in error_messages(error):
            messages.error(request, message)
    else:
        messages.success(
            request, _("已签收%(number)s的备案材料。") % {"number": package.case.number}
        )
    return redirect("filings:inbox")
