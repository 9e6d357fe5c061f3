from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Officer
from cases import errors
from cases.models import Evidence, SubjectOfficer
from exemptions.models import Consequence


class CrispyForm(forms.Form):
    """A form rendered by crispy inside the page's own <form> tag."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


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
            raise forms.ValidationError(errors.DUPLICATE_OFFICER)


class TransitionForm(forms.Form):
    reason = forms.CharField(label=_("理由"), required=False, max_length=2000)
    # Required by the view for the irreversible moves (cases.confirmations).
    confirm = forms.BooleanField(required=False)


class EvidenceUploadForm(CrispyForm):
    file = forms.FileField(label=_("证据文件"))
    description = forms.CharField(label=_("证据说明"), max_length=500)


FACT_VALUE_CHOICES = [("", _("未认定")), ("true", _("是")), ("false", _("否"))]


class FactRecordForm(CrispyForm):
    """One fact for the whole case or one officer. The value choices depend
    on the fact's type (yes/no, or the consequence levels)."""

    fact_key = forms.ChoiceField(label=_("事实要素"))
    subject_officer = forms.ChoiceField(label=_("适用于"), required=False)
    value = forms.ChoiceField(label=_("认定"), required=False)
    note = forms.CharField(
        label=_("说明"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    basis = forms.CharField(
        label=_("依据（认定“其他情形”时必填）"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    evidence = forms.ModelMultipleChoiceField(
        label=_("所依据的证据"), queryset=Evidence.objects.none(), required=False
    )
    reason = forms.CharField(
        label=_("修改理由（修改沿用自上一阶段的事实时必填）"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, facts, subject_officers, evidence, **kwargs):
        super().__init__(*args, **kwargs)
        self.facts = {fact.key: fact for fact in facts}
        self.fields["fact_key"].choices = [(f.key, f.display_label) for f in facts]
        self.fields["subject_officer"].choices = [("", _("全案（所有涉案人员）"))] + [
            (str(s.pk), s.officer.name) for s in subject_officers
        ]
        self.subject_officers = {str(s.pk): s for s in subject_officers}
        self.fields["value"].choices = FACT_VALUE_CHOICES + [
            (c.value, c.label) for c in Consequence
        ]
        self.fields["evidence"].queryset = evidence

    def clean(self):
        cleaned = super().clean()
        fact = self.facts.get(cleaned.get("fact_key"))
        raw = cleaned.get("value", "")
        if fact is None:
            return cleaned
        if raw == "":
            cleaned["parsed_value"] = None
        elif fact.type == "bool":
            if raw not in ("true", "false"):
                self.add_error("value", errors.FACT_YES_OR_NO)
            cleaned["parsed_value"] = raw == "true"
        else:
            if raw not in fact.values:
                self.add_error("value", errors.CONSEQUENCE_LEVEL_MISSING)
            cleaned["parsed_value"] = raw
        cleaned["subject_officer_obj"] = self.subject_officers.get(
            cleaned.get("subject_officer") or ""
        )
        return cleaned


class RegulationChangeForm(CrispyForm):
    regulation = forms.ModelChoiceField(label=_("适用的免责办法"), queryset=None)
    reason = forms.CharField(
        label=_("变更理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regulation"].queryset = versions
        self.fields["regulation"].label_from_instance = lambda v: (
            _("%(title)s（%(number)s，第%(version)s版）")
            % {"title": v.title, "number": v.document_number, "version": v.number}
        )


def fits_form(form: forms.Form, error) -> bool:
    """Whether a service's ValidationError names a field of the form, so that
    the page is shown again with the message next to it; other refusals go to
    the top of the page after a redirect."""
    return hasattr(error, "error_dict") and any(key in form.fields for key in error.error_dict)
