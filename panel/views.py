"""The expert review: the panel is set up on a case in expert review; each
member gives an opinion per disputed clause; the panel concludes in writing,
keeping the dissent."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases.assessment import clause_matrix
from cases.forms import fits_form
from cases.views.common import add_service_errors, error_messages, get_case_for_user
from cases.workflow import Stage
from exemptions.citations import clause_where_for_reader
from exemptions.selectors import facts_by_key
from investigation.selectors import clauses_in_question, report_for_case
from panel.forms import ConcludeForm, OpinionForm, PanelSetUpForm
from panel.models import DisputedClause
from panel.selectors import experts_of_unit, panel_for_case
from panel.services import (
    opinion_record,
    panel_conclude,
    panel_set_up,
    panel_set_up_refusal,
)


def _setup_form(case, report, data=None) -> PanelSetUpForm:
    conclusions = list(report.clause_conclusions.all()) if report else []
    options = [
        (matrix.subject_officer, ref)
        for matrix in clause_matrix(case, stages=(Stage.INVESTIGATION,))
        for ref in clauses_in_question(matrix, conclusions)
    ]
    return PanelSetUpForm(data, experts=experts_of_unit(case), options=options, prefix="panel")


def _page(request, case, *, setup_form=None, opinion_forms=None, conclude_form=None):
    panel = panel_for_case(case)
    report = report_for_case(case)
    if panel is None:
        can_set_up = panel_set_up_refusal(request.user, case) is None
        if can_set_up and setup_form is None:
            setup_form = _setup_form(case, report)
        return render(
            request,
            "panel/expert.html",
            {"case": case, "panel": None, "setup_form": setup_form if can_set_up else None},
        )
    opinion_forms = opinion_forms or {}
    members = list(panel.members.all())
    is_member = request.user.has_perm("panel.give_expert_opinion", case)
    open_for_me = is_member and panel.concluded_at is None
    officers = {so.pk: so for so in case.subject_officers.all()}
    found = {
        (c.subject_officer_id, c.clause_ref): c
        for c in (report.clause_conclusions.all() if report else [])
    }
    disputed = []
    for item in panel.disputed.all():
        opinions = {o.member_id: o for o in item.opinions.all()}
        form = None
        if open_for_me:
            form = opinion_forms.get(item.pk)
            if form is None:
                own = opinions.get(request.user.pk)
                initial = {"position": own.position, "reasoning": own.reasoning} if own else {}
                form = OpinionForm(initial=initial, prefix=f"opinion-{item.pk}")
        disputed.append(
            {
                "item": item,
                "subject_officer": officers.get(item.subject_officer_id),
                "report_conclusion": found.get((item.subject_officer_id, item.clause_ref)),
                "opinions": [(member, opinions.get(member.pk)) for member in members],
                "form": form,
            }
        )
    if open_for_me and conclude_form is None:
        conclude_form = ConcludeForm(prefix="conclude")
    return render(
        request,
        "panel/expert.html",
        {
            "case": case,
            "panel": panel,
            "members": members,
            "disputed": disputed,
            "conclude_form": conclude_form if open_for_me else None,
            # The facts the panel reviews are the investigation's.
            "matrices": clause_matrix(case, stages=(Stage.INVESTIGATION,)),
            "stages": [Stage.INVESTIGATION],
            "facts": facts_by_key(regulation=case.regulation.regulation.slug),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def expert(request, pk: int):
    """GET: the panel, its opinions and the forms of the current expert; the
    set-up form while there is no panel. POST: set the panel up."""
    if request.method != "POST":
        return _page(request, get_case_for_user(request, pk))
    case = get_case_for_user(request, pk, "panel.set_up_panel")
    form = _setup_form(case, report_for_case(case), request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            panel_set_up(
                actor=request.user,
                case=case,
                members=list(data["members"]),
                question=data["question"],
                disputed=data["disputed"],
            )
        except ValidationError as error:
            if not fits_form(form, error):
                return _refused(request, case, error)
            add_service_errors(form, error)
        else:
            messages.success(request, _("已组织专家组。"))
            return redirect("panel:expert", pk=case.pk)
    return _page(request, case, setup_form=form)


def _refused(request, case, error: ValidationError):
    for message in error_messages(error):
        messages.error(request, message)
    return redirect("panel:expert", pk=case.pk)


@require_POST
def expert_opinion(request, pk: int, disputed_id: int):
    case = get_case_for_user(request, pk, "panel.give_expert_opinion")
    disputed = get_object_or_404(
        DisputedClause.objects.select_related("panel__case", "subject_officer__officer"),
        pk=disputed_id,
        panel__case=case,
    )
    form = OpinionForm(request.POST, prefix=f"opinion-{disputed.pk}")
    if form.is_valid():
        try:
            opinion_record(
                actor=request.user,
                disputed_clause=disputed,
                position=form.cleaned_data["position"],
                reasoning=form.cleaned_data["reasoning"],
            )
        except ValidationError as error:
            if not fits_form(form, error):
                return _refused(request, case, error)
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("已记录您对%(officer)s%(clause)s的意见。")
                % {
                    "officer": disputed.subject_officer.officer.name,
                    "clause": clause_where_for_reader(disputed.clause_ref),
                },
            )
            return redirect("panel:expert", pk=case.pk)
    return _page(request, case, opinion_forms={disputed.pk: form})


@require_POST
def expert_conclude(request, pk: int):
    case = get_case_for_user(request, pk, "panel.conclude_panel")
    form = ConcludeForm(request.POST, prefix="conclude")
    if form.is_valid():
        try:
            panel_conclude(
                actor=request.user,
                case=case,
                conclusion=form.cleaned_data["conclusion"],
                dissent=form.cleaned_data["dissent"],
            )
        except ValidationError as error:
            if not fits_form(form, error):
                return _refused(request, case, error)
            add_service_errors(form, error)
        else:
            messages.success(request, _("已出具专家组书面论证意见。"))
            return redirect("panel:expert", pk=case.pk)
    return _page(request, case, conclude_form=form)
