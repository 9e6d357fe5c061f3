"""Publishing a no-liability decision within a scope, and withdrawing a
notice, from the case page (templates/filing/_publication_panel.html)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cases.confirmations import ConfirmationMixin
from cases.views.common import error_messages, get_case_for_user
from cases.workflow import CaseState
from filing.models import Publication, PublicationScope
from filing.services.publication import (
    PUBLISH_PERMISSION,
    publication_record,
    publication_withdraw,
)


class PublicationForm(ConfirmationMixin):
    confirmation = "publish"
    scope = forms.ChoiceField(label=gettext_lazy("公开范围"), choices=PublicationScope.choices)


class WithdrawalForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("撤回理由"), max_length=2000)


def _back(case) -> str:
    return reverse("cases:detail", args=[case.pk]) + "#publications"


def _errors(request, form_or_error) -> None:
    if isinstance(form_or_error, ValidationError):
        texts = error_messages(form_or_error)
    else:
        texts = [m for messages_ in form_or_error.errors.values() for m in messages_]
    for text in texts:
        messages.error(request, text)


@require_POST
def publication_create_view(request, pk: int):
    case = get_case_for_user(request, pk, PUBLISH_PERMISSION)
    form = PublicationForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
        return redirect(_back(case))
    try:
        publication = publication_record(
            actor=request.user, case=case, scope=form.cleaned_data["scope"]
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        text = _("不予追究责任的决定已%(phrase)s。") % {"phrase": publication.scope_phrase}
        if case.state != CaseState.PUBLISHED:
            text += _("案件已进入“%(state)s”阶段。") % {"state": CaseState.PUBLISHED.label}
        messages.success(request, text)
    return redirect(_back(case))


@require_POST
def publication_withdraw_view(request, pk: int, publication_id: int):
    case = get_case_for_user(request, pk, PUBLISH_PERMISSION)
    publication = get_object_or_404(Publication, pk=publication_id, case=case)
    form = WithdrawalForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
        return redirect(_back(case))
    try:
        publication_withdraw(
            actor=request.user, publication=publication, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(
            request, _("已撤回公开（%(scope)s）。") % {"scope": publication.get_scope_display()}
        )
    return redirect(_back(case))
