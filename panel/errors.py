"""What can go wrong in the expert review, as the user is told it.

Every refusal and validation message of the panel app is named here, so that
a reader sees in one place what the app refuses and why, and tests assert
through the name rather than repeating the Chinese. The text of each message
is its msgid in locale/*/django.po. Messages with parameters use named
placeholders and are formatted where they are raised (`errors.X % {...}`)."""

from django.utils.translation import gettext_lazy as _

# --- permission ---------------------------------------------------------------------
MAY_NOT_SET_UP_PANEL = _("您无权组织专家组。")
MAY_NOT_GIVE_OPINION = _("只有专家组成员可以发表论证意见。")
MAY_NOT_CONCLUDE = _("只有专家组成员可以出具论证意见。")

# --- setting up the panel -----------------------------------------------------------
SET_UP_NOT_IN_EXPERT_REVIEW = _("只有专家论证阶段可以组织专家组。")
PANEL_SIZE = _("专家组应由三名以上单数专家组成。")
NOT_CASE_EXPERTS = _("以下人员不是可查看本案的专家组成员：%(names)s")
QUESTION_MISSING = _("请写明提请论证的问题。")
NO_DISPUTED_CLAUSE = _("请至少选择一项有争议的条款。")
DISPUTED_CLAUSE_INVALID = _("争议条款无效：%(ref)s")
PANEL_ALREADY_SET_UP = _("本案已组织专家组。")

# --- the experts' opinions ----------------------------------------------------------
POSITION_MISSING = _("请选择意见。")
REASONING_MISSING = _("请写明理由。")
OPINIONS_FIXED_AFTER_CONCLUSION = _("专家组已出具书面论证意见，不能再修改。")

# --- the panel's written opinion ----------------------------------------------------
CONCLUSION_MISSING = _("请写明专家组结论。")
PANEL_ALREADY_CONCLUDED = _("专家组已出具书面论证意见。")
OPINIONS_MISSING = _("尚有专家未发表意见：%(items)s")
DISSENT_MISSING = _("有专家持不同意见，请在“不同意见”中如实记录。")
