from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from accounts.admin import AuditedModelAdmin
from documents.models import DocumentSeries, RegisterEntry, UnitSeal
from documents.seals import SEAL_MAX_BYTES, check_seal_image, seal_set


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


class UnitSealForm(forms.ModelForm):
    class Meta:
        model = UnitSeal
        fields = ("unit", "image")
        help_texts = {
            "image": _("透明背景的PNG或SVG，近似正方形，边长300至2000像素，不超过%(limit)d KB。")
            % {"limit": SEAL_MAX_BYTES // 1024}
        }

    def clean_image(self):
        upload = self.cleaned_data["image"]
        if isinstance(upload, UploadedFile):  # a new file, not the stored one
            upload.seek(0)
            self.seal_content = upload.read(SEAL_MAX_BYTES + 1)
            check_seal_image(self.seal_content)
        return upload


@admin.register(UnitSeal)
class UnitSealAdmin(AuditedModelAdmin):
    """Each unit's seal image: checked on upload and audited (documents.seals);
    deleting it leaves the documents an empty seal area."""

    form = UnitSealForm
    list_display = ("unit", "content_type", "width", "height", "size", "uploaded_at")
    readonly_fields = ("content_type", "width", "height", "size", "sha256", "uploaded_at")

    def get_readonly_fields(self, request, obj=None):
        # A seal belongs to its unit: to move it, delete it and upload again.
        return (*self.readonly_fields, "unit") if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        content = getattr(form, "seal_content", None)
        if content is None:
            return  # nothing uploaded: nothing else on the form to change
        saved = seal_set(actor=request.user, unit=obj.unit, content=content)
        obj.pk, obj._state.adding = saved.pk, False
