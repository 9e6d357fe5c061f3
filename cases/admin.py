"""Administrators keep the stage time limits here; cases themselves change
only through the workflow, so the admin shows them read-only."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.admin import AuditedModelAdmin
from cases.models import CalendarOverride, Case, Notification, StageDeadline
from cases.services.working_calendar import calendar_override_delete, calendar_override_save
from cases.working_days import library_holiday_name, library_is_working_day


@admin.register(StageDeadline)
class StageDeadlineAdmin(AuditedModelAdmin):
    list_display = ("state", "unit", "days", "day_kind", "warn_days_before")
    list_filter = ("state", "unit", "day_kind")


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(AuditedModelAdmin):
    """Days the installed holidays library does not know yet (a notice
    published after it) or gets wrong. Each change is audited and moves the
    deadlines of the open cases counted in working days."""

    list_display = ("date", "weekday", "is_working_day", "official", "note")
    list_filter = ("is_working_day",)
    date_hierarchy = "date"
    search_fields = ("note",)

    @admin.display(description=_("星期"))
    def weekday(self, obj) -> str:
        return "一二三四五六日"[obj.date.weekday()]

    @admin.display(description=_("国家日历"))
    def official(self, obj) -> str:
        if library_is_working_day(obj.date):
            return str(_("工作日"))
        return library_holiday_name(obj.date) or str(_("休息日"))

    def _report(self, request, moved: int) -> None:
        if moved:
            self.message_user(
                request,
                ngettext(
                    "已按调整后的工作日历重新计算 %(n)s 件案件的本阶段期限。",
                    "已按调整后的工作日历重新计算 %(n)s 件案件的本阶段期限。",
                    moved,
                )
                % {"n": moved},
                messages.INFO,
            )

    def save_model(self, request, obj, form, change):
        self._report(request, calendar_override_save(actor=request.user, override=obj))

    def delete_model(self, request, obj):
        self._report(request, calendar_override_delete(actor=request.user, override=obj))

    def delete_queryset(self, request, queryset):
        moved = 0
        for obj in queryset:
            moved += calendar_override_delete(actor=request.user, override=obj)
        self._report(request, moved)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ("number", "unit", "state", "deadline_at", "created_at")
    list_filter = ("state", "unit")
    search_fields = ("number",)


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("user", "case", "kind", "created_at", "read_at")
