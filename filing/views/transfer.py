"""The case's dealings with the discipline-inspection and supervision organs:
transfer of an officer's matter with its letter (Lianyungang art. 13), the
sanction the organs report back, and the written opinion on the officers'
performance of duties when the organs intervene (Tai'an art. 9, Lianyungang
art. 14)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from accounts.models import DisciplineBody
from cases.views.common import add_service_errors, get_case_for_user
from deliberation.models import Determination, Outcome
from deliberation.selectors import leadership_of_unit
from documents.builders.transfer import article_text
from filing.models import DisciplineTransfer, DutyOpinion, DutyOpinionItem
from filing.services.transfer import (
    DutyOpinionInput,
    duty_opinion_record,
    may_handle_transfer,
    organ_sanction_record,
    transfer_case_file,
    transfer_record,
)

# --- forms ----------------------------------------------------------------------------


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class OrganForm(forms.Form):
    """A known discipline-inspection body, or another organ by name."""

    discipline_body = forms.ModelChoiceField(
        label=gettext_lazy("纪检监察机关"),
        queryset=DisciplineBody.objects.all(),
        required=False,
    )
    organ_name = forms.CharField(
        label=gettext_lazy("或填写其他机关名称"), max_length=200, required=False
    )


class TransferForm(OrganForm):
    transferred_on = forms.DateField(label=gettext_lazy("移送日期"), widget=_date_input())
    note = forms.CharField(
        label=gettext_lazy("移送说明"), max_length=4000, required=False, widget=_textarea()
    )


class OrganSanctionForm(OrganForm):
    decided_on = forms.DateField(label=gettext_lazy("处分日期"), widget=_date_input())
    sanction = forms.CharField(label=gettext_lazy("处分或处理内容"), max_length=300)
    reference = forms.CharField(label=gettext_lazy("处分决定文号"), max_length=100, required=False)

    def __init__(self, *args, transfer: DisciplineTransfer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["discipline_body"].help_text = _("不选也不填时，为接收移送的%(organ)s。") % {
            "organ": transfer.organ_name
        }


class DutyOpinionForm(OrganForm):
    issued_on = forms.DateField(label=gettext_lazy("出具日期"), widget=_date_input())
    signed_by = forms.ModelChoiceField(label=gettext_lazy("签发人"), queryset=None)
    basis = forms.CharField(
        label=gettext_lazy("论证情况"), max_length=8000, required=False, widget=_textarea(4)
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["discipline_body"].label = _("介入调查的纪检监察机关")
        self.fields["signed_by"].queryset = leadership_of_unit(case)
        self.fields["signed_by"].label_from_instance = lambda user: user.get_full_name()
        self.subject_officers = list(case.subject_officers.all())
        for so in self.subject_officers:
            name = so.officer.name
            self.fields[f"duty-{so.pk}"] = forms.ChoiceField(
                label=_("%(name)s：依法履职情况") % {"name": name},
                choices=[("", "---------"), *DutyOpinionItem.Performance.choices],
            )
            self.fields[f"fault-{so.pk}"] = forms.ChoiceField(
                label=_("%(name)s：是否存在执法过错") % {"name": name},
                choices=[("", "---------"), *DutyOpinionItem.Fault.choices],
            )
            self.fields[f"reasoning-{so.pk}"] = forms.CharField(
                label=_("%(name)s：理由") % {"name": name}, max_length=8000, widget=_textarea()
            )

    def officer_rows(self) -> list[dict]:
        return [
            {
                "subject_officer": so,
                "fields": [self[f"duty-{so.pk}"], self[f"fault-{so.pk}"]],
                "reasoning": self[f"reasoning-{so.pk}"],
            }
            for so in self.subject_officers
        ]

    def items(self) -> list[DutyOpinionInput]:
        data = self.cleaned_data
        return [
            DutyOpinionInput(
                subject_officer=so,
                duty_performed=data[f"duty-{so.pk}"],
                fault=data[f"fault-{so.pk}"],
                reasoning=data[f"reasoning-{so.pk}"],
            )
            for so in self.subject_officers
        ]


# --- the page -----------------------------------------------------------------------------


def _latest_adopted(case) -> dict[int, Determination]:
    rows = Determination.objects.filter(case=case, status=Determination.Status.ADOPTED).order_by(
        "subject_officer_id", "-decided_at", "-pk"
    )
    latest: dict[int, Determination] = {}
    for row in rows:
        latest.setdefault(row.subject_officer_id, row)
    return latest


def _page(request, case, forms_: dict | None = None):
    """The page; `forms_` holds bound forms to show again with their errors,
    keyed ("transfer", determination id), ("sanction", transfer id) or
    ("opinion",)."""
    forms_ = forms_ or {}
    can_handle = may_handle_transfer(request.user, case)
    latest = _latest_adopted(case)
    transfers = {
        t.determination_id: t
        for t in DisciplineTransfer.objects.filter(case=case).select_related(
            "letter", "recorded_by"
        )
    }
    sanctions = {
        s.subject_officer_id: s for s in case.organ_sanctions.select_related("recorded_by")
    }
    today = timezone.localdate()
    rows = []
    for so in case.subject_officers.all():
        determination = latest.get(so.pk)
        transfer = transfers.get(determination.pk) if determination else None
        sanction = sanctions.get(so.pk)
        transferable = determination is not None and determination.outcome == Outcome.TRANSFERRED
        transfer_form = sanction_form = None
        if can_handle and transferable and transfer is None:
            transfer_form = forms_.get(("transfer", determination.pk)) or TransferForm(
                prefix=f"transfer-{determination.pk}",
                initial={
                    "transferred_on": today,
                    "discipline_body": case.unit.discipline_body_id,
                },
            )
        if can_handle and transfer is not None and sanction is None:
            sanction_form = forms_.get(("sanction", transfer.pk)) or OrganSanctionForm(
                prefix=f"sanction-{transfer.pk}", transfer=transfer
            )
        rows.append(
            {
                "subject_officer": so,
                "determination": determination,
                "transferable": transferable,
                "transfer": transfer,
                "sanction": sanction,
                "transfer_form": transfer_form,
                "sanction_form": sanction_form,
            }
        )
    opinions = list(
        DutyOpinion.objects.filter(case=case)
        .select_related("signed_by", "document", "recorded_by")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=DutyOpinionItem.objects.select_related("subject_officer__officer"),
            )
        )
    )
    opinion_form = None
    if can_handle and case.organs_intervened:
        opinion_form = forms_.get(("opinion",)) or DutyOpinionForm(
            prefix="opinion", case=case, initial={"issued_on": today}
        )
    transfer_article = article_text(case.regulation, "transfer_to_discipline_organs")
    opinion_article = article_text(case.regulation, "intervention_opinion")
    return render(
        request,
        "filing/transfer.html",
        {
            "case": case,
            "rows": rows,
            "any_transferable": any(row["transferable"] for row in rows),
            "transfer_procedure": case.procedure.get("transfer_to_discipline_organs", False),
            "transfer_article": transfer_article,
            "opinions": opinions,
            "opinion_form": opinion_form,
            "opinion_rule": case.procedure.get("intervention_opinion", ""),
            "opinion_article": opinion_article,
            "can_handle": can_handle,
        },
    )


def _case_for_handling(request, pk: int):
    case = get_case_for_user(request, pk)
    if not may_handle_transfer(request.user, case):
        raise PermissionDenied
    return case


def transfer_page(request, pk: int):
    return _page(request, get_case_for_user(request, pk))


@require_POST
def transfer_record_view(request, pk: int, determination_id: int):
    case = _case_for_handling(request, pk)
    determination = get_object_or_404(Determination, pk=determination_id, case=case)
    form = TransferForm(request.POST, prefix=f"transfer-{determination.pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            transfer = transfer_record(
                actor=request.user,
                determination=determination,
                transferred_on=data["transferred_on"],
                discipline_body=data["discipline_body"],
                organ_name=data["organ_name"],
                note=data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("已将%(officer)s的问题线索移送%(organ)s，移送函正在生成。")
                % {
                    "officer": determination.subject_officer.officer.name,
                    "organ": transfer.organ_name,
                },
            )
            return redirect("filing:transfer", pk=case.pk)
    return _page(request, case, {("transfer", determination.pk): form})


@require_safe
def transfer_case_file_download(request, pk: int, transfer_id: int):
    """The transfer letter with the case file, as one ZIP (audited)."""
    case = _case_for_handling(request, pk)
    transfer = get_object_or_404(
        DisciplineTransfer.objects.select_related("subject_officer__officer", "case"),
        pk=transfer_id,
        case=case,
    )
    try:
        bundle = transfer_case_file(actor=request.user, transfer=transfer)
    except ValueError as error:  # the case lost what a document needs
        messages.error(request, str(error))
        return redirect("filing:transfer", pk=case.pk)
    response = HttpResponse(bundle.content, content_type="application/zip")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=bundle.filename
    )
    return response


@require_POST
def organ_sanction_view(request, pk: int, transfer_id: int):
    case = _case_for_handling(request, pk)
    transfer = get_object_or_404(DisciplineTransfer, pk=transfer_id, case=case)
    form = OrganSanctionForm(request.POST, prefix=f"sanction-{transfer.pk}", transfer=transfer)
    if form.is_valid():
        data = form.cleaned_data
        try:
            organ_sanction_record(
                actor=request.user,
                transfer=transfer,
                decided_on=data["decided_on"],
                sanction=data["sanction"],
                reference=data["reference"],
                discipline_body=data["discipline_body"],
                organ_name=data["organ_name"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已记录纪检监察机关的处分情况。"))
            return redirect("filing:transfer", pk=case.pk)
    return _page(request, case, {("sanction", transfer.pk): form})


@require_POST
def duty_opinion_view(request, pk: int):
    case = _case_for_handling(request, pk)
    form = DutyOpinionForm(request.POST, prefix="opinion", case=case)
    if form.is_valid():
        data = form.cleaned_data
        try:
            duty_opinion_record(
                actor=request.user,
                case=case,
                issued_on=data["issued_on"],
                signed_by=data["signed_by"],
                items=form.items(),
                discipline_body=data["discipline_body"],
                organ_name=data["organ_name"],
                basis=data["basis"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已出具依法履职情况书面意见，文书正在生成。"))
            return redirect("filing:transfer", pk=case.pk)
    return _page(request, case, {("opinion",): form})
