"""The admin for people and units, split by administrative role (三员分立):
the system administrator creates, edits and disables accounts and keeps the
units; the security administrator assigns roles and lifts login lockouts.
Every save goes through accounts.services and is audited."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from accounts.models import DisciplineBody, Officer, Unit, User
from accounts.second_factor import second_factor_reset
from accounts.services import (
    account_change_record,
    account_state,
    account_unlock,
    admin_object_delete,
    admin_object_save,
)


class AuditedModelAdmin(admin.ModelAdmin):
    """A ModelAdmin whose saves and deletions go through the audited services."""

    def save_model(self, request, obj, form, change):
        admin_object_save(actor=request.user, obj=obj)

    def delete_model(self, request, obj):
        admin_object_delete(actor=request.user, obj=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            admin_object_delete(actor=request.user, obj=obj)


ACCOUNT_FIELDS = ("username", "display_name", "first_name", "last_name", "email")
SYSTEM_FIELDSETS = (
    (None, {"fields": (*ACCOUNT_FIELDS, "password", "is_active")}),
    (_("单位"), {"fields": ("units", "discipline_body")}),
)
SECURITY_FIELDSETS = (
    (None, {"fields": (*ACCOUNT_FIELDS, "is_active")}),
    (_("角色"), {"fields": ("groups",)}),
)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "display_name", "is_active", "is_staff")
    filter_horizontal = ("groups", "units")
    actions = ["unlock_accounts", "reset_second_factors"]

    def _assigns_roles(self, request) -> bool:
        return request.user.has_perm("accounts.assign_roles")

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        return SECURITY_FIELDSETS if self._assigns_roles(request) else SYSTEM_FIELDSETS

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and self._assigns_roles(request):
            return (*ACCOUNT_FIELDS, "is_active")
        return ()

    def save_model(self, request, obj, form, change):
        obj._state_before = account_state(User.objects.get(pk=obj.pk)) if change else {}
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        account_change_record(
            actor=request.user, user=form.instance, before=form.instance._state_before
        )

    def delete_model(self, request, obj):
        # Accounts are disabled, never deleted: the audit trail points at them.
        raise PermissionDenied

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.has_perm("accounts.unlock_account"):
            actions.pop("unlock_accounts", None)
        if not request.user.has_perm("accounts.reset_second_factor"):
            actions.pop("reset_second_factors", None)
        return actions

    @admin.action(description=_("解除所选账号的登录锁定"))
    def unlock_accounts(self, request, queryset):
        for user in queryset:
            account_unlock(actor=request.user, username=user.username)
        self.message_user(request, _("已解除登录锁定。"), messages.SUCCESS)

    @admin.action(description=_("重置所选账号的动态口令"))
    def reset_second_factors(self, request, queryset):
        for user in queryset:
            second_factor_reset(actor=request.user, user=user)
        self.message_user(request, _("已重置动态口令，账号下次登录时重新绑定。"), messages.SUCCESS)


@admin.register(Unit)
class UnitAdmin(AuditedModelAdmin):
    list_display = ("name", "abbreviation", "kind", "level", "parent", "jurisdiction")
    list_filter = ("kind", "level", "jurisdiction")
    search_fields = ("name", "abbreviation")


@admin.register(DisciplineBody)
class DisciplineBodyAdmin(AuditedModelAdmin):
    search_fields = ("name",)


@admin.register(Officer)
class OfficerAdmin(AuditedModelAdmin):
    list_display = ("name", "certificate_number", "unit", "post", "user", "is_active")
    list_filter = ("unit", "is_active")
    search_fields = ("name", "certificate_number")
