"""Forms of the clarification pages and the personnel query. They check the
shape of the input; the services check the rules and raise errors keyed by
these field names."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.forms import CrispyForm
from cases.models import PublicationScope
from vindication import errors
from vindication.models import AccusationChannel, AccusationKind


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _blank(choices) -> list:
    return [("", "---------"), *choices]


class ClarificationRecordForm(CrispyForm):
    officers = forms.ModelMultipleChoiceField(
        label=_("被反映的执法人员"),
        queryset=None,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("可多选（按住 Ctrl 键）；同一记录中的执法人员须属同一单位。"),
    )
    kind = forms.ChoiceField(label=_("反映性质"), choices=_blank(AccusationKind.choices))
    channel = forms.ChoiceField(label=_("反映渠道"), choices=_blank(AccusationChannel.choices))
    source = forms.CharField(
        label=_("来源说明"),
        max_length=200,
        required=False,
        help_text=_("如工单编号、转办文号；不写举报人身份信息。"),
    )
    received_on = forms.DateField(label=_("收到日期"), widget=_date_widget())
    content = forms.CharField(
        label=_("反映的内容"), max_length=8000, widget=forms.Textarea(attrs={"rows": 5})
    )
    case_number = forms.CharField(
        label=_("关联案件编号"),
        max_length=60,
        required=False,
        help_text=_("该反映已在某一案件中调查核实的，填写案件编号，如 泰市监〔2026〕3号。"),
    )

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officers"].queryset = officers
        self.fields["officers"].label_from_instance = lambda o: (
            f"{o.name}（{o.certificate_number}，{o.unit.name}）"
        )


class FindingForm(CrispyForm):
    RESULT_CHOICES = [("untrue", _("反映不实")), ("substantiated", _("反映属实"))]

    result = forms.ChoiceField(
        label=_("核实结论"), choices=RESULT_CHOICES, widget=forms.RadioSelect
    )
    found_by = forms.CharField(
        label=_("核实单位或人员"),
        max_length=200,
        help_text=_("如：本局执法稽查科调查组。"),
    )
    found_on = forms.DateField(label=_("核实日期"), widget=_date_widget())
    basis = forms.CharField(
        label=_("核实依据"), max_length=8000, widget=forms.Textarea(attrs={"rows": 4})
    )


class CloseForm(CrispyForm):
    reason = forms.CharField(
        label=_("不予澄清的理由"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class DecisionForm(CrispyForm):
    decided_by = forms.CharField(
        label=_("决定机关或会议"),
        max_length=200,
        help_text=_("如：局党组会议、局长办公会议。"),
    )
    decided_on = forms.DateField(label=_("决定日期"), widget=_date_widget())
    scope = forms.ChoiceField(
        label=_("公开范围"), choices=PublicationScope.choices, widget=forms.RadioSelect
    )
    scope_detail = forms.CharField(
        label=_("具体范围"),
        max_length=200,
        required=False,
        help_text=_("如：在被举报人所在单位。"),
    )


class IssueForm(CrispyForm):
    issued_on = forms.DateField(label=_("发布日期"), widget=_date_widget())

    def __init__(self, *args, **kwargs):
        kwargs["initial"] = kwargs.get("initial") or {"issued_on": timezone.localdate()}
        super().__init__(*args, **kwargs)


class PersonnelQueryForm(forms.Form):
    """A GET form: the officer (by name or certificate number, among the
    units the user may see) and the period."""

    officer_query = forms.CharField(
        label=_("执法人员姓名或执法证号"),
        max_length=60,
        help_text=_("按姓名查找；姓名相同的，按执法证号查找。"),
    )
    date_from = forms.DateField(label=_("起始日期"), widget=_date_widget())
    date_to = forms.DateField(label=_("截止日期"), widget=_date_widget())

    def clean(self):
        data = super().clean()
        date_from, date_to = data.get("date_from"), data.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", errors.DATE_RANGE_REVERSED)
        return data
