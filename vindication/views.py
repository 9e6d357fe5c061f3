"""Clarification records (澄清正名), the no-impact certificate on the case
page and the personnel query (人事查询)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from cases.models import Case, SubjectOfficer
from cases.selectors import visible_case_by_number
from cases.views.common import add_service_errors, error_messages, get_case_for_user, require
from vindication import errors, services
from vindication.forms import (
    ClarificationRecordForm,
    CloseForm,
    DecisionForm,
    FindingForm,
    IssueForm,
    PersonnelQueryForm,
)
from vindication.models import ClarificationRecord
from vindication.selectors import (
    clarification_detail,
    clarification_list_for_user,
    officer_search,
    officers_visible_to,
    personnel_determinations,
)
from vindication.templatetags.vindication_tags import certificate_panel_context
from vindication.workflow import FLOW, MANAGER

RECORDS_PER_PAGE = 25


def _record_for_user(request, pk: int, perm: str = "vindication.view_clarification"):
    """The record, or 404 when it does not exist or the user may not see it;
    403 when they may see it but not do `perm`."""
    try:
        record = clarification_detail(pk)
    except ClarificationRecord.DoesNotExist:
        raise Http404 from None
    if not request.user.has_perm("vindication.view_clarification", record):
        raise Http404
    if perm != "vindication.view_clarification" and not request.user.has_perm(perm, record):
        raise PermissionDenied
    return record


# --- clarification records ---------------------------------------------------------------


@require_safe
def clarification_list(request):
    require(request, "vindication.browse_clarifications")
    page = Paginator(clarification_list_for_user(request.user), RECORDS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "vindication/clarification_list.html",
        {"page": page, "can_add": request.user.has_perm("vindication.add_clarification")},
    )


def _case_by_number(request, number: str) -> Case | None:
    if not number.strip():
        return None
    case = visible_case_by_number(request.user, number)
    if case is None:
        raise ValidationError({"case_number": errors.CASE_NOT_FOUND})
    return case


def clarification_create(request):
    require(request, "vindication.add_clarification")
    officers = officers_visible_to(request.user).filter(is_active=True).order_by("unit", "name")
    form = ClarificationRecordForm(request.POST or None, officers=officers)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record = services.clarification_record(
                actor=request.user,
                officers=list(data["officers"]),
                kind=data["kind"],
                channel=data["channel"],
                source=data["source"],
                received_on=data["received_on"],
                content=data["content"],
                case=_case_by_number(request, data["case_number"]),
            )
        except ValidationError as error:
            if hasattr(error, "error_dict") and "case" in error.error_dict:
                error = ValidationError({"case_number": error.error_dict.pop("case")})
            add_service_errors(form, error)
        except PermissionDenied as refusal:
            form.add_error(None, str(refusal) or errors.MAY_NOT_RECORD_FOR_OFFICERS)
        else:
            messages.success(request, _("已登记不实反映。"))
            return redirect("vindication:detail", pk=record.pk)
    return render(request, "vindication/clarification_form.html", {"form": form})


ACTION_FORMS = {
    "find": FindingForm,
    "close": CloseForm,
    "decide": DecisionForm,
    "issue": IssueForm,
}


def _detail_page(request, record, *, forms=None, status=200):
    """The record with the forms of the moves its state allows, for a user
    who may manage it."""
    can_manage = request.user.has_perm(FLOW.actors[MANAGER].permission, record)
    # The moves the flow's table allows now; those leading on before one that
    # stays (deciding again), otherwise in the table's order.
    offered = [
        move.name
        for move in sorted(FLOW.moves_from(record.state), key=lambda m: record.state in m.targets)
    ]
    forms = dict(forms or {})
    officers = list(record.officers.all())
    if can_manage:
        for name in offered:
            if name not in forms:
                initial = {}
                if name == "decide" and record.decided_on:
                    initial = {
                        "decided_by": record.decided_by,
                        "decided_on": record.decided_on,
                        "scope": record.scope,
                        "scope_detail": record.scope_detail,
                    }
                forms[name] = ACTION_FORMS[name](prefix=name, initial=initial or None)
    return render(
        request,
        "vindication/clarification_detail.html",
        {
            "record": record,
            "officers": officers,
            "names": "、".join(o.name for o in officers),
            "forms": forms if can_manage else {},
            "can_manage": can_manage,
            "today": timezone.localdate(),
        },
        status=status,
    )


@require_safe
def clarification_detail_view(request, pk: int):
    return _detail_page(request, _record_for_user(request, pk))


def _act(request, pk: int, name: str, call, success: str):
    record = _record_for_user(request, pk, "vindication.manage_clarification")
    form = ACTION_FORMS[name](request.POST, prefix=name)
    if form.is_valid():
        try:
            call(record, form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success)
            return redirect("vindication:detail", pk=record.pk)
    return _detail_page(request, record, forms={name: form}, status=400)


@require_POST
def clarification_find(request, pk: int):
    def call(record, data):
        services.clarification_finding_record(
            actor=request.user,
            record=record,
            untrue=data["result"] == "untrue",
            found_by=data["found_by"],
            found_on=data["found_on"],
            basis=data["basis"],
        )

    return _act(request, pk, "find", call, _("已记录核实结论。"))


@require_POST
def clarification_close_view(request, pk: int):
    def call(record, data):
        services.clarification_close(actor=request.user, record=record, reason=data["reason"])

    return _act(request, pk, "close", call, _("已了结，不予澄清。"))


@require_POST
def clarification_decide_view(request, pk: int):
    def call(record, data):
        services.clarification_decide(
            actor=request.user,
            record=record,
            decided_by=data["decided_by"],
            decided_on=data["decided_on"],
            scope=data["scope"],
            scope_detail=data["scope_detail"],
        )

    return _act(request, pk, "decide", call, _("已决定澄清正名，澄清正名通知已生成。"))


@require_POST
def clarification_issue_view(request, pk: int):
    def call(record, data):
        services.clarification_notice_issue(
            actor=request.user, record=record, issued_on=data["issued_on"]
        )

    return _act(request, pk, "issue", call, _("澄清正名通知已发布。"))


@require_safe
def clarification_notice_download(request, pk: int):
    record = _record_for_user(request, pk)
    if not record.has_notice:
        raise Http404
    services.clarification_notice_download_record(actor=request.user, record=record)
    return FileResponse(
        record.notice_file.open("rb"),
        content_type="application/pdf",
        as_attachment=request.GET.get("inline") != "1",
        filename=f"{record.number}-澄清正名通知.pdf",
    )


# --- the no-impact certificate on the case page -------------------------------------------


@require_safe
def case_certificates(request, pk: int):
    """The certificate panel alone, polled by htmx while a certificate renders."""
    case = get_case_for_user(request, pk)
    return render(
        request,
        "vindication/_certificate_panel.html",
        certificate_panel_context(case, request.user),
    )


@require_POST
def certificate_request_view(request, pk: int, subject_officer_id: int):
    case = get_case_for_user(request, pk)
    subject = get_object_or_404(
        SubjectOfficer.objects.select_related("officer"), pk=subject_officer_id, case=case
    )
    try:
        services.certificate_request(actor=request.user, case=case, subject_officer=subject)
    except ValidationError as error:
        for message in error_messages(error):
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("已申请出具%(name)s的不受影响证明，生成后可在本页下载。")
            % {"name": subject.officer.name},
        )
    return redirect(reverse("cases:detail", args=[case.pk]) + "#no-impact-panel")


# --- the personnel query --------------------------------------------------------------------


@require_safe
def personnel_query(request):
    """人事查询: every determination concerning an officer in a period, and
    whether it may weigh on appraisal, awards and promotion."""
    require(request, "vindication.run_personnel_query")
    today = timezone.localdate()
    form = PersonnelQueryForm(
        request.GET or None, initial={"date_from": today.replace(month=1, day=1), "date_to": today}
    )
    context = {"form": form, "officer": None, "candidates": [], "entries": None}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        officer = None
        candidates = officer_search(request.user, data["officer_query"])
        if not candidates:
            form.add_error("officer_query", errors.OFFICER_NOT_FOUND)
        elif len(candidates) == 1:
            officer = candidates[0]
        else:
            context["candidates"] = candidates
        if officer is not None:
            context["officer"] = officer
            context["entries"] = personnel_determinations(
                officer=officer, date_from=data["date_from"], date_to=data["date_to"]
            )
            context["queried_at"] = timezone.localtime()
    return render(request, "vindication/personnel_query.html", context)
