"""The forms of the intake wizard, one per step, and `Wizard`, which binds
them to what a draft holds and validates them in order. The forms check what
can be checked on the input alone; the services check the rest (the
regulation in force, the officers' unit, the clauses) and their messages are
put next to the same fields."""

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.selectors import officers_of_units, user_creatable_units
from cases import errors
from cases.forms import BaseSubjectOfficerFormSet, CrispyForm, SubjectOfficerForm
from cases.models import ActivityKind, Field, IntakeDraft, LeadSource, SubjectOfficer
from cases.services.drafts import FORM_STEPS, STEPS, intake_draft_case_save
from cases.services.intake import IncidentInput, SubjectOfficerInput, applicable_regulation
from exemptions.selectors import catalog_for_version

Step = IntakeDraft.Step

# What the browser may send, by file name, for each type the evidence service
# accepts by content (cases.services.evidence.ALLOWED_TYPES). The browser
# check is a courtesy; the server's check by content is the one that counts.
EVIDENCE_EXTENSIONS = {
    "application/pdf": (".pdf",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/png": (".png",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (".docx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (".xlsx",),
    "video/mp4": (".mp4",),
    "audio/mpeg": (".mp3",),
}


def _blank_first(choices) -> list:
    return [("", "---------"), *choices]


class IncidentForm(CrispyForm):
    """Step 1: where, when and what happened. The unit is fixed once the
    case is opened: the officers and the regulation depend on it."""

    unit = forms.ModelChoiceField(label=_("承办单位"), queryset=None)
    incident_date = forms.DateField(
        label=_("行为发生日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    incident_place = forms.CharField(label=_("发生地点"), max_length=200)
    field = forms.ChoiceField(label=_("领域"), choices=_blank_first(Field.choices))
    activity_kind = forms.ChoiceField(
        label=_("执法活动类型"), choices=_blank_first(ActivityKind.choices)
    )
    lead_source = forms.ChoiceField(label=_("线索来源"), choices=_blank_first(LeadSource.choices))
    incident_summary = forms.CharField(
        label=_("事件概要"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("简要写明时间、地点、涉及的执法行为和被反映的问题。"),
    )

    def __init__(self, *args, units, fixed_unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        if fixed_unit is not None:
            self.fields["unit"].initial = fixed_unit
            self.fields["unit"].disabled = True
            self.fields["unit"].help_text = _("案件草稿已建立，承办单位不能再更改。")
        elif len(only := units[:2]) == 1:
            self.fields["unit"].initial = only[0]

    def clean_incident_summary(self) -> str:
        summary = self.cleaned_data["incident_summary"].strip()
        if len(summary) < 10:
            raise forms.ValidationError(errors.SUMMARY_TOO_SHORT)
        return summary

    def clean_incident_date(self):
        value = self.cleaned_data["incident_date"]
        if value > timezone.localdate():
            raise forms.ValidationError(errors.INCIDENT_DATE_IN_FUTURE)
        return value


class IntakeOfficerForm(SubjectOfficerForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].error_messages["invalid_choice"] = (
            errors.OFFICER_OUTSIDE_UNIT_OR_GONE
        )


class IntakeOfficerFormSet(BaseSubjectOfficerFormSet):
    default_error_messages = {
        "too_few_forms": errors.NO_SUBJECT_OFFICERS,
        "too_many_forms": errors.TOO_MANY_OFFICERS,
    }

    def chosen(self) -> list[tuple]:
        """(officer, part) of every filled row, in order."""
        return [
            (f.cleaned_data["officer"], f.cleaned_data["part"])
            for f in self.forms
            if f.cleaned_data.get("officer")
        ]


OfficerFormSet = forms.formset_factory(
    IntakeOfficerForm,
    formset=IntakeOfficerFormSet,
    extra=2,
    min_num=1,
    validate_min=True,
    max_num=10,
    validate_max=True,
)


class AllegationForm(CrispyForm):
    """Step 3: the allegation, and the clauses claimed by or for each officer
    (one group of check boxes per officer, named claims-<officer id>)."""

    allegation = forms.CharField(
        label=_("反映的问题（执法过错指控）"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    disputed = forms.BooleanField(
        label=_("对是否依法履职或是否存在过错有争议"),
        required=False,
        help_text=_("泰安办法第九条：存在争议的，须先取得专家组书面论证意见。"),
    )
    organs_intervened = forms.BooleanField(label=_("纪检监察机关或检察机关已介入"), required=False)

    def __init__(self, *args, subject_officers, clauses, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(c.ref, c.text) for c in clauses]
        self.claim_fields = []
        for officer, part_label in subject_officers:
            name = f"claims-{officer.pk}"
            self.fields[name] = forms.MultipleChoiceField(
                label=_("%(name)s（%(part)s）主张适用的条款")
                % {"name": officer.name, "part": part_label},
                choices=choices,
                required=False,
                widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
                error_messages={
                    "invalid_choice": _("条款不属于本案适用的免责办法：%(value)s"),
                },
            )
            self.claim_fields.append(self[name])
        self.officers = [officer for officer, _part in subject_officers]

    def claims(self) -> dict[int, list[str]]:
        """{officer id: [clause refs]} as cleaned."""
        return {o.pk: list(self.cleaned_data.get(f"claims-{o.pk}", [])) for o in self.officers}


def add_service_errors(form, error: ValidationError) -> None:
    """A service's ValidationError next to the matching fields of a form, or
    above them (as cases.views.common does for the views)."""
    for field, messages in getattr(error, "message_dict", {None: error.messages}).items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)


def _typed(draft: IntakeDraft | None, step: str) -> QueryDict | None:
    """What was typed at a step, as it was posted; None if never saved."""
    if draft is None or step not in draft.data:
        return None
    data = QueryDict(mutable=True)
    for key, values in draft.data[step].items():
        data.setlist(key, values)
    return data


class Wizard:
    """The form steps of one draft, each bound to what was typed there (or to
    what is being posted), validated in order together with the services'
    checks that change nothing. A later step's form depends on the earlier
    ones (the unit's officers; the officers and the regulation's clauses)."""

    def __init__(self, user, draft: IntakeDraft | None, posted_step=None, posted=None):
        self.draft = draft
        case = draft.case if draft else None

        def data(step):
            return posted if step == posted_step else _typed(draft, step)

        units = user_creatable_units(user)
        self.incident = IncidentForm(
            data(Step.INCIDENT), units=units, fixed_unit=case.unit if case else None
        )
        self.officers = self.allegation = self.regulation = None
        if self.incident.is_valid():
            typed = self.incident.cleaned_data
            try:
                self.regulation = applicable_regulation(typed["unit"], typed["incident_date"])
            except ValidationError as error:
                add_service_errors(self.incident, error)
        if self.regulation is not None:
            self.officers = OfficerFormSet(
                data(Step.OFFICERS),
                prefix="officers",
                form_kwargs={"officers": officers_of_units([self.unit.pk])},
            )
            if self.officers.is_valid():
                self.allegation = AllegationForm(
                    data(Step.ALLEGATION),
                    subject_officers=[
                        (officer, SubjectOfficer.Part(part).label)
                        for officer, part in self.officers.chosen()
                    ],
                    clauses=catalog_for_version(self.regulation).clauses,
                )

    @property
    def unit(self):
        return self.incident.cleaned_data["unit"]

    def form(self, step):
        return {
            Step.INCIDENT: self.incident,
            Step.OFFICERS: self.officers,
            Step.ALLEGATION: self.allegation,
        }[step]

    def valid(self, step) -> bool:
        form = self.form(step)
        return form is not None and form.is_bound and form.is_valid()

    def complete(self, step) -> bool:
        """Valid, and for the allegation, the case opened from it. Evidence
        is optional: that step is complete once reached."""
        if step in FORM_STEPS:
            if step == Step.ALLEGATION and (self.draft is None or self.draft.case_id is None):
                return False
            return self.valid(step)
        if step == Step.EVIDENCE:
            return self.complete(Step.ALLEGATION)
        return False

    def first_incomplete(self, before) -> str | None:
        for step in STEPS[: STEPS.index(before)]:
            if not self.complete(step):
                return step
        return None

    def add_errors(self, step, error: ValidationError) -> None:
        form = self.form(step)
        if step == Step.OFFICERS:
            form.non_form_errors().extend(error.messages)
        else:
            add_service_errors(form, error)

    def nav(self, current) -> list[dict]:
        return [
            {
                "step": step,
                "number": index + 1,
                "done": self.complete(step),
                "current": step == current,
                "reachable": self.draft is not None and self.first_incomplete(step) is None,
            }
            for index, step in enumerate(STEPS)
        ]

    def case_save(self, user):
        """Open or update the draft's case from the three form steps."""
        incident, allegation = self.incident.cleaned_data, self.allegation.cleaned_data
        return intake_draft_case_save(
            actor=user,
            draft=self.draft,
            unit=self.unit,
            incident=IncidentInput(
                summary=incident["incident_summary"],
                date=incident["incident_date"],
                place=incident["incident_place"],
                field=incident["field"],
                activity_kind=incident["activity_kind"],
                lead_source=incident["lead_source"],
                allegation=allegation["allegation"],
                disputed=allegation["disputed"],
                organs_intervened=allegation["organs_intervened"],
            ),
            subject_officers=[
                SubjectOfficerInput(officer=officer, part=part)
                for officer, part in self.officers.chosen()
            ],
            claims=self.allegation.claims(),
        )
