"""Administrators keep the stage time limits here; cases themselves change
only through the workflow, so the admin shows them read-only."""

from django.contrib import admin

from accounts.admin import AuditedModelAdmin
from cases.models import Case, Notification, StageDeadline


@admin.register(StageDeadline)
class StageDeadlineAdmin(AuditedModelAdmin):
    list_display = ("state", "unit", "days", "warn_days_before")
    list_filter = ("state", "unit")


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
