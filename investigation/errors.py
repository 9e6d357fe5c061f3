"""What can go wrong with the investigation report, as the user is told it.

Every refusal and validation message of the investigation app is named here,
so that a reader sees in one place what the app refuses and why, and tests
assert through the name rather than repeating the Chinese. The text of each
message is its msgid in locale/*/django.po. Messages with parameters use
named placeholders and are formatted where they are raised
(`errors.X % {...}`).

A conclusion for an officer who is not a subject of the case is refused with
cases.errors.NOT_A_SUBJECT_OFFICER: the case's subject officers are the
cases app's rule."""

from django.utils.translation import gettext_lazy as _

# --- permission ---------------------------------------------------------------------
MAY_NOT_EDIT_REPORT = _("您无权编辑调查报告。")
MAY_NOT_SIGN_OFF_REPORT = _("只有调查组长可以签发调查报告。")

# --- editing the report -------------------------------------------------------------
EDIT_NOT_IN_INVESTIGATION = _("只有调查核实阶段可以编辑调查报告。")
FINDINGS_MISSING = _("请填写调查认定的事实。")
CONCLUSION_MISSING = _("请填写调查结论。")
CLAUSE_OUTSIDE_REGULATION = _("条款 %(ref)s 不属于本案适用的免责办法。")
CLAUSE_CONCLUSION_INVALID = _("结论无效。")
REPORT_FIXED_AFTER_SIGN_OFF = _("调查报告已签发，不能再修改。")
# An edit (or a sign-off) of a version that is no longer the current one.
STALE_REPORT = _(
    "调查报告已被他人修改（当前为第%(current)s版，您编辑的是第%(yours)s版）。请刷新后重新修改，您的修改未保存。"
)

# --- signing off --------------------------------------------------------------------
SIGN_OFF_NOT_IN_INVESTIGATION = _("只有调查核实阶段可以签发调查报告。")
NO_REPORT_YET = _("尚未形成调查报告。")
REPORT_ALREADY_SIGNED_OFF = _("调查报告已签发。")
SIGN_OFF_FROM_REPORT_PAGE = _("请从调查报告页面签发。")
