"""Forms of the report page. They check the shape of the input; the services
check the rules and raise errors keyed by these field names."""

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.confirmations import ConfirmationMixin
from cases.models import SubjectOfficer
from investigation.models import ClauseConclusion
from investigation.services import ConclusionInput


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


# --- the investigation report ------------------------------------------------------


@dataclass(frozen=True)
class ReportRow:
    """One (officer × clause) line of the report form."""

    subject_officer: SubjectOfficer
    ref: str
    kind: str
    claimed: bool
    engine_result: str
    conclusion: str
    reasoning: str


class ReportForm(forms.Form):
    findings_summary = forms.CharField(
        label=_("调查认定的事实"), max_length=20000, widget=_textarea(6)
    )
    conclusion = forms.CharField(label=_("调查结论"), max_length=20000, widget=_textarea(4))
    base_version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, rows: list[ReportRow], **kwargs):
        super().__init__(*args, **kwargs)
        self.report_rows = rows
        for row in rows:
            key = self._key(row)
            self.fields[f"conclusion-{key}"] = forms.ChoiceField(
                label=_("结论"),
                choices=ClauseConclusion.choices,
                initial=row.conclusion,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
            self.fields[f"reasoning-{key}"] = forms.CharField(
                label=_("理由"),
                required=False,
                max_length=4000,
                initial=row.reasoning,
                widget=forms.Textarea(attrs={"rows": 1, "class": "form-control form-control-sm"}),
            )

    @staticmethod
    def _key(row: ReportRow) -> str:
        return f"{row.subject_officer.pk}-{row.ref}"

    def groups(self) -> list[dict]:
        """The rows per officer, each with its two bound fields, for the table."""
        groups: dict[int, dict] = {}
        for row in self.report_rows:
            group = groups.setdefault(
                row.subject_officer.pk, {"subject_officer": row.subject_officer, "rows": []}
            )
            key = self._key(row)
            group["rows"].append(
                {
                    "row": row,
                    "conclusion": self[f"conclusion-{key}"],
                    "reasoning": self[f"reasoning-{key}"],
                }
            )
        return list(groups.values())

    def conclusion_inputs(self) -> list[ConclusionInput]:
        data = self.cleaned_data
        return [
            ConclusionInput(
                subject_officer=row.subject_officer,
                clause_ref=row.ref,
                conclusion=data[f"conclusion-{self._key(row)}"],
                reasoning=data[f"reasoning-{self._key(row)}"],
            )
            for row in self.report_rows
        ]


class SignOffForm(ConfirmationMixin):
    confirmation = "report_sign_off"
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
