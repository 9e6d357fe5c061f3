"""The case list's filters and sort order (django-filter). The queryset they
narrow is always case_list_for_user's: a filter can only take cases away, and
the choices offered (units, officers) are those of the units the user sees."""

import datetime
from dataclasses import dataclass

import django_filters
from django import forms
from django.db import models
from django.db.models import Exists, F, OuterRef, Subquery
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from accounts.models import Officer, Unit
from accounts.selectors import user_visible_unit_ids
from cases.extensions import outcome_filter
from cases.models import Field, SubjectOfficer
from cases.models.case import STAGE_RANK
from cases.search import case_search_condition
from cases.workflow import CaseState
from exemptions.models import Regulation, RegulationVersion

DUE_SOON_DAYS = 7


class Deadline(models.TextChoices):
    OVERDUE = "overdue", _("已超期")
    DUE_SOON = "due_soon", _("7日内到期")
    NONE = "none", _("无期限")


NO_DETERMINATION = "none"

# Sort keys (the `sort` parameter, "-" for descending) and the columns each
# orders by; "pk" last makes every order total, so pages never overlap. An
# empty deadline or number (a draft) counts as later than any: last going up,
# first going down, which is also the order an index on the column gives on
# PostgreSQL; every order here reads an index (see Case.Meta).
SORTS = {
    "number": (F("year"), F("sequence")),
    "unit": (F("unit__name"),),
    "stage": (STAGE_RANK,),
    "deadline": (F("deadline_at"),),
    "changed": (F("state_entered_at"),),
}
NULLABLE_SORTS = {"number", "deadline"}


def sort_order(value: str) -> list:
    """The ORDER BY of a valid sort value such as "deadline" or "-deadline"."""
    key = value.lstrip("-")
    descending = value.startswith("-")
    nullable = key in NULLABLE_SORTS
    if descending:
        nulls = {"nulls_first": True} if nullable else {}
        return [column.desc(**nulls) for column in SORTS[key]] + [F("pk").desc()]
    nulls = {"nulls_last": True} if nullable else {}
    return [column.asc(**nulls) for column in SORTS[key]] + [F("pk").asc()]


def _visible_units(request):
    if request is None:
        return Unit.objects.none()
    return Unit.objects.filter(id__in=user_visible_unit_ids(request.user))


def _visible_officers(request):
    if request is None:
        return Officer.objects.none()
    return (
        Officer.objects.filter(unit_id__in=user_visible_unit_ids(request.user))
        .only("id", "name", "certificate_number")
        .order_by("name", "certificate_number")
    )


def _regulations(request):
    """The regulations, each with its current version's title for the label."""
    current = RegulationVersion.objects.filter(regulation=OuterRef("pk"), is_current=True)
    return Regulation.objects.annotate(title=Subquery(current.values("title")[:1]))


class PlainSelect(forms.Select):
    """A select rendered in Python. Django's Select renders a template per
    option, about a millisecond for every ten; a bureau's officers number in
    the hundreds, and the list page is under a time budget."""

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        selected = {str(v) for v in self.format_value(value)}
        options = []
        for choice, label in self.choices:
            choice = str(choice)
            mark = " selected" if choice in selected else ""
            options.append(f'<option value="{escape(choice)}"{mark}>{escape(label)}</option>')
        # Every value and label above is escaped.
        return mark_safe(f"<select{flatatt(final_attrs)}>{''.join(options)}</select>")  # noqa: S308


