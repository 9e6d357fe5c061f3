import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from audit.selectors import case_timeline
from cases.confirmations import CONSEQUENCES, confirmation_missing
from cases.filters import DUE_SOON_DAYS, CaseFilter, sort_columns
from cases.forms import RegulationChangeForm, TransitionForm
from cases.selectors import case_actions, case_list_for_user, latest_documents
from cases.selectors_matrix import matrix_blocks
from cases.services.evidence import CLOSED_STATES as EVIDENCE_CLOSED_STATES
from cases.services.evidence import evidence_upload_allowed
from cases.services.intake import case_regulation_change
from cases.services.transitions import TransitionRefused, case_transition
from cases.views.assignment import team_form_for
from cases.views.common import add_service_errors, get_case_for_user, require
from cases.workflow import Stage
from exemptions.models import RegulationVersion
from exemptions.selectors import facts_by_key

CASES_PER_PAGE = 25


# The list's columns in order; those with a key in cases.filters.SORTS sort.
LIST_COLUMNS = (
    ("number", gettext_lazy("案件编号")),
    ("unit", gettext_lazy("承办单位")),
    ("officers", gettext_lazy("涉及执法人员")),
    ("stage", gettext_lazy("阶段")),
    ("deadline", gettext_lazy("本阶段期限")),
    ("changed", gettext_lazy("阶段变动时间")),
    ("outcome", gettext_lazy("认定结果")),
)


def case_list(request):
    """The cases the user may see, filtered, searched, sorted and paginated;
    an invalid filter is named next to its field and the others still apply."""
    require(request, "cases.browse_cases")
    filters = CaseFilter(request.GET, queryset=case_list_for_user(request.user), request=request)
    page = Paginator(filters.qs, CASES_PER_PAGE).get_page(request.GET.get("page"))
    for case in page.object_list:
        case.outcome_labels = sorted({d.get_outcome_display() for d in case.adopted_determinations})
    now = timezone.now()
    return render(
        request,
        "cases/case_list.html",
        {
            "page": page,
            "filters": filters,
            "invalid_filters": [str(field.label) for field in filters.form if field.errors],
            "columns": sort_columns(filters.sort_value, LIST_COLUMNS),
            "now": now,
            "due_soon": now + datetime.timedelta(days=DUE_SOON_DAYS),
        },
    )


def case_detail_view(request, pk: int):
    case = get_case_for_user(request, pk)
    blocks = matrix_blocks(case, compact=True)
    now = timezone.now()
    actions = case_actions(case, request.user)
    my_step = actions.step
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "waiting_on": actions.waiting_on,
            "my_step": my_step,
            "my_step_url": my_step.url_for(case) if my_step else "",
            "now": now,
            "due_soon": now + datetime.timedelta(days=DUE_SOON_DAYS),
            "documents": latest_documents(case),
            "transitions": actions.moves,
            "blocks": blocks,
            "stages": [Stage.INTAKE, Stage.INVESTIGATION, Stage.DELIBERATION],
            "facts": facts_by_key(regulation=case.regulation.regulation.slug),
            "timeline": case_timeline(case),
            "can_change_regulation": request.user.has_perm("cases.change_regulation", case),
            "team": case.investigation_team.all(),
            "team_form": team_form_for(case, request.user),
            "can_upload_evidence": evidence_upload_allowed(actor=request.user, case=case),
            "evidence_closed": case.state in EVIDENCE_CLOSED_STATES,
        },
    )


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
    if name in CONSEQUENCES and not form.cleaned_data.get("confirm"):
        messages.error(request, confirmation_missing(name))
        return redirect("cases:detail", pk=case.pk)
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
