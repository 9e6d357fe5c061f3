from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cases import errors
from cases.assessment import FactGroup, clause_matrix, fact_groups, facts_by_officer
from cases.forms import FactRecordForm
from cases.services.facts import (
    STAGE_OPEN_IN,
    STAGE_PERMISSION,
    fact_record,
    facts_confirm_carried,
)
from cases.services.intake import case_claims_set
from cases.views.common import add_service_errors, error_messages, get_case_for_user
from cases.workflow import Stage
from exemptions.citations import clause_where_for_reader
from exemptions.selectors import catalog_for_version, facts_by_key


def _group_title(group: FactGroup) -> str:
    if group.ref == "*":
        return _("其他已记录的事实（本办法的条款不再引用）")
    if group.ref:
        return _("%(ref)s所需的事实") % {"ref": clause_where_for_reader(group.ref)}
    return _("过错与后果（决定追究与否）")


def case_facts(request, pk: int, stage: str):
    """The facts as held at one stage, per officer, with what is still to be
    established for the claimed clauses; and the form to record one."""
    if stage not in STAGE_PERMISSION:
        raise Http404
    case = get_case_for_user(request, pk)
    labels = facts_by_key(regulation=case.regulation.regulation.slug)
    # Only the facts the case's regulation reads, grouped by clause; a fact
    # recorded at this stage outside them (an older catalogue's) still shows.
    groups = fact_groups(case, labels)
    grouped = {fact.key for group in groups for fact in group.facts}
    stray = sorted(
        {r.fact_key for r in case.fact_records.all() if r.stage == stage} - grouped,
    )
    if stray:
        groups.append(FactGroup("*", "", [labels[k] for k in stray if k in labels]))
    facts = [fact for group in groups for fact in group.facts]
    can_record = (
        request.user.has_perm(STAGE_PERMISSION[stage], case) and case.state in STAGE_OPEN_IN[stage]
    )
    if request.method == "POST" and request.POST.get("action") == "confirm_carried":
        if not can_record:
            messages.error(request, errors.MAY_NOT_CONFIRM_FACTS_HERE)
        else:
            try:
                count = facts_confirm_carried(actor=request.user, case=case, stage=stage)
            except ValidationError as error:
                for message in error_messages(error):
                    messages.error(request, message)
            else:
                messages.success(request, _("已确认沿用的事实%(count)s项。") % {"count": count})
        return redirect("cases:facts", pk=case.pk, stage=stage)
    form = FactRecordForm(
        request.POST or None,
        facts=facts,
        subject_officers=list(case.subject_officers.all()),
        evidence=case.evidence.all(),
    )
    # The list of facts in the clauses' groups, as the table shows them.
    form.fields["fact_key"].choices = [
        (_group_title(group), [(fact.key, fact.display_label) for fact in group.facts])
        for group in groups
    ]
    if request.method == "POST":
        if not can_record:
            messages.error(request, errors.MAY_NOT_RECORD_FACTS_HERE)
            return redirect("cases:facts", pk=case.pk, stage=stage)
        if form.is_valid():
            data = form.cleaned_data
            try:
                fact_record(
                    actor=request.user,
                    case=case,
                    stage=stage,
                    fact_key=data["fact_key"],
                    value=data["parsed_value"],
                    subject_officer=data["subject_officer_obj"],
                    note=data["note"],
                    basis=data["basis"],
                    evidence=list(data["evidence"]),
                    reason=data["reason"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("已记录：%(fact)s") % {"fact": labels[data["fact_key"]].label},
                )
                return redirect("cases:facts", pk=case.pk, stage=stage)
    matrices = clause_matrix(case, stages=(stage,))
    values = facts_by_officer(case, stage)
    case_wide = {
        r.fact_key: r
        for r in case.fact_records.all()
        if r.stage == stage and r.subject_officer_id is None
    }
    own = {
        (r.subject_officer_id, r.fact_key): r
        for r in case.fact_records.all()
        if r.stage == stage and r.subject_officer_id is not None
    }
    sections = [
        {
            "group": group,
            "rows": [
                {
                    "fact": fact,
                    "also": group.also_read_by.get(fact.key, []),
                    "case_wide": case_wide.get(fact.key),
                    "officers": [
                        {"value": values[so.pk].get(fact.key), "own": own.get((so.pk, fact.key))}
                        for so in case.subject_officers.all()
                    ],
                }
                for fact in group.facts
            ],
        }
        for group in groups
    ]
    stage_records = [r for r in case.fact_records.all() if r.stage == stage]
    return render(
        request,
        "cases/case_facts.html",
        {
            "case": case,
            "stage": Stage(stage),
            "form": form,
            "can_record": can_record,
            "sections": sections,
            "carried": [r for r in stage_records if r.carried_from],
            "awaiting_confirmation": [r for r in stage_records if r.awaits_confirmation],
            "matrices": matrices,
            "facts": labels,
            # Findings the vocabulary change left to be reviewed (migration 0007).
            "to_review": [
                r for r in case.fact_records.all() if r.stage == stage and r.needs_review
            ],
        },
    )


def case_claims(request, pk: int):
    """The clauses claimed by or for each officer at intake."""
    case = get_case_for_user(request, pk)
    catalog = catalog_for_version(case.regulation)
    can_edit = request.user.has_perm("cases.edit_intake", case)
    if request.method == "POST":
        if not can_edit:
            messages.error(request, errors.MAY_NOT_EDIT_INTAKE)
            return redirect("cases:detail", pk=case.pk)
        for subject_officer in case.subject_officers.all():
            refs = request.POST.getlist(f"claims-{subject_officer.pk}")
            try:
                case_claims_set(
                    actor=request.user, case=case, subject_officer=subject_officer, clause_refs=refs
                )
            except ValidationError as error:
                for message in error_messages(error):
                    messages.error(request, message)
                return redirect("cases:claims", pk=case.pk)
        messages.success(request, _("已保存主张适用的条款。"))
        return redirect("cases:detail", pk=case.pk)
    claimed = {
        so.pk: {c.clause_ref for c in so.clause_claims.all()} for so in case.subject_officers.all()
    }
    return render(
        request,
        "cases/case_claims.html",
        {"case": case, "clauses": catalog.clauses, "claimed": claimed, "can_edit": can_edit},
    )
