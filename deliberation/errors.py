"""What can go wrong in the collective decision, as the user is told it.

Every refusal and validation message of the deliberation app is named here,
so that a reader sees in one place what the app refuses and why, and tests
assert through the name rather than repeating the Chinese. The text of each
message is its msgid in locale/*/django.po. Messages with parameters use
named placeholders and are formatted where they are raised
(`errors.X % {...}`).

Two refusals are the cases app's rules and raised with its names: a clause
outside the case's regulation (cases.errors.CLAUSES_OUTSIDE_REGULATION) and
an officer who is not a subject of the case (cases.errors.NOT_A_SUBJECT_OFFICER).
A sanction after the organs' own is refused with filing's reason
(filing.services.transfer.second_sanction_refusal)."""

from django.utils.translation import gettext_lazy as _

# --- permission ---------------------------------------------------------------------
MAY_NOT_CONVENE = _("只有领导班子成员可以召集集体研究。")
MAY_NOT_RECORD_ATTENDANCE = _("您无权记录出席情况。")
MAY_NOT_PROPOSE = _("您无权提出认定意见。")
MAY_NOT_CHANGE_PROPOSAL = _("您无权撤回或修改认定意见。")
MAY_NOT_VOTE = _("只有参会的领导班子成员可以表态。")
NOT_A_MEETING_MEMBER = _("您不是本次会议的参会成员。")
MAY_NOT_CLOSE_VOTE = _("只有主要负责人可以宣布表决结果。")
NOT_THE_MEETINGS_CHAIR = _("只有本次会议的主持人可以宣布表决结果。")

# --- the case's stage ---------------------------------------------------------------
NOT_IN_DELIBERATION = _("案件当前处于“%(state)s”阶段，不能再进行集体研究。")
NOT_YET_IN_DELIBERATION = _("案件尚未进入集体研究阶段。")

# --- convening the meeting ----------------------------------------------------------
CHAIR_NOT_A_MEMBER = _("主要负责人须为参会成员。")
NOT_LEADERSHIP = _("以下人员不是领导班子成员：%(names)s")
CHAIR_NOT_UNIT_CHAIR = _("主持表决的须为主要负责人。")
PLACE_MISSING = _("请填写会议地点。")
MEETING_ALREADY_OPEN = _("本案已有正在表决的会议。")
NO_OPEN_MEETING = _("当前没有正在表决的会议。")

# --- attendance and recusal ---------------------------------------------------------
ATTENDANCE_INVALID = _("出席情况无效。")
RECUSAL_REASON_MISSING = _("请写明回避理由。")
MEETING_CLOSED = _("会议已闭会，不能再修改。")
ATTENDANCE_FIXED_AFTER_VOTING_BEGAN = _("表决已经开始，不能再修改出席情况。")
SUBJECT_OFFICER_MUST_RECUSE = _("涉案执法人员本人必须回避。")

# --- proposing a determination ------------------------------------------------------
OUTCOME_INVALID = _("认定结果无效。")
REASONS_MISSING = _("请写明认定理由。")
EXEMPT_NEEDS_EXEMPTION_CLAUSE = _("不予追究责任须援引至少一项免责条款或原则条款。")
MITIGATED_NEEDS_MITIGATION_CLAUSE = _("从轻或者减轻追究须援引至少一项从轻、减轻条款。")
NO_TRANSFER_PROCEDURE = _("本案适用的免责办法未规定移送纪检监察机关的程序。")
SCOPE_INVALID = _("公开范围无效。")
MEASURE_INVALID = _("处理措施无效。")
MEASURE_NOT_WITH_OUTCOME = _("该认定结果不能附加处理措施。")
MEASURE_NOT_IN_REGULATION = _("本案适用的免责办法未规定该处理措施。")
MEASURE_CONTENT_MISSING = _("处理措施为“%(measure)s”的，须写明具体内容。")
# A departure from the engine's proposal or a cited clause not satisfied: the
# problems, joined by "；", then DEPARTURE_REASON_MISSING after them.
DEPARTS_FROM_PROPOSAL = _("认定结果与系统建议（%(proposal)s）不一致")
CITED_NOT_SATISFIED = _("援引的条款在集体研究阶段的事实下不成立：%(refs)s")
DEPARTURE_REASON_MISSING = _("，须书面写明理由。")
PRECEDENT_DEPARTURE_REASON_MISSING = _(
    "最相似的%(total)s件已决案例中有%(count)s件认定为“%(outcome)s”，"
    "本认定结果与之不一致，须书面写明理由。"
)
PROPOSAL_AFTER_CLOSE = _("会议已闭会，不能再提出认定意见。")
ALREADY_PROPOSED = _("已就该执法人员提出认定意见。")

# --- withdrawing or amending a proposal ---------------------------------------------
PROPOSAL_FIXED_AFTER_CLOSE = _("会议已闭会，认定意见不能再撤回或修改。")
PROPOSAL_FIXED_AFTER_VOTING_BEGAN = _("表决已经开始，认定意见不能再撤回或修改。")
WITHDRAWAL_REASON_MISSING = _("请写明撤回理由。")
AMENDMENT_CHANGES_OFFICER = _("修改认定意见不能更换执法人员。")

# --- voting -------------------------------------------------------------------------
VOTING_CLOSED = _("表决已结束，不能再表态。")
NOT_PRESENT = _("回避或缺席的成员不参加表决。")
ALREADY_VOTED = _("您已对该项表态，表态不能更改。")
POSITION_MISSING = _("请选择表态。")
VOTE_REASONING_MISSING = _("请简要说明理由。")
VOTE_CHAIR_LAST = _("主要负责人末位表态：请待%(names)s表态后再表态。")

# --- announcing the result ----------------------------------------------------------
VOTE_ALREADY_CLOSED = _("表决已经结束。")
NO_PROPOSAL = _("尚未提出任何认定意见。")
VOTES_MISSING = _("尚有出席成员未就%(officer)s的认定意见表态。")
