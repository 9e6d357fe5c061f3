"""Thin forms: field types, labels and the checks a person should see next
to the field; the services check again and decide."""

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from protections import errors
from protections.models import (
    AffectedPerson,
    Channel,
    IncidentKind,
    InterferenceEntry,
)
from protections.services.interference import attachments_check

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class CrispyForm(forms.Form):
    """A form rendered by crispy inside the page's own <form> tag."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


def datetime_field(label) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )


def not_in_future(value):
    if value and value > timezone.now():
        raise ValidationError(errors.OCCURRED_IN_FUTURE)
    return value


def _choices(choices):
    return [("", "---------"), *choices]


class InterferenceEntryForm(CrispyForm):
    occurred_at = datetime_field(_("发生时间"))
    interferer_name = forms.CharField(
        label=_("干预人"),
        max_length=60,
        help_text=_("不知姓名的写“不详”，并在单位、职务中尽量写明。"),
    )
    interferer_unit = forms.CharField(label=_("干预人单位"), max_length=200, required=False)
    interferer_position = forms.CharField(label=_("干预人职务"), max_length=100, required=False)
    channel = forms.ChoiceField(label=_("干预方式"), choices=_choices(Channel.choices))
    channel_detail = forms.CharField(
        label=_("方式说明"),
        max_length=200,
        required=False,
        help_text=_("如托谁转达、用什么软件发送；选择“其他方式”时必填。"),
    )
    matter = forms.CharField(
        label=_("涉及的案件或执法事项"),
        max_length=500,
        help_text=_("如案件名称、当事人、检查事项。"),
    )
    request_content = forms.CharField(
        label=_("干预的具体内容"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("对方提出了什么要求，尽量照原话记录。"),
    )
    response = forms.CharField(
        label=_("本人的处理情况"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("如：当场拒绝、向领导报告、如实记录。"),
    )
    attachments = MultipleFileField(
        label=_("附件"),
        required=False,
        help_text=_("录音、截图、书面材料等，可选多个；类型和大小限制与案件证据相同。"),
    )

    def clean_occurred_at(self):
        return not_in_future(self.cleaned_data["occurred_at"])

    def clean_attachments(self):
        files = self.cleaned_data["attachments"]
        try:
            attachments_check(files)
        except ValidationError as error:
            raise ValidationError(error.message_dict["attachments"]) from None
        return files

    def clean(self):
        data = super().clean()
        if data.get("channel") == Channel.OTHER and not data.get("channel_detail", "").strip():
            self.add_error("channel_detail", errors.CHANNEL_DETAIL_MISSING)
        return data

    @classmethod
    def initial_from(cls, entry: InterferenceEntry) -> dict:
        """A correction starts from the entry it corrects."""
        return {
            "occurred_at": timezone.localtime(entry.occurred_at).strftime(DATETIME_FORMAT),
            **{
                name: getattr(entry, name)
                for name in (
                    "interferer_name",
                    "interferer_unit",
                    "interferer_position",
                    "channel",
                    "channel_detail",
                    "matter",
                    "request_content",
                    "response",
                )
            },
        }


class CorrectionForm(InterferenceEntryForm):
    correction_reason = forms.CharField(
        label=_("更正理由"), max_length=500, help_text=_("写明原记录哪里有误。")
    )

    field_order = ["correction_reason"]


class RegisterFilterForm(forms.Form):
    date_from = forms.DateField(
        label=_("发生时间自"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("至"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    unit = forms.ModelChoiceField(label=_("记录单位"), queryset=None, required=False)
    channel = forms.ChoiceField(
        label=_("干预方式"), choices=[("", _("全部")), *Channel.choices], required=False
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].empty_label = _("全部")
        for field in self.fields.values():
            is_select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = (
                "form-select form-select-sm" if is_select else "form-control form-control-sm"
            )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", errors.DATE_RANGE_REVERSED)
        return data


class CaseLinkForm(forms.Form):
    case_number = forms.CharField(
        label=_("案件编号"), max_length=60, help_text=_("如：泰市监〔2026〕3号")
    )


class ProtectionRequestForm(CrispyForm):
    affected_person = forms.ChoiceField(
        label=_("受侵害人"), choices=_choices(AffectedPerson.choices)
    )
    affected_name = forms.CharField(
        label=_("受侵害人姓名"),
        max_length=60,
        required=False,
        help_text=_("受侵害人是近亲属的必填。"),
    )
    incident_kind = forms.ChoiceField(label=_("遭遇的情形"), choices=_choices(IncidentKind.choices))
    occurred_at = datetime_field(_("发生时间"))
    place = forms.CharField(label=_("发生地点"), max_length=200)
    description = forms.CharField(
        label=_("经过"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )
    duty_connection = forms.CharField(
        label=_("与依法履职的关系"),
        max_length=500,
        help_text=_("因哪项执法工作、哪个案件遭遇上述情形。"),
    )

    def clean_occurred_at(self):
        return not_in_future(self.cleaned_data["occurred_at"])

    def clean(self):
        data = super().clean()
        person = data.get("affected_person")
        if person and person != AffectedPerson.SELF and not data.get("affected_name", "").strip():
            self.add_error("affected_name", errors.AFFECTED_NAME_MISSING)
        return data


class PoliceCoordinationForm(CrispyForm):
    contacted_on = forms.DateField(
        label=_("协调日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    police_unit = forms.CharField(label=_("公安机关"), max_length=200)
    reference_number = forms.CharField(label=_("接警或案件编号"), max_length=100, required=False)
    actions = forms.CharField(
        label=_("协调事项和采取的措施"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_contacted_on(self):
        value = self.cleaned_data["contacted_on"]
        if value > timezone.localdate():
            raise ValidationError(errors.CONTACT_DATE_IN_FUTURE)
        return value


class ProtectionMoveForm(forms.Form):
    note = forms.CharField(label=_("说明"), max_length=1000, required=False)
    outcome = forms.CharField(
        label=_("办理结果"), max_length=4000, required=False, widget=forms.Textarea
    )
