"""The discipline liaison's side: the inbox of filing packages for their
body, downloads (each an audit event, shown back as a receipt) and
acknowledgement of receipt."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST, require_safe

from cases.views.common import error_messages
from filing import errors
from filing.models import FilingPackage
from filing.selectors import filing_downloads, filing_inbox_packages
from filing.services.filing import filing_acknowledge, filing_package_download_record
from filing.services.package_verification import (
    download_allowed,
    filing_package_verify,
    filing_packages_verified,
    verification_summary,
)

PACKAGES_PER_PAGE = 20
# How often the receipt asks again when the download is not on record yet.
RECEIPT_RETRIES = 5


def _package_for_user(request, package_id: int, perm: str) -> FilingPackage:
    package = get_object_or_404(
        FilingPackage.objects.select_related("case", "case__unit", "discipline_body"),
        pk=package_id,
    )
    if not request.user.has_perm(perm, package):
        raise PermissionDenied
    return package


def _receipt(user, package, downloads) -> dict:
    """One package's download record: every download, newest first, and the
    user's own latest as the receipt."""
    return {
        "package": package,
        "downloads": downloads,
        "mine": next((event for event in downloads if event.actor_id == user.pk), None),
    }


@require_safe
def filing_inbox_view(request):
    if not request.user.has_perm("filing.browse_filings"):
        raise PermissionDenied
    page = Paginator(filing_inbox_packages(request.user), PACKAGES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    downloads = filing_downloads(page.object_list)
    # Verified (and recorded) before the download is offered (issue 17).
    verifications = filing_packages_verified(actor=request.user, packages=page.object_list)
    rows = [
        {
            **_receipt(request.user, package, downloads[package.pk]),
            "verification": verification_summary(verifications[package.pk]),
        }
        for package in page
    ]
    return render(request, "filing/filing_inbox.html", {"page": page, "rows": rows})


@require_GET
def filing_download(request, package_id: int):
    package = _package_for_user(request, package_id, "filing.download_filing")
    verification = filing_packages_verified(actor=request.user, packages=[package])[package.pk]
    if not download_allowed(verification):
        messages.error(
            request,
            errors.PACKAGE_UNVERIFIED_NOT_OFFERED
            % {"version": package.version, "file": verification.data.get("failed_file") or "—"},
        )
        return redirect("filings:inbox")
    filing_package_download_record(actor=request.user, package=package)
    return FileResponse(
        package.file.open("rb"),
        content_type="application/zip",
        as_attachment=True,
        filename=package.file_name,
    )


@require_safe
def filing_receipt_view(request, package_id: int):
    """The download record of one package, asked for by the inbox (htmx)
    just after a download starts. When the download is not on record yet
    (`seen` downloads as before), the fragment asks again shortly."""
    package = _package_for_user(request, package_id, "filing.download_filing")
    row = _receipt(request.user, package, filing_downloads([package])[package.pk])
    try:
        seen, tries = int(request.GET.get("seen", "")), int(request.GET.get("try", "0"))
    except ValueError:
        seen, tries = None, 0
    waiting = seen is not None and len(row["downloads"]) <= seen and tries < RECEIPT_RETRIES
    return render(
        request,
        "filing/_filing_receipt.html",
        {"row": row, "retry": tries + 1 if waiting else 0},
    )


@require_POST
def filing_verify_view(request, package_id: int):
    """Verify a package again (after a trust anchor changed, say)."""
    package = _package_for_user(request, package_id, "filing.download_filing")
    summary = verification_summary(filing_package_verify(actor=request.user, package=package))
    if summary["failed"]:
        messages.error(
            request,
            errors.PACKAGE_VERIFICATION_FAILED
            % {"version": package.version, "file": summary["failed_file"] or "—"},
        )
    else:
        messages.success(
            request, _("已重新核验备案材料包第%(version)s版。") % {"version": package.version}
        )
    return redirect("filings:inbox")


@require_POST
def filing_acknowledge_view(request, package_id: int):
    package = _package_for_user(request, package_id, "filing.acknowledge_filing")
    try:
        package = filing_acknowledge(actor=request.user, package=package)
    except ValidationError as error:
        for message in error_messages(error):
            messages.error(request, message)
    else:
        when = formats.date_format(
            timezone.localtime(package.acknowledged_at), "SHORT_DATETIME_FORMAT"
        )
        messages.success(
            request,
            _("已签收%(number)s的备案材料（第%(version)s版），签收时间：%(when)s。")
            % {"number": package.case.number, "version": package.version, "when": when},
        )
    return redirect("filings:inbox")
