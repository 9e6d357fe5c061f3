from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _


class _CrispyForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class CatalogChangeForm(_CrispyForm):
    file = forms.FileField(
        label=_("目录文件（YAML）"),
        help_text=_("与 exemptions/catalogs 中的目录文件格式相同；文件名须为“标识.yaml”。"),
    )
    effective_on = forms.DateField(
        label=_("生效日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("经另一名管理员批准后，于该日起适用于新登记的案件。"),
    )
    reason = forms.CharField(
        label=_("修订说明"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("为什么变更，依据哪份文件（文号）。"),
    )


class CatalogReviewForm(_CrispyForm):
    note = forms.CharField(
        label=_("审核意见"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("退回时必填。"),
    )
