"""The overview's filters: a period and one of the units the user oversees."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.selectors import unit_descendant_ids
from overview import errors
from overview.selectors import Scope

# Dates outside these are typing mistakes (no case predates the regulations
# of 2020) and would only produce an empty page.
EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(2100, 12, 31)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class OverviewFilterForm(forms.Form):
    date_from = forms.DateField(
        label=_("开始日期"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": errors.DATE_FROM_INVALID},
    )
    date_to = forms.DateField(
        label=_("结束日期"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": errors.DATE_TO_INVALID},
    )
    unit = forms.ModelChoiceField(
        label=_("单位（含下级单位）"),
        queryset=None,
        required=False,
        empty_label=_("全部可查看的单位"),
        error_messages={"invalid_choice": errors.UNIT_NOT_VISIBLE},
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    def clean_date_from(self):
        return self._check_range(self.cleaned_data["date_from"])

    def clean_date_to(self):
        return self._check_range(self.cleaned_data["date_to"])

    @staticmethod
    def _check_range(value):
        if value is not None and not EARLIEST <= value <= LATEST:
            raise forms.ValidationError(errors.DATE_OUT_OF_RANGE)
        return value

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", errors.DATE_ORDER)
        return cleaned

    def scope(self, visible_unit_ids: frozenset[int]) -> Scope:
        """The cases the valid filters select: the chosen unit and its
        sub-units (never beyond what the user may see), created from the
        start of `date_from` to the end of `date_to`, local time."""
        data = self.cleaned_data
        unit_ids = visible_unit_ids
        if data.get("unit") is not None:
            unit_ids = frozenset(unit_descendant_ids({data["unit"].pk}) & visible_unit_ids)
        return Scope(
            unit_ids=unit_ids,
            start=_start_of(data.get("date_from")),
            end=_start_of(data["date_to"] + datetime.timedelta(days=1))
            if data.get("date_to")
            else None,
        )


def _start_of(day: datetime.date | None) -> datetime.datetime | None:
    if day is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
