from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.forms import EvidenceUploadForm
from cases.models import Evidence
from cases.services.evidence import evidence_download_record, evidence_upload
from cases.views.common import error_messages, get_case_for_user
from documents.models import Document
from documents.services import document_download_record


@require_POST
def evidence_upload_view(request, pk: int):
    case = get_case_for_user(request, pk, "cases.upload_evidence")
    form = EvidenceUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, message)
        return redirect("cases:detail", pk=case.pk)
    try:
        evidence = evidence_upload(
            actor=request.user,
            case=case,
            upload=form.cleaned_data["file"],
            description=form.cleaned_data["description"],
        )
    except ValidationError as error:
        for message in error_messages(error):
            messages.error(request, message)
    else:
        messages.success(request, _("已上传证据：%(name)s") % {"name": evidence.original_name})
    return redirect("cases:detail", pk=case.pk)


def evidence_download(request, pk: int, evidence_id: int):
    case = get_case_for_user(request, pk, "cases.view_evidence")
    evidence = get_object_or_404(Evidence, pk=evidence_id, case=case)
    evidence_download_record(actor=request.user, evidence=evidence)
    return FileResponse(
        evidence.file.open("rb"),
        content_type=evidence.content_type,
        as_attachment=True,
        filename=evidence.original_name,
    )


def document_download(request, pk: int, document_id: int):
    case = get_case_for_user(request, pk)
    document = get_object_or_404(Document, pk=document_id, case=case, status=Document.Status.DONE)
    document_download_record(actor=request.user, document=document)
    filename = f"{case.display_number}-{document.get_kind_display()}.pdf"
    return FileResponse(
        document.file.open("rb"),
        content_type="application/pdf",
        as_attachment=request.GET.get("inline") != "1",
        filename=filename,
    )
