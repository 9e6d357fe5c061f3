from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Officer, Unit
from cases.models import SubjectOfficer


class CaseCreateForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("承办单位"), queryset=Unit.objects.none())
    incident_summary = forms.CharField(
        label=_("事件概要"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("简要写明时间、地点、涉及的执法行为和被反映的问题。"),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        if units.count() == 1:
            self.fields["unit"].initial = units.first()
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_incident_summary(self) -> str:
        summary = self.cleaned_data["incident_summary"].strip()
        if len(summary) < 10:
            raise forms.ValidationError(_("事件概要过短，请至少写 10 个字。"))
        return summary


class SubjectOfficerForm(forms.Form):
    officer = forms.ModelChoiceField(label=_("执法人员"), queryset=Officer.objects.none())
    # A blank first choice, so that untouched extra rows count as unchanged.
    part = forms.ChoiceField(
        label=_("在执法行为中的角色"), choices=[("", "---------"), *SubjectOfficer.Part.choices]
    )

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers
        self.fields["officer"].label_from_instance = lambda o: f"{o.name}（{o.unit.name}）"


class BaseSubjectOfficerFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        chosen = [f.cleaned_data["officer"] for f in self.forms if f.cleaned_data.get("officer")]
        if len(chosen) != len(set(chosen)):
            raise forms.ValidationError(_("同一执法人员不能重复列入。"))


SubjectOfficerFormSet = forms.formset_factory(
    SubjectOfficerForm,
    formset=BaseSubjectOfficerFormSet,
    extra=2,
    min_num=1,
    validate_min=True,
    max_num=10,
    validate_max=True,
)
