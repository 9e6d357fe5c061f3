"""The catalogues in the admin, read-only: `manage.py load_catalogs` is their only
writer, so that every change is a new version loaded from a reviewed file."""

from django.contrib import admin

from exemptions.models import Article, Clause, Fact, Regulation, RegulationVersion


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Fact)
class FactAdmin(ReadOnlyAdmin):
    list_display = ("key", "label_zh", "type", "position")
    list_filter = ("type",)
    search_fields = ("key", "label_zh")


@admin.register(Regulation)
class RegulationAdmin(ReadOnlyAdmin):
    list_display = ("slug", "jurisdiction_name", "jurisdiction_code", "province")
    search_fields = ("slug", "jurisdiction_name")


@admin.register(RegulationVersion)
class RegulationVersionAdmin(ReadOnlyAdmin):
    list_display = (
        "regulation",
        "number",
        "is_current",
        "document_number",
        "effective_on",
        "loaded_at",
    )
    list_filter = ("is_current", "regulation")
    list_select_related = ("regulation",)
    exclude = ("data",)


@admin.register(Article)
class ArticleAdmin(ReadOnlyAdmin):
    list_display = ("version", "number")
    list_filter = ("version__regulation",)
    list_select_related = ("version__regulation",)


@admin.register(Clause)
class ClauseAdmin(ReadOnlyAdmin):
    list_display = ("ref", "version", "kind", "effect", "text")
    list_filter = ("version__regulation", "kind", "effect")
    list_select_related = ("version__regulation",)
    search_fields = ("ref", "text")
