from django.contrib import admin

from audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit trail is append-only, and only services append."""

    list_display = ("sequence", "occurred_at", "event_type", "actor_name", "case", "summary")
    list_filter = ("event_type",)
    search_fields = ("summary", "actor_name", "object_id", "case__number")
    list_select_related = ("case",)
    ordering = ("-sequence",)
    show_full_result_count = False
    fields = (
        "sequence",
        "occurred_at",
        "actor",
        "actor_name",
        "event_type",
        "case",
        "object_type",
        "object_id",
        "summary",
        "data",
        "previous_hash",
        "hash",
    )
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
