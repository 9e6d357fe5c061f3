"""Forms of the deliberation pages. They check the shape of the input; the
services check the rules and raise errors keyed by these field names."""

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.layout import Layout
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.forms import CrispyForm
from cases.templatetags.case_tags import RESULT_LABELS, RESULT_SYMBOLS
from cases.workflow import Stage
from deliberation import errors
from deliberation.models import Measure, MeetingMember, Outcome, Vote
from deliberation.selectors import chairs_of_unit, leadership_of_unit
from deliberation.services import MEASURES_NEEDING_CONTENT
from exemptions.citations import clause_where_for_reader
from filing.models import PublicationScope

KIND_LABELS = {"principle": _("原则"), "exemption": _("免责"), "mitigation": _("从轻减轻")}


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


# --- the collective decision --------------------------------------------------------


class ConveneForm(CrispyForm):
    held_on = forms.DateField(label=_("会议日期"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("会议地点"), max_length=200)
    members = forms.ModelMultipleChoiceField(
        label=_("参会的领导班子成员"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    chair = forms.ModelChoiceField(label=_("主要负责人（末位表态）"), queryset=None)

    def __init__(self, *args, case, **kwargs):
        leaders, chairs = leadership_of_unit(case), chairs_of_unit(case)
        kwargs.setdefault("prefix", "convene")
        kwargs.setdefault("initial", {"members": list(leaders), "chair": chairs.first()})
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = timezone.localdate()
        self.fields["members"].queryset = leaders
        self.fields["members"].label_from_instance = lambda user: user.get_full_name()
        self.fields["chair"].queryset = chairs
        self.fields["chair"].label_from_instance = lambda user: user.get_full_name()


class AttendanceForm(forms.Form):
    attendance = forms.ChoiceField(
        label=_("出席情况"),
        choices=MeetingMember.Attendance.choices,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    reason = forms.CharField(
        label=_("回避理由"),
        required=False,
        max_length=300,
        widget=forms.TextInput(
            attrs={"class": "form-control form-control-sm", "placeholder": _("回避理由")}
        ),
    )
    written_opinion = forms.CharField(
        label=_("书面意见（缺席时）"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(
            attrs={
                "rows": 1,
                "class": "form-control form-control-sm",
                "placeholder": _("缺席成员的书面意见"),
            }
        ),
    )


def attendance_form(member: MeetingMember) -> AttendanceForm:
    """The attendance form of one member, filled with what is recorded."""
    return AttendanceForm(
        prefix=f"member-{member.pk}",
        initial={
            "attendance": member.attendance,
            "reason": member.recusal_reason,
            "written_opinion": member.written_opinion,
        },
    )


class ProposalForm(CrispyForm):
    outcome = forms.ChoiceField(label=_("认定结果"))
    cited_clauses = forms.MultipleChoiceField(
        label=_("援引条款"), required=False, widget=forms.CheckboxSelectMultiple
    )
    measure = forms.ChoiceField(label=_("处理措施"), required=False)
    sanction = forms.CharField(label=_("处分或处理的具体内容"), required=False, max_length=300)
    reasons = forms.CharField(label=_("认定理由"), max_length=20000, widget=_textarea(3))
    departure_reason = forms.CharField(
        label=_("与系统建议不一致的理由"), required=False, max_length=20000, widget=_textarea(2)
    )
    precedent_departure_reason = forms.CharField(
        label=_("与类似案例多数结果不一致的理由"),
        required=False,
        max_length=20000,
        widget=_textarea(2),
    )
    publication_scope = forms.ChoiceField(
        label=_("公开范围（不予追究责任的）"),
        choices=PublicationScope.choices,
        initial=PublicationScope.UNIT,
        required=False,
        help_text=_("不予追究责任的决定在此范围公开，随备案材料报送。"),
    )

    def __init__(self, *args, matrix, procedure: dict, **kwargs):
        """`matrix` is the officer's clause matrix: each clause is offered with
        the engine's result at deliberation, so citing one that does not hold
        is visible before the service asks for a reason."""
        kwargs.setdefault("prefix", f"propose-{matrix.subject_officer.pk}")
        kwargs.setdefault("initial", {"outcome": matrix.outcomes[Stage.DELIBERATION]})
        super().__init__(*args, **kwargs)
        outcomes = [
            (value, label)
            for value, label in Outcome.choices
            if value != Outcome.TRANSFERRED or procedure.get("transfer_to_discipline_organs")
        ]
        self.fields["outcome"].choices = [("", "---------"), *outcomes]
        self.fields["cited_clauses"].choices = [
            (row.ref, _clause_label(row.ref, row.kind, row.cells[Stage.DELIBERATION].result))
            for row in matrix.rows
        ]
        allowed = set(procedure.get("measures") or [])
        self.fields["measure"].choices = [
            (value, label)
            for value, label in Measure.choices
            if value in allowed or value in (Measure.NONE, Measure.DISCIPLINARY_SANCTION)
        ]

    def clean(self):
        cleaned = super().clean()
        measure = cleaned.get("measure")
        if measure in MEASURES_NEEDING_CONTENT and not (cleaned.get("sanction") or "").strip():
            self.add_error(
                "sanction",
                errors.MEASURE_CONTENT_MISSING % {"measure": Measure(measure).label},
            )
        return cleaned


def proposal_initial(determination) -> dict:
    """A proposal form's values from the determination it amends."""
    return {
        "outcome": determination.outcome,
        "cited_clauses": determination.cited_clauses,
        "measure": determination.measure,
        "sanction": determination.sanction,
        "reasons": determination.reasons,
        "departure_reason": determination.departure_reason,
        "publication_scope": determination.publication_scope,
    }


class ProposalWithdrawForm(forms.Form):
    reason = forms.CharField(label=_("撤回理由"), max_length=2000)


def _clause_label(ref: str, kind: str, result: str) -> str:
    """第六条第（四）项（免责）✓ 成立, or Art. 6(4) (Exemption) ✓ Holds."""
    clause = _("%(where)s（%(kind)s）") % {
        "where": clause_where_for_reader(ref),
        "kind": KIND_LABELS.get(kind, kind),
    }
    return f"{clause}{RESULT_SYMBOLS[result]} {RESULT_LABELS[result]}"


class VoteForm(CrispyForm):
    position = forms.ChoiceField(
        label=_("表态"), choices=Vote.Position.choices, widget=forms.RadioSelect
    )
    reasoning = forms.CharField(label=_("理由"), max_length=4000, widget=_textarea(2))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(InlineRadios("position"), "reasoning")
