"""Assigning the investigation team from the case page (shown only to
whoever may assign: cases.services.assignment)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cases import errors
from cases.models import Case
from cases.services.assignment import investigator_pool, team_assign, team_assign_refusal
from cases.views.common import error_messages, get_case_for_user


class TeamForm(forms.Form):
    lead = forms.ModelChoiceField(label=gettext_lazy("调查组长"), queryset=None)
    members = forms.ModelMultipleChoiceField(
        label=gettext_lazy("调查组成员"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        pool = investigator_pool(case)
        self.fields["lead"].queryset = pool
        self.fields["lead"].widget.attrs["class"] = "form-select form-select-sm"
        self.fields["members"].queryset = pool


def team_form_for(case: Case, user) -> TeamForm | None:
    """The assignment form for the case page, or None when the user may not
    assign now."""
    if team_assign_refusal(user, case) is not None:
        return None
    return TeamForm(
        case=case,
        initial={
            "lead": case.lead_investigator_id,
            "members": list(case.investigation_team.values_list("pk", flat=True)),
        },
        prefix="team",
    )


@require_POST
def case_team_assign(request, pk: int):
    case = get_case_for_user(request, pk)
    form = TeamForm(request.POST, case=case, prefix="team")
    if not form.is_valid():
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, message)
        return redirect("cases:detail", pk=case.pk)
    try:
        team_assign(
            actor=request.user,
            case=case,
            lead=form.cleaned_data["lead"],
            members=list(form.cleaned_data["members"]),
        )
    except PermissionDenied as refusal:
        messages.error(request, str(refusal) or errors.MAY_NOT_ASSIGN_TEAM)
    except ValidationError as error:
        for message in error_messages(error):
            messages.error(request, message)
    else:
        messages.success(request, _("已指派调查组，并已通知调查组成员。"))
    return redirect("cases:detail", pk=case.pk)
