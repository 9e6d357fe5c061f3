"""What can go wrong when an administrator changes a liability-exemption
catalogue, as the user is told it.

The refusals of the catalogue's change process (exemptions.lifecycle) are
named here; tests assert through the name. The loader's own validation
messages, which the Django-free engine writes in English, are translated by
the pattern table of exemptions.messages. The text is the msgid in
locale/*/django.po. Messages with parameters are formatted where raised."""

from django.utils.translation import gettext_lazy as _

# --- the uploaded file ----------------------------------------------------------------
NOT_YAML = _("文件 %(file)s：目录文件须为 YAML（.yaml）。")
FILE_TOO_LARGE = _("文件 %(file)s：超过 1 MB，不像是免责目录。")
NOT_UTF8 = _("文件 %(file)s：不是 UTF-8 编码的文字文件。")

# --- submitting a change ----------------------------------------------------------------
NOTES_MISSING = _("请写明修订说明（为什么变更、依据哪份文件）。")
SAME_AS_CURRENT = _("文件 %(file)s 与现行版本（第 %(number)s 版）内容相同，无需变更。")
ALREADY_PENDING = _("同样内容的变更已在审核或待生效中，请勿重复提交。")

# --- reviewing a change (two-person rule) -----------------------------------------------
ALREADY_REVIEWED = _("该变更已%(status)s，不能再审核。")
OWN_CHANGE = _("提交人不能审核自己提交的变更，须由另一名管理员审核（双人复核）。")
STALE_CHANGE = _("提交后现行版本已变更，差异和重算报告已过时：请退回后重新提交。")
REJECTION_REASON_MISSING = _("退回时请写明理由。")
