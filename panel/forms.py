"""Forms of the expert review page. They check the shape of the input; the
services check the rules and raise errors keyed by these field names."""

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.layout import Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from cases.confirmations import ConfirmationMixin
from cases.forms import CrispyForm
from cases.models import SubjectOfficer
from exemptions.citations import clause_where_for_reader
from panel.models import ExpertOpinion


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


# --- the expert review --------------------------------------------------------------


class PanelSetUpForm(CrispyForm):
    members = forms.ModelMultipleChoiceField(
        label=_("专家组成员"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("三名以上单数专家。"),
    )
    question = forms.CharField(label=_("提请论证的问题"), max_length=4000, widget=_textarea())
    disputed = forms.MultipleChoiceField(
        label=_("有争议的条款"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, experts, options: list[tuple[SubjectOfficer, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = experts
        self.fields["members"].label_from_instance = lambda user: user.get_full_name()
        self.options = {f"{so.pk}/{ref}": (so, ref) for so, ref in options}
        self.fields["disputed"].choices = [
            (value, f"{so.officer.name} · {clause_where_for_reader(ref)}")
            for value, (so, ref) in self.options.items()
        ]

    def clean_disputed(self) -> list[tuple[SubjectOfficer, str]]:
        return [self.options[value] for value in self.cleaned_data["disputed"]]


class OpinionForm(CrispyForm):
    position = forms.ChoiceField(
        label=_("意见"), choices=ExpertOpinion.Position.choices, widget=forms.RadioSelect
    )
    reasoning = forms.CharField(label=_("理由"), max_length=8000, widget=_textarea(2))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(InlineRadios("position"), "reasoning")


class ConcludeForm(ConfirmationMixin, CrispyForm):
    confirmation = "panel_conclude"
    conclusion = forms.CharField(label=_("专家组结论"), max_length=20000, widget=_textarea(4))
    dissent = forms.CharField(
        label=_("不同意见"),
        required=False,
        max_length=20000,
        widget=_textarea(3),
        help_text=_("有专家不同意或部分同意的，须如实记录不同意见。"),
    )
