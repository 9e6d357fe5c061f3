from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.selectors import officers_of_units, user_creatable_units
from audit.selectors import case_timeline
from cases.assessment import clause_matrix
from cases.forms import (
    CaseCreateForm,
    RegulationChangeForm,
    SubjectOfficerFormSet,
    TransitionForm,
)
from cases.selectors import case_list_for_user, latest_documents
from cases.services.intake import (
    IncidentInput,
    SubjectOfficerInput,
    case_create,
    case_regulation_change,
)
from cases.services.transitions import TransitionRefused, case_transition
from cases.views.common import add_service_errors, get_case_for_user, require
from cases.workflow import Stage, available_transitions
from exemptions.models import RegulationVersion
from exemptions.selectors import facts_by_key

CASES_PER_PAGE = 25


def case_list(request):
    require(request, "cases.browse_cases")
    page = Paginator(case_list_for_user(request.user), CASES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "cases/case_list.html", {"page": page})


def case_create_view(request):
    require(request, "cases.add_case")
    units = user_creatable_units(request.user)
    officers = officers_of_units(units.values("id"))
    form = CaseCreateForm(request.POST or None, units=units)
    formset = SubjectOfficerFormSet(
        request.POST or None, prefix="officers", form_kwargs={"officers": officers}
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        try:
            case = case_create(
                actor=request.user,
                unit=data["unit"],
                incident=IncidentInput(
                    summary=data["incident_summary"],
                    date=data["incident_date"],
                    place=data["incident_place"],
                    field=data["field"],
                    activity_kind=data["activity_kind"],
                    lead_source=data["lead_source"],
                    allegation=data["allegation"],
                    disputed=data["disputed"],
                    organs_intervened=data["organs_intervened"],
                ),
                subject_officers=[
                    SubjectOfficerInput(
                        officer=f.cleaned_data["officer"], part=f.cleaned_data["part"]
                    )
                    for f in formset.forms
                    if f.cleaned_data.get("officer")
                ],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/case_create.html", {"form": form, "formset": formset})


def case_detail_view(request, pk: int):
    case = get_case_for_user(request, pk)
    matrices = clause_matrix(case)
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "documents": latest_documents(case),
            "transitions": available_transitions(case, request.user),
            "matrices": matrices,
            "stages": [Stage.INTAKE, Stage.INVESTIGATION, Stage.DELIBERATION],
            "facts": facts_by_key(),
            "timeline": case_timeline(case),
            "current_stage": _current_fact_stage(case),
            "can_change_regulation": request.user.has_perm("cases.change_regulation", case),
        },
    )


def _current_fact_stage(case) -> str:
    return {
        "draft": Stage.INTAKE,
        "registered": Stage.INTAKE,
        "investigating": Stage.INVESTIGATION,
        "expert_review": Stage.INVESTIGATION,
    }.get(case.state, Stage.DELIBERATION)


def case_documents_partial(request, pk: int):
    """The documents panel alone, polled by htmx until every document is ready."""
    case = get_case_for_user(request, pk)
    return render(
        request, "cases/_documents.html", {"case": case, "documents": latest_documents(case)}
    )


@require_POST
def case_transition_view(request, pk: int, name: str):
    case = get_case_for_user(request, pk)
    form = TransitionForm(request.POST)
    form.is_valid()
    try:
        moved = case_transition(
            actor=request.user,
            case_id=case.pk,
            name=name,
            reason=form.cleaned_data.get("reason", ""),
        )
    except TransitionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request, _("案件已进入“%(state)s”阶段。") % {"state": moved.get_state_display()}
        )
    return redirect("cases:detail", pk=case.pk)


def case_regulation_view(request, pk: int):
    """Administrators only: change the regulation applied, with a reason."""
    case = get_case_for_user(request, pk, "cases.change_regulation")
    form = RegulationChangeForm(
        request.POST or None,
        versions=RegulationVersion.objects.select_related("regulation").order_by(
            "regulation__slug", "-number"
        ),
        initial={"regulation": case.regulation},
    )
    if request.method == "POST" and form.is_valid():
        try:
            case_regulation_change(
                actor=request.user,
                case=case,
                regulation=form.cleaned_data["regulation"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已变更适用的免责办法。"))
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/case_regulation.html", {"case": case, "form": form})
