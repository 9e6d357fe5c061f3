from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import DisciplineBody, Officer, Unit, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("单位与角色"), {"fields": ("display_name", "units", "discipline_body")}),
    )
    list_display = ("username", "display_name", "is_active", "is_staff")
    filter_horizontal = ("groups", "user_permissions", "units")


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "abbreviation", "kind", "level", "parent", "jurisdiction")
    list_filter = ("kind", "level", "jurisdiction")
    search_fields = ("name", "abbreviation")


@admin.register(DisciplineBody)
class DisciplineBodyAdmin(admin.ModelAdmin):
    search_fields = ("name",)


@admin.register(Officer)
class OfficerAdmin(admin.ModelAdmin):
    list_display = ("name", "certificate_number", "unit", "post", "user", "is_active")
    list_filter = ("unit", "is_active")
    search_fields = ("name", "certificate_number")
