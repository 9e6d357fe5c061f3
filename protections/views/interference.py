"""The interference register: record (and correct) an entry, read it, list
and export the register, link an entry to a case. Every view fetches through
`_entry_for_user`, which answers 404 to anyone who may not see the entry."""

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.models import Case
from cases.selectors import visible_case_by_number
from cases.views.common import add_service_errors, error_messages
from protections import errors
from protections.exports import RegisterFilters
from protections.forms import (
    CaseLinkForm,
    CorrectionForm,
    InterferenceEntryForm,
    RegisterFilterForm,
)
from protections.models import Channel, InterferenceAttachment, InterferenceEntry
from protections.rules import allowed
from protections.selectors import (
    interference_detail,
    interference_register,
    register_units,
)
from protections.services.interference import (
    InterferenceInput,
    interference_attachment_download_record,
    interference_case_link,
    interference_case_unlink,
    interference_record,
)
from protections.services.register import interference_register_export

ENTRIES_PER_PAGE = 25
VIEW = "protections.view_interference"


def _require(request, perm: str, obj=None) -> None:
    if not allowed(request.user, perm, obj):
        raise PermissionDenied


def _entry_for_user(request, pk: int, perm: str = VIEW) -> InterferenceEntry:
    """The entry, or 404 when it does not exist or the user may not see it;
    403 when they may see it but not do `perm`."""
    try:
        entry = interference_detail(pk)
    except InterferenceEntry.DoesNotExist:
        raise Http404 from None
    if not allowed(request.user, VIEW, entry):
        raise Http404
    if perm != VIEW:
        _require(request, perm, entry)
    return entry


def _filters(request) -> tuple[RegisterFilterForm, RegisterFilters]:
    form = RegisterFilterForm(request.GET or None, units=register_units(request.user))
    if not form.is_bound or not form.is_valid():
        return form, RegisterFilters()
    data = form.cleaned_data
    channel = data.get("channel") or ""
    return form, RegisterFilters(
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
        unit=data.get("unit"),
        channel=channel,
        channel_label=str(Channel(channel).label) if channel else "",
    )


def interference_list(request):
    _require(request, "protections.browse_interference")
    form, filters = _filters(request)
    entries = interference_register(
        request.user,
        date_from=filters.date_from,
        date_to=filters.date_to,
        unit=filters.unit,
        channel=filters.channel,
    )
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "protections/interference_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "may_record": allowed(request.user, "protections.record_interference"),
            "may_export": allowed(request.user, "protections.export_interference"),
        },
    )


def _export(request, fmt: str):
    _require(request, "protections.export_interference")
    form, filters = _filters(request)
    if form.is_bound and not form.is_valid():
        messages.error(request, errors.EXPORT_FILTER_INVALID)
        return redirect("protections:interference_list")
    content, _count = interference_register_export(actor=request.user, filters=filters, fmt=fmt)
    stamp = timezone.localdate().strftime("%Y%m%d")
    return FileResponse(
        io.BytesIO(content),
        content_type="text/csv; charset=utf-8" if fmt == "csv" else "application/pdf",
        as_attachment=request.GET.get("inline") != "1",
        filename=f"干预执法记录登记簿-{stamp}.{fmt}",
    )


def interference_export_csv(request):
    return _export(request, "csv")


def interference_export_pdf(request):
    return _export(request, "pdf")


def interference_create(request):
    """Record an entry; with ?corrects=<id>, a correction of one's own entry,
    starting from its content."""
    _require(request, "protections.record_interference")
    corrects = None
    corrects_id = request.POST.get("corrects") or request.GET.get("corrects")
    if corrects_id:
        if not str(corrects_id).isdigit():
            raise Http404
        corrects = _entry_for_user(request, int(corrects_id), "protections.correct_interference")
        if corrects.correction is not None:
            messages.error(request, errors.ALREADY_CORRECTED)
            return redirect("protections:interference_detail", pk=corrects.correction.pk)
    form_class = CorrectionForm if corrects else InterferenceEntryForm
    form = form_class(
        request.POST or None,
        request.FILES or None,
        initial=form_class.initial_from(corrects) if corrects else None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = interference_record(
                actor=request.user,
                data=InterferenceInput(
                    occurred_at=data["occurred_at"],
                    interferer_name=data["interferer_name"],
                    interferer_unit=data["interferer_unit"],
                    interferer_position=data["interferer_position"],
                    channel=data["channel"],
                    channel_detail=data["channel_detail"],
                    matter=data["matter"],
                    request_content=data["request_content"],
                    response=data["response"],
                ),
                attachments=data["attachments"],
                corrects=corrects,
                correction_reason=data.get("correction_reason", ""),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已记录，登记号 %(number)s。") % {"number": entry.number})
            return redirect("protections:interference_detail", pk=entry.pk)
    return render(
        request, "protections/interference_form.html", {"form": form, "corrects": corrects}
    )


def interference_detail_view(request, pk: int):
    entry = _entry_for_user(request, pk)
    may_link = allowed(request.user, "protections.link_interference", entry)
    return render(
        request,
        "protections/interference_detail.html",
        {
            "entry": entry,
            "may_correct": allowed(request.user, "protections.correct_interference", entry)
            and entry.correction is None,
            "may_link": may_link,
            "link_form": CaseLinkForm() if may_link else None,
        },
    )


def interference_attachment_download(request, pk: int, attachment_id: int):
    entry = _entry_for_user(request, pk)
    attachment = get_object_or_404(InterferenceAttachment, pk=attachment_id, entry=entry)
    attachment.entry = entry
    interference_attachment_download_record(actor=request.user, attachment=attachment)
    return FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=True,
        filename=attachment.original_name,
    )


@require_POST
def interference_link_case(request, pk: int):
    entry = _entry_for_user(request, pk, "protections.link_interference")
    form = CaseLinkForm(request.POST)
    case = visible_case_by_number(request.user, form.data.get("case_number", ""))
    if not form.is_valid() or case is None:
        messages.error(request, errors.CASE_NOT_FOUND)
        return redirect("protections:interference_detail", pk=entry.pk)
    try:
        interference_case_link(actor=request.user, entry=entry, case=case)
    except ValidationError as error:
        for message in error_messages(error):
            messages.error(request, message)
    else:
        messages.success(request, _("已关联案件%(number)s。") % {"number": case.display_number})
    return redirect("protections:interference_detail", pk=entry.pk)


@require_POST
def interference_unlink_case(request, pk: int, case_id: int):
    entry = _entry_for_user(request, pk, "protections.link_interference")
    case = get_object_or_404(Case, pk=case_id, interference_links__entry=entry)
    try:
        interference_case_unlink(actor=request.user, entry=entry, case=case)
    except ValidationError as error:
        for message in error_messages(error):
            messages.error(request, message)
    else:
        messages.success(request, _("已取消关联案件%(number)s。") % {"number": case.display_number})
    return redirect("protections:interference_detail", pk=entry.pk)
