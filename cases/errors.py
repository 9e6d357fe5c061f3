"""What can go wrong in a case, as the user is told it.

Every refusal and validation message of the cases app is named here, so that
a reader sees in one place what the app refuses and why, and tests assert
through the name rather than repeating the Chinese. The text of each message
is its msgid in locale/*/django.po: change it here and the translations
follow. Messages with parameters use named placeholders and are formatted
where they are raised (`errors.X % {...}`)."""

from django.utils.translation import gettext_lazy as _

# --- permission ---------------------------------------------------------------------
NOT_YOUR_DRAFT = _("这不是您的登记草稿。")
MAY_NOT_REGISTER = _("您无权登记案件。")
MAY_NOT_REGISTER_IN_UNIT = _("您无权在该单位登记案件。")
MAY_NOT_EDIT_INTAKE = _("您无权修改本案的登记信息。")
MAY_NOT_UPLOAD_EVIDENCE = _("您无权为本案上传证据。")
MAY_NOT_RECORD_FACTS = _("您无权在此阶段记录事实。")
MAY_NOT_CONFIRM_FACTS = _("您无权在此阶段确认事实。")
MAY_NOT_RECORD_FACTS_HERE = _("您无权在此阶段记录事实，或案件不在此阶段。")
MAY_NOT_CONFIRM_FACTS_HERE = _("您无权在此阶段确认事实，或案件不在此阶段。")
MAY_NOT_CHANGE_REGULATION = _("只有本单位主要负责人可以变更适用的免责办法。")
MAY_NOT_ASSIGN_TEAM = _("只有本单位的案件督办人（或经单位允许的登记人）可以指派调查组。")
MAY_NOT_ACT = _("您无权执行此操作。")

# --- intake (registration, its draft and the intake form) ---------------------------
UNKNOWN_INTAKE_STEP = _("未知的登记步骤。")
INTAKE_INCOMPLETE = _("登记信息尚未填写完整，不能提交。")
DRAFT_ALREADY_REGISTERED = _("案件已登记，不能再通过登记草稿修改。")
FINISH_STEP_FIRST = _("请先完成“%(step)s”这一步。")
NO_SUBJECT_OFFICERS = _("请至少选择一名涉及的执法人员。")
OFFICERS_OUTSIDE_UNIT = _("执法人员不属于承办单位：%(names)s")
OFFICER_OUTSIDE_UNIT_OR_GONE = _("该执法人员不属于承办单位或已不在岗，请重新选择。")
DUPLICATE_OFFICER = _("同一执法人员不能重复列入。")
TOO_MANY_OFFICERS = _("一次最多列入 %(num)d 名执法人员。")
SUMMARY_TOO_SHORT = _("事件概要过短，请至少写 10 个字。")
INCIDENT_DATE_IN_FUTURE = _("行为发生日期不能晚于今天。")
NO_REGULATION_IN_FORCE = _("%(unit)s所在辖区在%(date)s没有施行中的免责办法，无法立案审查。")
CLAUSES_FIXED_AFTER_INVESTIGATION = _("调查开始后不能再修改主张适用的条款。")
CLAUSES_OUTSIDE_REGULATION = _("条款不属于本案适用的免责办法：%(refs)s")
REGULATION_CHANGE_REASON_MISSING = _("请写明变更理由。")
REGULATION_FIXED_AFTER_DECISION = _("案件已作出决定，不能再变更适用的免责办法。")

# --- investigation team -------------------------------------------------------------
TEAM_NOT_ASSIGNABLE_IN_STATE = _("只有已登记或调查核实阶段的案件可以指派调查组。")
TEAM_FIXED_AFTER_REPORT = _("调查报告已签发，不能再变更调查组。")
NO_LEAD_INVESTIGATOR = _("请选择调查组长。")
NOT_UNIT_INVESTIGATORS = _("以下人员不是本单位的调查人员，不能指派：%(names)s")

