"""What can go wrong when an officer records interference or asks for
protection, as the user is told it.

Every refusal and validation message of the protections app is named here;
tests assert through the name. The text is the msgid in
locale/*/django.po. Messages with parameters are formatted where raised."""

from django.utils.translation import gettext_lazy as _

# --- permission ---------------------------------------------------------------------
ONLY_ADMIN_DESIGNATES = _("只有系统管理员可以指定查阅人和承办人。")
ONLY_ADMIN_REVOKES = _("只有系统管理员可以取消指定。")
ONLY_OFFICER_RECORDS_INTERFERENCE = _("只有行政执法人员本人可以记录干预执法情况。")
ONLY_OWN_ENTRY_CORRECTED = _("只能更正本人的记录。")
MAY_NOT_VIEW_ENTRY = _("您无权查看该记录。")
MAY_NOT_LINK_CASE = _("您无权为该记录关联案件。")
MAY_NOT_UNLINK_CASE = _("您无权为该记录取消关联案件。")
MAY_NOT_EXPORT_REGISTER = _("您无权导出干预执法记录。")
ONLY_OFFICER_REQUESTS_PROTECTION = _("只有行政执法人员本人可以提出保护申请。")
ONLY_HANDLER_HANDLES_REQUEST = _("只有指定的承办人可以办理保护申请。")
ONLY_HANDLER_RECORDS_POLICE = _("只有指定的承办人可以记录协调情况。")

# --- designations -------------------------------------------------------------------
DESIGNATION_KIND_MISSING = _("请选择指定事项。")
DESIGNATION_BASIS_MISSING = _("请写明指定依据。")
READER_NOT_LEADER = _("只能指定领导班子成员查阅干预执法记录。")
DESIGNEE_NOT_OF_UNIT = _("被指定人不属于该单位或其上级单位。")
ALREADY_DESIGNATED = _("该人员已被指定负责该单位的此项事务。")

# --- the interference register ------------------------------------------------------
ENTRY_IMMUTABLE = _("干预执法记录提交后不能修改或删除；如需更正，请新增一条更正记录。")
OCCURRED_IN_FUTURE = _("发生时间不能晚于现在。")
ALREADY_CORRECTED = _("该记录已被更正，请在最新的更正记录上更正。")
CORRECTION_REASON_MISSING = _("更正记录须写明更正理由。")
CHANNEL_DETAIL_MISSING = _("选择“其他方式”时，请写明具体方式。")
OCCURRED_AT_MISSING = _("请填写发生时间。")
INTERFERER_MISSING = _("请填写干预人（不知姓名的写“不详”）。")
CHANNEL_MISSING = _("请选择干预方式。")
MATTER_MISSING = _("请写明涉及的案件或执法事项。")
REQUEST_CONTENT_MISSING = _("请写明干预的具体内容。")
RESPONSE_MISSING = _("请写明您是如何处理的。")
TOO_MANY_ATTACHMENTS = _("一条记录最多上传 %(limit)s 个附件。")
CASE_NOT_FOUND = _("未找到该编号的案件，或您无权查看该案件。")
ALREADY_LINKED = _("该记录已关联此案件。")
NOT_LINKED = _("该记录未关联此案件。")
EXPORT_FILTER_INVALID = _("筛选条件有误，请修改后再导出。")
DATE_RANGE_REVERSED = _("结束日期不能早于开始日期。")

# --- protection requests ------------------------------------------------------------
AFFECTED_PERSON_MISSING = _("请选择受侵害人。")
AFFECTED_NAME_MISSING = _("受侵害人是近亲属的，请写明其姓名。")
INCIDENT_KIND_MISSING = _("请选择遭遇的情形。")
PLACE_MISSING = _("请填写发生地点。")
DESCRIPTION_MISSING = _("请写明经过。")
DUTY_CONNECTION_MISSING = _("请写明与依法履职的关系（因哪项执法工作）。")
UNKNOWN_MOVE = _("没有这个办理操作。")
MOVE_NOT_FROM_HERE = _("当前状态为“%(status)s”，不能%(move)s。")
NO_POLICE_RECORD = _("尚无协调公安机关的记录，请先记录协调情况。")
OUTCOME_MISSING = _("办结时须写明办理结果。")
POLICE_NOT_NOW = _("当前状态为“%(status)s”，不能记录协调公安机关情况。")
CONTACT_DATE_MISSING = _("请填写协调日期。")
CONTACT_DATE_IN_FUTURE = _("协调日期不能晚于今天。")
POLICE_NAME_MISSING = _("请填写公安机关名称。")
MEASURES_MISSING = _("请写明协调事项和采取的措施。")
