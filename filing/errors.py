"""What can go wrong in filing, publication and the organs' matters, as the
user is told it.

Every refusal and validation message of the filing app is named here, so that
a reader sees in one place what the app refuses and why, and tests assert
through the name rather than repeating the Chinese. The text of each message
is its msgid in locale/*/django.po. Messages with parameters use named
placeholders and are formatted where they are raised (`errors.X % {...}`)."""

from django.utils.translation import gettext_lazy as _

# --- the filing package -------------------------------------------------------------
MAY_NOT_BUILD_PACKAGE = _("您无权生成备案材料。")
NO_DISCIPLINE_BODY = _("承办单位尚未设置同级纪检监察机关，无法备案。")
NOT_YET_FILED = _("案件尚未备案。")
CORRECTION_REASON_MISSING = _("更正备案材料须写明理由。")
MAY_NOT_DOWNLOAD_PACKAGE = _("您无权下载该备案材料。")
MAY_NOT_VERIFY_PACKAGE = _("您无权核验该备案材料。")
PACKAGE_UNVERIFIED_NOT_OFFERED = _(
    "备案材料包第%(version)s版未通过签名核验（%(file)s），不提供下载。"
)
PACKAGE_VERIFICATION_FAILED = _("备案材料包第%(version)s版未通过签名核验：%(file)s。")

# --- the liaison's receipt ----------------------------------------------------------
MAY_NOT_ACKNOWLEDGE = _("只有备案机关的纪检监察联络员可以签收。")
ALREADY_ACKNOWLEDGED = _("该备案材料已签收。")
DOWNLOAD_BEFORE_ACKNOWLEDGING = _("请先下载并核对该备案材料包，再签收。")

# --- publication --------------------------------------------------------------------
MAY_NOT_PUBLISH = _("您无权公开决定。")
SCOPE_MISSING = _("请选择公开范围。")
ALREADY_PUBLISHED_IN_SCOPE = _("本决定已%(phrase)s。")
PUBLISH_NOT_IN_STATE = _("案件当前处于“%(state)s”阶段，不能公开。")
MAY_NOT_WITHDRAW_PUBLICATION = _("您无权撤回公开。")
WITHDRAWAL_REASON_MISSING = _("请写明撤回理由。")
ALREADY_WITHDRAWN = _("该公开已经撤回。")

# --- transfer to the discipline-inspection and supervision organs -------------------
MAY_NOT_TRANSFER = _("您无权办理移送。")
MAY_NOT_DOWNLOAD_TRANSFER_FILE = _("您无权下载移送案卷。")
DATE_IN_FUTURE = _("日期不能晚于今天。")
ORGAN_MISSING = _("请选择或填写纪检监察机关。")
TRANSFER_NOT_IN_STATE = _("案件当前处于“%(state)s”阶段，不能办理移送。")
TRANSFER_NEEDS_ADOPTED_TRANSFER = _(
    "只有表决通过的“移送纪检监察机关”认定才能办理移送；该执法人员的认定为“%(outcome)s”（%(status)s）。"
)
DETERMINATION_SUPERSEDED = _("该认定已被其后的集体研究决定取代，不能据此移送。")
ALREADY_TRANSFERRED = _("已就该认定办理移送，不能重复移送。")
TRANSFER_BEFORE_DECISION = _("移送日期不能早于集体研究决定的日期。")

# --- the organs' sanction -----------------------------------------------------------
MAY_NOT_RECORD_SANCTION = _("您无权记录纪检监察机关的处分情况。")
SANCTION_MISSING = _("请填写处分或处理内容。")
SANCTION_ALREADY_RECORDED = _(
    "已记录%(organ)s对%(officer)s同一行为的处分（%(sanction)s），"
    "对同一执法过错行为不能再次记录处分。"
)
SANCTION_BEFORE_TRANSFER = _("处分日期不能早于移送日期。")
# Lianyungang art. 13: no second sanction or measure by the bureau (asked by
# deliberation too, where determinations are proposed).
NO_SECOND_SANCTION = _(
    "%(organ)s已于%(date)s就同一执法过错行为对%(officer)s作出处分（%(sanction)s），"
    "依照有关规定，本局不再给予处分或者处理措施。"
)

# --- the written opinion for the intervening organs ---------------------------------
MAY_NOT_ISSUE_DUTY_OPINION = _("您无权出具书面意见。")
ORGANS_NOT_INTERVENED = _("纪检监察机关或检察机关未介入本案，无需出具依法履职情况书面意见。")
SIGNER_NOT_LEADERSHIP = _("签发人须为本单位领导班子成员。")
OPINION_OFFICERS_MISMATCH = _("意见所列执法人员与本案涉案人员不符。")
DUTY_PERFORMANCE_MISSING = _("请选择依法履职情况。")
FAULT_MISSING = _("请选择是否存在执法过错。")
OPINION_REASONING_MISSING = _("请写明对%(officer)s的意见理由。")
OPINIONS_MISSING = _("尚未就以下执法人员提出意见：%(names)s")
DUTY_OPINION_NOT_IN_STATE = _("案件当前处于“%(state)s”阶段，不能出具书面意见。")