# --- evidence ---------------------------------------------------------------------
EVIDENCE_AFTER_DECISION = _("案件已作出决定，不能再上传证据。")
EVIDENCE_DESCRIPTION_MISSING = _("请简要说明证据内容。")
FILE_TOO_LARGE = _("文件过大（%(size)s MB），单个证据文件不能超过 %(limit)s MB。")
FILE_EMPTY = _("文件是空的。")
FILE_TYPE_NOT_ACCEPTED = _("不支持的文件类型。可上传：%(types)s。")
OFFICE_DAMAGED = _("Office 文件已损坏或不是有效的文件。")
OFFICE_TOO_MANY_ENTRIES = _("Office 文件包含的部件过多，不予接收。")
OFFICE_EXPANDS_TOO_MUCH = _("Office 文件解压后过大（疑似压缩炸弹），不予接收。")
OFFICE_NESTED_ARCHIVE = _("Office 文件中嵌有其他压缩包或文档，不予接收。")
OFFICE_MACROS = _("不接收含宏的 Office 文件，请另存为不含宏的 .docx 或 .xlsx 后上传。")

# --- facts ------------------------------------------------------------------------
STAGE_RECORDS_NO_FACTS = _("该阶段不记录事实。")
FACTS_NOT_IN_STAGE = _("案件当前处于“%(state)s”阶段，不能记录“%(stage)s”阶段的事实。")
FACTS_STAGE_PASSED = _("案件已进入“%(state)s”阶段，不能再记录“%(stage)s”阶段的事实。")
CONFIRM_NOT_IN_STAGE = _("案件当前处于“%(state)s”阶段，不能确认“%(stage)s”阶段的事实。")
NOTHING_TO_CONFIRM = _("本阶段没有待确认的沿用事实。")
NOT_A_SUBJECT_OFFICER = _("该执法人员不是本案的涉案人员。")
FACT_BASIS_MISSING = _("认定此项须书面写明依据。")
FACT_EVIDENCE_MISSING = _("调查认定的事实须注明所依据的证据或说明。")
EVIDENCE_OF_OTHER_CASE = _("只能引用本案的证据材料。")
CARRIED_FACT_REASON_MISSING = _("该事实沿用自“%(stage)s”阶段，修改须写明理由。")
FACT_YES_OR_NO = _("该事实要素只能认定为“是”或“否”。")
CONSEQUENCE_LEVEL_MISSING = _("请选择后果程度。")

# --- moves (cases.services.transitions) and their guards (cases.workflow) ----------
UNKNOWN_MOVE = _("未知的操作。")
MOVE_REASON_MISSING = _("请写明理由。")
MOVE_NOT_IN_STATE = _("案件当前处于“%(state)s”阶段，不能执行“%(action)s”。")
CONFIRMATION_MISSING = _("请确认后再执行：%(consequence)s")
GUARD_NO_SUBJECT_OFFICERS = _("尚未列明涉及的执法人员，不能登记。")
GUARD_NO_ALLEGATION = _("尚未写明反映的问题，不能登记。")
GUARD_REPORT_NOT_SIGNED = _("调查报告尚未经调查组长签发，不能进入下一阶段。")
GUARD_PANEL_NOT_CONCLUDED = _("专家组尚未出具书面论证意见，不能提交集体研究。")
GUARD_DISPUTE_NEEDS_PANEL = _(
    "本案对是否依法履职或是否存在过错有争议，依照%(regulation)s第九条，"
    "须先由专家组出具书面论证意见，再提交集体研究。"
)
GUARD_DETERMINATIONS_PENDING = _("尚有执法人员的责任认定未经集体研究表决通过。")
GUARD_NOTHING_TO_FILE = _("本案没有不予追究责任的决定，无需报纪检监察机关备案。")
GUARD_NOTHING_TO_PUBLISH = _("本案没有不予追究责任的决定，无需公开。")
GUARD_FILE_BEFORE_PUBLISHING = _("不予追究责任的决定须先报同级纪检监察机关备案，再公开。")
GUARD_FILE_AND_PUBLISH_BEFORE_CLOSING = _(
    "不予追究责任的决定须经备案并在一定范围公开后，方可结案。"
)

# --- lists, exports and notifications -----------------------------------------------
EXPORT_TOO_MANY = _("符合条件的案件有 %(count)s 件，一次最多导出 %(limit)s 件；请先缩小筛选范围。")
NO_SUCH_NOTIFICATION = _("没有这条提醒。")
