"""The investigation report: read by everyone on the case, edited by the
investigators while the case is being investigated, signed off by the lead
investigator."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases.assessment import clause_matrix
from cases.views.common import add_service_errors, error_messages, get_case_for_user
from cases.workflow import CaseState, Stage
from exemptions.selectors import facts_by_key
from investigation import errors
from investigation.forms import ReportForm, ReportRow, SignOffForm
from investigation.selectors import clauses_in_question, report_for_case
from investigation.services import StaleEdit, report_save, report_sign_off

STAGES = (Stage.INVESTIGATION,)


def _rows(matrices, report) -> list[ReportRow]:
    """One row per officer × clause in question, filled from the report when
    it concludes on the clause, else from the engine's result."""
    conclusions = list(report.clause_conclusions.all()) if report else []
    existing = {(c.subject_officer_id, c.clause_ref): c for c in conclusions}
    rows = []
    for matrix in matrices:
        subject_officer = matrix.subject_officer
        by_ref = {row.ref: row for row in matrix.rows}
        for ref in clauses_in_question(matrix, conclusions):
            line = by_ref[ref]
            engine_result = line.cells[Stage.INVESTIGATION].result
            current = existing.get((subject_officer.pk, ref))
            rows.append(
                ReportRow(
                    subject_officer=subject_officer,
                    ref=ref,
                    kind=line.kind,
                    claimed=line.claimed,
                    engine_result=engine_result,
                    conclusion=current.conclusion if current else engine_result,
                    reasoning=current.reasoning if current else "",
                )
            )
    return rows


def _can_edit(request, case, report) -> bool:
    return (
        request.user.has_perm("investigation.edit_report", case)
        and case.state == CaseState.INVESTIGATING
        and not (report and report.is_signed_off)
    )


def _page(request, case, report, matrices, form=None):
    can_edit = _can_edit(request, case, report)
    if can_edit and form is None:
        initial = {"base_version": report.version if report else 0}
        if report:
            initial |= {
                "findings_summary": report.findings_summary,
                "conclusion": report.conclusion,
            }
        form = ReportForm(initial=initial, rows=_rows(matrices, report))
    results = {
        (m.subject_officer.pk, row.ref): row.cells[Stage.INVESTIGATION].result
        for m in matrices
        for row in m.rows
    }
    officers = {so.pk: so for so in case.subject_officers.all()}
    conclusions = [
        {
            "item": c,
            "subject_officer": officers.get(c.subject_officer_id),
            "engine_result": results.get((c.subject_officer_id, c.clause_ref)),
        }
        for c in (report.clause_conclusions.all() if report else [])
    ]
    can_sign_off = (
        report is not None
        and not report.is_signed_off
        and request.user.has_perm("investigation.sign_off_report", case)
    )
    return render(
        request,
        "investigation/report.html",
        {
            "case": case,
            "report": report,
            "conclusions": conclusions,
            "form": form if can_edit else None,
            "can_sign_off": can_sign_off,
            "matrices": matrices,
            "stages": list(STAGES),
            "facts": facts_by_key(regulation=case.regulation.regulation.slug),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def report(request, pk: int):
    """GET: the report, and the edit form for an investigator while the case
    is being investigated. POST: save it from the version the editor read."""
    if request.method != "POST":
        case = get_case_for_user(request, pk)
        return _page(request, case, report_for_case(case), clause_matrix(case, stages=STAGES))
    case = get_case_for_user(request, pk, "investigation.edit_report")
    current = report_for_case(case)
    matrices = clause_matrix(case, stages=STAGES)
    form = ReportForm(request.POST, rows=_rows(matrices, current))
    if form.is_valid():
        data = form.cleaned_data
        try:
            saved = report_save(
                actor=request.user,
                case=case,
                findings_summary=data["findings_summary"],
                conclusion=data["conclusion"],
                conclusions=form.conclusion_inputs(),
                base_version=data["base_version"],
            )
        except StaleEdit as stale:
            # Nothing is saved; the editor's text stays in the form.
            form.add_error(None, stale.message)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("已保存调查报告第%(version)s版。") % {"version": saved.version}
            )
            return redirect("investigation:report", pk=case.pk)
    return _page(request, case, current, matrices, form)


@require_POST
def report_sign_off_view(request, pk: int):
    case = get_case_for_user(request, pk, "investigation.sign_off_report")
    form = SignOffForm(request.POST)
    if not form.is_valid():
        if "confirm" in form.errors and "version" not in form.errors:
            messages.error(request, form.errors["confirm"][0])
        else:
            messages.error(request, errors.SIGN_OFF_FROM_REPORT_PAGE)
        return redirect("investigation:report", pk=case.pk)
    try:
        signed = report_sign_off(
            actor=request.user, case=case, version=form.cleaned_data["version"]
        )
    except StaleEdit as stale:
        messages.error(request, stale.message)
    except ValidationError as error:
        for message in error_messages(error):
            messages.error(request, message)
    else:
        messages.success(
            request, _("已签发调查报告第%(version)s版。") % {"version": signed.version}
        )
    return redirect("investigation:report", pk=case.pk)
