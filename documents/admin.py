from django.contrib import admin

from documents.models import DocumentSeries, RegisterEntry


@admin.register(DocumentSeries)
class DocumentSeriesAdmin(admin.ModelAdmin):
    list_display = ("unit", "kind", "style", "agency_code")
    list_filter = ("kind", "style")


@admin.register(RegisterEntry)
class RegisterEntryAdmin(admin.ModelAdmin):
    """The register page: numbers are allocated by the services when a
    document is issued and are never edited or deleted."""

    list_display = ("number", "unit", "kind", "year", "sequence", "case", "title", "issued_on")
    list_filter = ("unit", "kind", "year")
    search_fields = ("number", "title", "case__number")
    list_select_related = ("unit", "case")
    date_hierarchy = "issued_on"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
