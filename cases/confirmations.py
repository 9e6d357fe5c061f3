"""Irreversible moves ask for confirmation naming their consequence: the
form carries a `confirm` field it requires (the server-side second step; the
services are unchanged), and static/js/confirm.js turns it into a dialog.
Without script, the field is a checkbox naming the consequence."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cases import errors

# What cannot be undone, by action: the workflow moves by name, and the
# review steps that settle a stage's record.
CONSEQUENCES = {
    "withdraw": _("撤销后案件终止办理，不能恢复，撤销理由记入案件历史。"),
    "decide": _("确认后集体研究决定即告作出并编号，案件进入“已作出决定”阶段，不能撤回。"),
    "file": _("报备后备案材料包即冻结并送纪检监察机关，不能撤回或修改。"),
    "publish": _(
        "公开后决定即在所选范围内公开，案件进入“已公开”阶段；公开可撤回，但不能撤销已公开的事实。"
    ),
    "close": _("结案后案件办理终结，不能再作任何变更。"),
    "report_sign_off": _("签发后调查报告即提交，不能再修改。"),
    "panel_conclude": _("出具后专家论证结束，书面论证意见不能再修改。"),
    "vote_close": _("宣布后表决结束，结果记入会议纪要，表决意见不能再更改。"),
}


def confirmation_missing(action: str):
    """The error when an irreversible action is posted without confirmation."""
    return errors.CONFIRMATION_MISSING % {"consequence": CONSEQUENCES[action]}


class ConfirmationMixin(forms.Form):
    """A form for an irreversible action (`confirmation` names it in
    CONSEQUENCES): valid only with `confirm` ticked."""

    confirmation: str = ""
    confirm = forms.BooleanField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirm"].label = _("我已知悉：%(consequence)s") % {
            "consequence": CONSEQUENCES[self.confirmation]
        }

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("confirm"):
            self.add_error("confirm", confirmation_missing(self.confirmation))
        return cleaned


class ConfirmForm(ConfirmationMixin):
    """Just the confirmation, for actions that post nothing else."""

    def __init__(self, *args, confirmation: str, **kwargs):
        self.confirmation = confirmation
        super().__init__(*args, **kwargs)
