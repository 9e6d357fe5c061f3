"""What can go wrong when a false report about an officer is recorded and
their name cleared, or a certificate of no effect is asked for, as the user
is told it.

Every refusal and validation message of the vindication app is named here;
tests assert through the name. The text is the msgid in
locale/*/django.po. Messages with parameters are formatted where raised."""

from django.utils.translation import gettext_lazy as _

# --- permission ---------------------------------------------------------------------
MAY_NOT_HANDLE = _("您无权办理该澄清正名事项。")
OWN_RECORD = _("涉及本人的反映，应由其他领导班子成员或管理员办理。")
MAY_NOT_RECORD_FOR_OFFICERS = _("您无权为所选执法人员登记。")
MAY_NOT_REQUEST_CERTIFICATE = _("您无权申请出具不受影响证明。")

# --- recording a report -------------------------------------------------------------
OFFICERS_MISSING = _("请选择被反映的执法人员。")
OFFICERS_OF_SEVERAL_UNITS = _("同一记录中的执法人员须属同一单位，请按单位分别登记。")
NATURE_MISSING = _("请选择反映性质。")
CHANNEL_MISSING = _("请选择反映渠道。")
CONTENT_MISSING = _("请写明反映的内容。")
CASE_NOT_FOUND = _("找不到该案件，或您无权查看。")
NOT_SUBJECTS_OF_CASE = _("%(names)s不是该案件的涉案执法人员。")
NO_REGULATION = _("%(unit)s没有适用的免责办法，无法登记。")
OFFICER_NOT_FOUND = _("在您可查看的单位中没有找到该执法人员。")
DATE_RANGE_REVERSED = _("截止日期不能早于起始日期。")

# --- dates of the steps -------------------------------------------------------------
DATE_MISSING = _("请填写日期。")
DATE_IN_FUTURE = _("日期不能晚于今天。")
DATE_TOO_EARLY = _("日期不能早于%(what)s（%(date)s）。")

# --- the steps: finding, decision, notice, closing ----------------------------------
VERIFIER_MISSING = _("请写明核实单位或人员。")
VERIFICATION_BASIS_MISSING = _("请写明核实依据。")
NOT_CLARIFIED_REASON_MISSING = _("请写明不予澄清的理由。")
DECIDING_BODY_MISSING = _("请写明作出决定的机关或会议。")
SCOPE_MISSING = _("请选择公开范围。")
ALREADY_FOUND = _("已记录核实结论，不能重复记录。")
DECIDE_BEFORE_FINDING = _("尚未核实反映不实，不能决定澄清正名。")
ISSUE_BEFORE_DECISION = _("尚未决定澄清正名，不能发布澄清正名通知。")
CLOSE_AFTER_DECISION = _("已决定澄清正名，不能再了结为不予澄清。")
UNKNOWN_MOVE = _("没有这个办理操作。")
FINAL_NOTICE_ISSUED = _("澄清正名通知已发布，记录不能再更改。")
FINAL_SUBSTANTIATED = _("经核实反映属实，记录已了结，不能再更改。")
FINAL_CLOSED = _("记录已了结（不予澄清），不能再更改。")

# --- the clarification notice (vindication.documents) ----------------------------------
NOTICE_NOT_DECIDED = _("尚未核实反映不实并决定澄清正名，不能生成澄清正名通知。")
NOTICE_NO_ARTICLE = _("《%(title)s》中没有澄清正名的条款。")

# --- certificates of no effect --------------------------------------------------------
NOT_A_SUBJECT_OFFICER = _("该执法人员不是本案的涉案执法人员。")
CERTIFICATE_PENDING = _("该执法人员的不受影响证明正在生成，请稍候。")
