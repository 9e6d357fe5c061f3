"""Clarification records change only through their services, so the admin
shows them read-only."""

from django.contrib import admin

from cases.admin import ReadOnlyAdmin
from vindication.models import ClarificationRecord


@admin.register(ClarificationRecord)
class ClarificationRecordAdmin(ReadOnlyAdmin):
    list_display = ("pk", "number", "unit", "state", "received_on", "recorded_at")
    list_filter = ("state", "unit")
    search_fields = ("number", "officers__name")