class ListedChoiceIterator(ModelChoiceIterator):
    """The choices as (pk, label) from one plain query, kept on the field for
    the request (Django's iterates a server-side cursor on PostgreSQL, three
    round trips, and builds a model instance per choice)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if getattr(self.field, "_listed", None) is None:
            self.field._listed = self.field.list_choices(self.queryset)
        yield from self.field._listed


class ListedChoiceField(forms.ModelChoiceField):
    iterator = ListedChoiceIterator
    widget = PlainSelect

    def list_choices(self, queryset) -> list[tuple]:
        return [(obj.pk, self.label_from_instance(obj)) for obj in queryset]


class RegulationChoiceField(ListedChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.title or obj.slug


class OfficerChoiceField(ListedChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name}（{obj.certificate_number}）"

    def list_choices(self, queryset) -> list[tuple]:
        rows = queryset.values_list("pk", "name", "certificate_number")
        return [(pk, f"{name}（{certificate}）") for pk, name, certificate in rows]


class UnitFilter(django_filters.ModelChoiceFilter):
    field_class = ListedChoiceField


class RegulationFilter(django_filters.ModelChoiceFilter):
    field_class = RegulationChoiceField


class OfficerFilter(django_filters.ModelChoiceFilter):
    field_class = OfficerChoiceField


class PlainChoiceFilter(django_filters.ChoiceFilter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, widget=PlainSelect, **kwargs)


class SortFilter(django_filters.ChoiceFilter):
    """`sort=deadline` or `sort=-deadline`; any other value is a form error."""

    def __init__(self, *args, **kwargs):
        choices = []
        for key in SORTS:
            choices += [(key, key), (f"-{key}", f"-{key}")]
        super().__init__(*args, choices=choices, widget=forms.HiddenInput, **kwargs)

    def filter(self, qs, value):
        return qs.order_by(*sort_order(value)) if value else qs


class CaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("搜索"),
        method="filter_search",
        max_length=60,
        widget=forms.TextInput(attrs={"placeholder": _("案件编号、执法人员姓名或案情文字")}),
    )
    state = PlainChoiceFilter(label=_("阶段"), choices=CaseState.choices, empty_label=_("全部"))
    unit = UnitFilter(label=_("承办单位"), queryset=_visible_units, empty_label=_("全部"))
    regulation = RegulationFilter(
        label=_("适用的免责办法"),
        field_name="regulation__regulation",
        queryset=_regulations,
        empty_label=_("全部"),
    )
    field = PlainChoiceFilter(label=_("领域"), choices=Field.choices, empty_label=_("全部"))
    officer = OfficerFilter(
        label=_("涉及执法人员"),
        queryset=_visible_officers,
        method="filter_officer",
        empty_label=_("全部"),
    )
    deadline = PlainChoiceFilter(
        label=_("本阶段期限"),
        choices=Deadline.choices,
        method="filter_deadline",
        empty_label=_("全部"),
    )
    outcome = PlainChoiceFilter(
        label=_("认定结果"),
        choices=[],  # the outcomes of deliberation (cases.extensions), set in __init__
        method="filter_outcome",
        empty_label=_("全部"),
    )
    sort = SortFilter(label=_("排序"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["outcome"].extra["choices"] = [
            *outcome_filter().choices(),
            (NO_DETERMINATION, _("尚无认定")),
        ]
        form = self.form
        form.label_suffix = ""
        if self.is_bound:
            form.is_valid()
        for name, field in form.fields.items():
            widget = field.widget
            widget.attrs["class"] = (
                "form-select form-select-sm"
                if isinstance(widget, forms.Select)
                else "form-control form-control-sm"
            )
            if self.is_bound and name in form.errors:
                widget.attrs["class"] += " is-invalid"
                widget.attrs["aria-invalid"] = "true"
                widget.attrs["aria-describedby"] = f"{name}-error"

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(case_search_condition(value))

    def filter_officer(self, queryset, name, value):
        return queryset.filter(
            Exists(SubjectOfficer.objects.filter(case=OuterRef("pk"), officer=value))
        )

    def filter_deadline(self, queryset, name, value):
        now = timezone.now()
        if value == Deadline.OVERDUE:
            return queryset.filter(deadline_at__lt=now)
        if value == Deadline.DUE_SOON:
            return queryset.filter(
                deadline_at__gte=now,
                deadline_at__lt=now + datetime.timedelta(days=DUE_SOON_DAYS),
            )
        return queryset.filter(deadline_at__isnull=True)

    def filter_outcome(self, queryset, name, value):
        if value == NO_DETERMINATION:
            return queryset.exclude(outcome_filter().condition(None))
        return queryset.filter(outcome_filter().condition(value))

    @property
    def sort_value(self) -> str:
        """The sort in effect: the valid `sort` parameter, or "" (newest first)."""
        self.is_valid()  # an invalid field drops out of cleaned_data, the rest apply
        return self.form.cleaned_data.get("sort") or ""


@dataclass(frozen=True)
class Column:
    """A column header of the list: when sortable, the sort its link asks
    for and its aria-sort value ("ascending", "descending" or "none")."""

    key: str
    label: str
    sortable: bool
    link_sort: str = ""
    aria_sort: str = "none"


def sort_columns(current: str, columns) -> list[Column]:
    """The headers, given (key, label) pairs in order and the sort in effect:
    a key in SORTS is sortable; a click sorts ascending, a second click on the
    same column descending."""
    headers = []
    for key, label in columns:
        if key not in SORTS:
            headers.append(Column(key, label, sortable=False))
        elif current == key:
            headers.append(Column(key, label, True, f"-{key}", "ascending"))
        elif current == f"-{key}":
            headers.append(Column(key, label, True, key, "descending"))
        else:
            headers.append(Column(key, label, True, key, "none"))
    return headers
