"""Administrators designate register readers and protection handlers here
(each grant and revocation goes through the service and is audited). The
register and the requests are read-only here, and show only what the user
may see under the same rules as the pages: an administrator does not read
the interference register without being designated."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from protections.models import (
    Designation,
    InterferenceAttachment,
    InterferenceEntry,
    PoliceCoordination,
    ProtectionRequest,
    ProtectionStatusChange,
)
from protections.rules import allowed
from protections.selectors import interference_entries_for, protection_requests_for
from protections.services.designation import (
    designation_grant,
    designation_revoke,
    designation_validate,
)


class DesignationForm(forms.ModelForm):
    class Meta:
        model = Designation
        fields = ("user", "unit", "kind", "basis")

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            designation_validate(
                user=data["user"], unit=data["unit"], kind=data["kind"], basis=data["basis"]
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    self.add_error(field if field in self.fields else None, message)
        return data


@admin.register(Designation)
class DesignationAdmin(admin.ModelAdmin):
    form = DesignationForm
    list_display = ("user", "kind", "unit", "basis", "designated_by", "designated_at")
    list_filter = ("kind", "unit")
    list_select_related = ("user", "unit", "designated_by")
    readonly_fields = ("designated_by", "designated_at")

    def has_change_permission(self, request, obj=None) -> bool:
        # A designation is granted or revoked, never edited.
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = designation_grant(
            actor=request.user,
            user=data["user"],
            unit=data["unit"],
            kind=data["kind"],
            basis=data["basis"],
        )
        obj.pk = saved.pk
        obj._state.adding = False

    def delete_model(self, request, obj):
        designation_revoke(actor=request.user, designation=obj)

    def delete_queryset(self, request, queryset):
        for designation in queryset.select_related("user", "unit"):
            designation_revoke(actor=request.user, designation=designation)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class AttachmentInline(ReadOnlyInline):
    model = InterferenceAttachment
    fields = ("original_name", "content_type", "size", "sha256", "uploaded_at")
    readonly_fields = fields


@admin.register(InterferenceEntry)
class InterferenceEntryAdmin(ReadOnlyAdmin):
    list_display = ("number", "unit", "officer", "occurred_at", "channel", "recorded_at")
    list_filter = ("channel",)
    list_select_related = ("unit", "officer")
    inlines = [AttachmentInline]
    exclude = ()

    def get_queryset(self, request):
        return interference_entries_for(request.user).select_related("unit", "officer")

    def has_view_permission(self, request, obj=None) -> bool:
        if obj is None:
            return allowed(request.user, "protections.browse_interference")
        return allowed(request.user, "protections.view_interference", obj)

    def has_module_permission(self, request) -> bool:
        return self.has_view_permission(request)


class StatusChangeInline(ReadOnlyInline):
    model = ProtectionStatusChange
    fields = ("from_status", "to_status", "note", "actor", "changed_at")
    readonly_fields = fields


class PoliceCoordinationInline(ReadOnlyInline):
    model = PoliceCoordination
    fields = ("contacted_on", "police_unit", "reference_number", "actions", "recorded_by")
    readonly_fields = fields


@admin.register(ProtectionRequest)
class ProtectionRequestAdmin(ReadOnlyAdmin):
    list_display = ("number", "unit", "officer", "incident_kind", "status", "created_at")
    list_filter = ("status", "incident_kind")
    list_select_related = ("unit", "officer")
    inlines = [StatusChangeInline, PoliceCoordinationInline]

    def get_queryset(self, request):
        return protection_requests_for(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        if obj is None:
            return allowed(request.user, "protections.browse_protection")
        return allowed(request.user, "protections.view_protection", obj)

    def has_module_permission(self, request) -> bool:
        return self.has_view_permission(request)
