"""Demo accountability cases for the embedded default (`make run`), made
through the services only, acting as the demo accounts of accounts.demo (run
seed_demo_data first): every row, document job and audit event is the one a
person working the case in the browser would have made.

Seven cases, so that every journey has something to do:

- Tai'an: one registered (the investigator is to start), one under
  investigation (findings begun, no report), one in expert review (the panel
  formed, 欧阳专家's opinion missing), one in deliberation (meeting convened,
  proposal made, nobody has voted: 孙副局长 and 周副局长 first, the chair
  last), one decided (to be filed) and one filed (the filing package waits in
  吴联络's inbox);
- Lianyungang: one decided, mitigated under art. 9(2) with criticism and
  education (the scenario of tests/flows.py).

Dates. The services stamp rows, deadlines and audit events with
`timezone.now()` and offer no way to backdate them; so that stage times,
deadlines and the overview look like months of work, the steps run under a
demo clock (`timezone.now` replaced, as tests/overview/clock.py does),
from about three months ago up to yesterday, in time order across all the
cases, so that the audit trail's time order still follows its chain order.
The clock never goes back before the latest event already in the trail: in a
database that already holds recent events, the steps planned before it happen
at that moment instead (seed a fresh database to see the whole timeline).
With a real broker (REDIS_URL) the documents are rendered by the worker on
the real clock, so their events are not back-dated.

Idempotent: a demo case is recognised by its unit and incident summary; one
already there is left as it is, neither seeded again nor taken further."""

from __future__ import annotations

import datetime
import heapq
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db.models import Max
from django.utils import timezone

from accounts.models import Officer, Unit, User
from audit.models import AuditEvent
from cases.models import Case, FactRecord, SubjectOfficer
from cases.selectors import case_detail
from cases.services.facts import fact_record, facts_confirm_carried
from cases.services.intake import (
    IncidentInput,
    SubjectOfficerInput,
    case_claims_set,
    case_create,
)
from cases.services.transitions import case_transition
from cases.workflow import Stage
from deliberation.models import Meeting
from deliberation.services import (
    ProposalInput,
    determination_propose,
    meeting_convene,
    vote_close,
    vote_record,
)
from exemptions.selectors import regulation_version_for
from filing.services.transfer import DutyOpinionInput, duty_opinion_record, transfer_record
from investigation.services import ConclusionInput, report_save, report_sign_off
from panel.services import opinion_record, panel_conclude, panel_set_up


@dataclass(frozen=True)
class Staff:
    """The demo usernames that work the cases of one bureau."""

    unit: str
    inspector: str
    investigator: str
    experts: tuple[str, ...]
    leaders: tuple[str, ...]
    chair: str


TAIAN = Staff(
    unit="泰安市市场监督管理局",
    inspector="ta_inspector",
    investigator="ta_investigator",
    experts=("ta_expert", "ta_expert2", "ta_expert3"),
    leaders=("ta_leader", "ta_leader2"),
    chair="ta_chair",
)
LIANYUNGANG = Staff(
    unit="连云港市市场监督管理局",
    inspector="lyg_inspector",
    investigator="lyg_investigator",
    experts=(),
    leaders=("lyg_leader", "lyg_leader2"),
    chair="lyg_chair",
)

# A step of a timeline: (what, days before today, time of day). What is one
# of the step names of `_STEPS`, or "opinion:<expert>" / "vote:<member>".
Step = tuple[str, int, str]


@dataclass(frozen=True)
class DemoCase:
    """One demo case: what happened, what is claimed and found, and the steps
    it has gone through so far (its timeline)."""

    key: str
    staff: Staff
    officers: tuple[tuple[str, str], ...]  # (certificate number, part)
    incident_days_ago: int
    summary: str
    place: str
    field: str
    activity_kind: str
    lead_source: str
    allegation: str
    claimed: tuple[str, ...]
    intake_facts: dict
    timeline: tuple[Step, ...]
    disputed: bool = False
    investigation_facts: dict = field(default_factory=dict)
    investigation_note: str = ""
    findings: str = ""
    report_conclusion: str = ""
    report_conclusions: tuple[tuple[str, str, str], ...] = ()  # (ref, conclusion, reasoning)
    panel_question: str = ""
    opinions: dict = field(default_factory=dict)  # expert: (position, reasoning)
    panel_conclusion: str = ""
    panel_dissent: str = ""
    deliberation_facts: dict = field(default_factory=dict)
    meeting_place: str = "局党组会议室"
    meeting_days_ahead: int = 0  # the meeting is held this many days after it is convened
    outcome: str = ""
    cited: tuple[str, ...] = ()
    measure: str = ""
    reasons: str = ""
    departure_reason: str = ""
    publication_scope: str = ""
    organs_intervened: bool = False
    # The written opinion on duty performance for the intervening organs:
    # (organ, duty_performed, fault, reasoning).
    duty_opinion: tuple[str, str, str, str] | None = None
    transfer_note: str = ""
    evidence: tuple[tuple[str, str], ...] = ()  # (file name, description)


# Each timeline's steps are in order; the cases' steps interleave by date.
DEMO_CASES = (
    DemoCase(
        key="filed",
        staff=TAIAN,
        officers=(("37090011", "handler"),),
        incident_days_ago=112,
        summary="群众通过12315平台举报，泰山区某连锁超市货架上有超过保质期的预包装乳制品在售。"
        "执法人员此前已按“双随机、一公开”抽查计划对该超市开展食品安全监督检查，检查时未发现过期食品。",
        place="泰安市泰山区东岳大街某连锁超市",
        field="food",
        activity_kind="inspection",
        lead_source="complaint",
        allegation="执法人员对该超市监督检查时未能发现过期食品，涉嫌未履行食品安全监督检查职责。",
        disputed=True,
        claimed=("6.4",),
        intake_facts={"inspection_plan_followed": True},
        investigation_facts={
            "inspection_plan_followed": True,
            "cause_outside_inspection_scope": True,
            "fault_established": False,
        },
        investigation_note="见抽查计划、检查记录表和超市进货台账",
        evidence=(
            ("双随机抽查计划.pdf", "2026年第三季度“双随机、一公开”食品安全抽查计划"),
            ("现场检查记录表.pdf", "对涉事超市的现场检查记录表，载明检查项目和时间"),
            ("超市进货台账.pdf", "涉事批次乳制品的进货台账，载明购进日期"),
        ),
        findings="经调取“双随机、一公开”抽查计划、检查记录表、执法记录仪视频和超市进货台账，"
        "并询问当事执法人员和超市负责人，查明：执法人员按计划对该超市开展检查，检查项目齐全；"
        "涉事批次乳制品系检查后第十二天购进，检查时不在货架上。",
        report_conclusion="调查组认为，当事执法人员已按检查计划履行监督检查职责，"
        "过期食品系检查后购进，符合《泰安办法》第六条第（四）项。",
        report_conclusions=(
            ("6.4", "satisfied", "已按“双随机、一公开”计划检查，过期食品系检查后购进。"),
        ),
        panel_question="当事执法人员是否已依法履行食品安全监督检查职责？",
        opinions={
            "ta_expert": ("agree", "检查记录完整，过期食品系检查后购进，同意调查组意见。"),
            "ta_expert2": ("agree", "进货台账与检查时间可以相互印证，同意调查组意见。"),
            "ta_expert3": ("disagree", "检查记录未载明临期食品的查验情况，记录不够完整。"),
        },
        panel_conclusion="专家组多数意见认为，当事执法人员已依法履行监督检查职责，"
        "可以适用《泰安办法》第六条第（四）项。",
        panel_dissent="欧阳专家认为检查记录未载明临期食品的查验情况，不同意适用。",
        deliberation_facts={
            "inspection_plan_followed": True,
            "cause_outside_inspection_scope": True,
            "fault_established": False,
        },
        outcome="exempt",
        cited=("6.4",),
        reasons="当事执法人员已按抽查计划履行监督检查职责，过期食品系检查后购进，"
        "符合《泰安办法》第六条第（四）项，不予追究责任。",
        timeline=(
            ("create", 86, "09:20"),
            ("register", 85, "10:05"),
            ("start_investigation", 83, "14:30"),
            ("evidence", 70, "10:30"),
            ("find_facts", 66, "16:10"),
            ("report", 62, "11:00"),
            ("request_expert_review", 61, "09:40"),
            ("panel", 59, "15:00"),
            ("opinion:ta_expert", 53, "10:20"),
            ("opinion:ta_expert2", 52, "16:45"),
            ("opinion:ta_expert3", 50, "09:15"),
            ("conclude_panel", 48, "14:00"),
            ("submit", 47, "10:30"),
            ("deliberation_facts", 41, "09:00"),
            ("convene", 40, "09:30"),
            ("propose", 40, "09:45"),
            ("vote:ta_leader", 40, "10:05"),
            ("vote:ta_leader2", 40, "10:08"),
            ("vote:ta_chair", 40, "10:12"),
            ("close_vote", 40, "10:15"),
            ("file", 27, "15:20"),
        ),
    ),
    DemoCase(
        key="decided",
        staff=TAIAN,
        officers=(("37090012", "handler"),),
        incident_days_ago=97,
        summary="某物业公司办理电梯使用登记时，提交了由第三方检验机构出具的定期检验报告。"
        "后经省特种设备检验研究院核查，该报告系检验机构伪造，电梯实际未经检验。",
        place="泰安市泰山区某住宅小区",
        field="special_equipment",
        activity_kind="licensing",
        lead_source="assigned_by_superior",
        allegation="执法人员办理电梯使用登记时未发现检验报告系伪造，涉嫌审查把关不严。",
        claimed=("6.1",),
        intake_facts={"formal_review_only": True},
        investigation_facts={
            "formal_review_only": True,
            "formal_review_duty_fulfilled": True,
            "false_materials_provided": True,
            "fault_established": False,
        },
        investigation_note="见使用登记申请材料、审查记录及省特检院核查意见",
        findings="经调取使用登记申请材料、审查记录和省特种设备检验研究院的核查意见，查明："
        "使用登记依法只需对申请材料进行形式审查，执法人员已逐项核对材料的完整性和签章；"
        "定期检验报告系检验机构伪造，从报告形式上无法识别。",
        report_conclusion="调查组认为，当事执法人员已尽形式审查义务，"
        "系第三方机构出具虚假材料，符合《泰安办法》第六条第（一）项。",
        report_conclusions=(
            ("6.1", "satisfied", "使用登记只需形式审查，审查义务已尽，检验报告系第三方伪造。"),
        ),
        deliberation_facts={
            "formal_review_only": True,
            "formal_review_duty_fulfilled": True,
            "false_materials_provided": True,
            "fault_established": False,
        },
        outcome="exempt",
        cited=("6.1",),
        reasons="使用登记依法只需形式审查，当事执法人员已尽审查义务，检验报告系第三方机构伪造，"
        "符合《泰安办法》第六条第（一）项，不予追究责任。",
        timeline=(
            ("create", 71, "10:15"),
            ("register", 70, "09:30"),
            ("start_investigation", 68, "15:00"),
            ("find_facts", 44, "10:40"),
            ("report", 40, "16:20"),
            ("submit", 39, "09:10"),
            ("deliberation_facts", 14, "15:30"),
            ("convene", 13, "09:00"),
            ("propose", 13, "09:20"),
            ("vote:ta_leader", 13, "09:40"),
            ("vote:ta_leader2", 13, "09:42"),
            ("vote:ta_chair", 13, "09:47"),
            ("close_vote", 13, "09:50"),
        ),
    ),
    DemoCase(
        key="deliberation",
        staff=TAIAN,
        officers=(("37090011", "handler"),),
        incident_days_ago=78,
        summary="执法人员检查某小餐馆时发现后厨生熟不分、消毒设施停用，当场下达责令改正通知书，"
        "限期五日整改。当事人拒不整改并继续营业，期间发生六名顾客腹泻事件，引发网络舆情。",
        place="泰安市岱岳区粥店街道某小餐馆",
        field="food",
        activity_kind="inspection",
        lead_source="public_opinion",
        allegation="网民反映执法人员发现问题后未及时查处，导致群体性腹泻事件，涉嫌监管不力。",
        claimed=("6.6",),
        intake_facts={"violation_handled": True},
        investigation_facts={
            "violation_handled": True,
            "counterparty_noncompliance": True,
            "harm_occurred": True,
            "fault_established": False,
        },
        investigation_note="见现场检查笔录、责令改正通知书及送达回证",
        findings="经调取现场检查笔录、责令改正通知书及送达回证，询问当事人和就餐顾客，查明："
        "执法人员检查时已发现问题并依法责令限期改正；当事人拒不整改，在整改期内继续营业，"
        "腹泻事件发生在整改期限届满前。",
        report_conclusion="调查组认为，当事执法人员对发现的问题已依法责令改正，"
        "危害后果系当事人拒不改正所致，符合《泰安办法》第六条第（六）项。",
        report_conclusions=(
            ("6.6", "satisfied", "已依法责令改正，当事人拒不整改，整改期内发生腹泻事件。"),
        ),
        deliberation_facts={
            "violation_handled": True,
            "counterparty_noncompliance": True,
            "harm_occurred": True,
            "fault_established": False,
        },
        meeting_place="局三楼会议室",
        meeting_days_ahead=1,
        outcome="exempt",
        cited=("6.6",),
        reasons="当事执法人员对发现的问题已依法责令改正，因当事人拒不改正发生危害后果，"
        "符合《泰安办法》第六条第（六）项，不予追究责任。",
        timeline=(
            ("create", 63, "14:00"),
            ("register", 62, "09:45"),
            ("start_investigation", 60, "10:30"),
            ("find_facts", 27, "15:15"),
            ("report", 23, "10:00"),
            ("submit", 22, "14:40"),
            ("deliberation_facts", 3, "16:00"),
            ("convene", 1, "11:00"),
            ("propose", 1, "11:20"),
        ),
    ),
    DemoCase(
        key="expert_review",
        staff=TAIAN,
        officers=(("37090011", "handler"),),
        incident_days_ago=70,
        summary="省局化妆品抽检发现，某美容院使用的一款祛斑霜汞含量超标。执法人员此前检查该美容院时，"
        "已查验产品进货票据和备案信息，现场不具备检测汞含量的条件。",
        place="泰安市泰山区财源街道某美容院",
        field="cosmetics",
        activity_kind="inspection",
        lead_source="found_in_inspection",
        allegation="执法人员检查时未发现美容院使用汞超标化妆品，涉嫌监督检查不到位。",
        disputed=True,
        claimed=("6.5",),
        intake_facts={"prescribed_items_inspected": True},
        investigation_facts={
            "prescribed_items_inspected": True,
            "objective_limitations": True,
            "fault_established": False,
        },
        investigation_note="见检查记录表、进货查验记录及快检设备配置清单",
        findings="经调取检查记录表、进货查验记录和本局快检设备配置清单，查明：执法人员已按规定的"
        "检查项目查验票据和备案信息；汞含量须经实验室检测，现场快检设备无法检出。",
        report_conclusion="调查组认为，当事执法人员已按规定项目开展检查，因技术条件所限未能发现问题，"
        "符合《泰安办法》第六条第（五）项。",
        report_conclusions=(
            ("6.5", "satisfied", "已按规定项目检查，汞含量须实验室检测，现场无法发现。"),
        ),
        panel_question="现场检查时未能发现祛斑霜汞含量超标，是否属于技术条件所限？",
        opinions={
            "ta_expert": ("agree", "汞含量须经实验室检测，现场快检无法检出，同意调查组意见。"),
            "ta_expert2": ("agree", "检查项目符合化妆品监督检查要点，同意调查组意见。"),
        },
        timeline=(
            ("create", 52, "09:10"),
            ("register", 51, "10:20"),
            ("start_investigation", 49, "14:10"),
            ("find_facts", 29, "11:30"),
            ("report", 26, "15:40"),
            ("request_expert_review", 24, "09:20"),
            ("panel", 22, "10:00"),
            ("opinion:ta_expert", 15, "16:30"),
            ("opinion:ta_expert2", 12, "10:50"),
        ),
    ),
    DemoCase(
        key="investigating",
        staff=TAIAN,
        officers=(("37090012", "handler"),),
        incident_days_ago=38,
        summary="消费者投诉某连锁药店促销商品结算价高于标示价。执法人员受理投诉后，"
        "超过规定时限七日才进行核查和答复，经提醒后已补办核查并答复投诉人。",
        place="泰安市泰山区某连锁药店",
        field="pricing",
        activity_kind="inspection",
        lead_source="complaint",
        allegation="执法人员未在规定时限内核查处理价格投诉，涉嫌不正确履行职责。",
        claimed=("6.15",),
        intake_facts={"self_corrected": True},
        investigation_facts={"fault_minor": True},
        investigation_note="见投诉登记台账及答复记录",
        timeline=(
            ("create", 25, "11:00"),
            ("register", 24, "09:30"),
            ("start_investigation", 21, "15:20"),
            ("find_facts", 8, "10:10"),
        ),
    ),
    DemoCase(
        key="registered",
        staff=TAIAN,
        officers=(("37090011", "handler"), ("37090012", "reviewer")),
        incident_days_ago=33,
        summary="群众举报某医疗美容诊所在短视频平台发布含有“治愈率”“无效退款”等内容的医疗广告。"
        "执法人员核查后，认为该诊所医疗广告审查证明的查处属卫生健康部门职责，已将线索移送。",
        place="泰安市泰山区某医疗美容诊所",
        field="advertising",
        activity_kind="penalty",
        lead_source="complaint",
        allegation="举报人认为执法人员对违法医疗广告未立案查处，涉嫌不作为。",
        claimed=("6.9",),
        intake_facts={"outside_jurisdiction_or_joint": True, "clue_transferred": True},
        # Registered three weeks ago: past its 10 working days whatever the
        # holidays in between, so the demo always has an overdue case.
        timeline=(
            ("create", 22, "16:20"),
            ("register", 21, "09:15"),
        ),
    ),
    DemoCase(
        key="lianyungang_decided",
        staff=LIANYUNGANG,
        officers=(("32070012", "handler"),),
        incident_days_ago=101,
        summary="某药店在未凭处方的情况下向顾客销售处方药。执法人员此前现场检查时发现该药店"
        "处方药销售登记不全，但未依法责令整改。",
        place="连云港市海州区某药店",
        field="drugs",
        activity_kind="inspection",
        lead_source="found_in_inspection",
        allegation="执法人员检查时发现问题未依法处理，涉嫌不正确履行监督检查职责。",
        claimed=("9.2",),
        intake_facts={"consequence": "minor"},
        investigation_facts={
            "consequence": "minor",
            "fault_established": True,
            "intentional_violation": False,
            "gross_negligence": False,
            "admitted_and_cooperated": True,
        },
        investigation_note="见现场检查笔录及当事执法人员的书面说明",
        findings="经调取现场检查笔录、询问当事执法人员，查明：执法人员检查时已发现处方药销售登记"
        "不全，但仅作口头提醒，未依法责令整改；调查中当事执法人员主动承认错误，积极配合调查。",
        report_conclusion="调查组认为，当事执法人员存在执法过错，情节轻微，"
        "主动承认错误并积极配合调查，符合《连云港办法》第九条第（二）项。",
        report_conclusions=(("9.2", "satisfied", "主动承认错误，积极配合调查。"),),
        deliberation_facts={
            "consequence": "minor",
            "fault_established": True,
            "intentional_violation": False,
            "gross_negligence": False,
            "admitted_and_cooperated": True,
        },
        outcome="mitigated",
        cited=("9.2",),
        measure="criticism_education",
        reasons="存在执法过错，情节轻微，主动承认错误并积极配合调查，"
        "依照第九条第（二）项、第十二条予以批评教育。",
        timeline=(
            ("create", 80, "10:00"),
            ("register", 79, "09:20"),
            ("start_investigation", 77, "14:45"),
            ("find_facts", 58, "10:30"),
            ("report", 55, "15:00"),
            ("submit", 54, "09:40"),
            ("deliberation_facts", 22, "14:20"),
            ("convene", 20, "09:00"),
            ("propose", 20, "09:15"),
            ("vote:lyg_leader", 20, "09:35"),
            ("vote:lyg_leader2", 20, "09:38"),
            ("vote:lyg_chair", 20, "09:42"),
            ("close_vote", 20, "09:45"),
        ),
    ),
    DemoCase(
        key="lianyungang_transferred",
        staff=LIANYUNGANG,
        officers=(("32070011", "approver"),),
        incident_days_ago=95,
        summary="某食品经营者提交的许可申请材料中，经营场所证明系伪造。执法人员受理审查时收受"
        "申请人所送购物卡，在未实地核查的情况下即予批准。",
        place="连云港市行政审批局政务服务大厅",
        field="food",
        activity_kind="licensing",
        lead_source="complaint",
        allegation="执法人员收受申请人财物，违规批准食品经营许可，涉嫌职务违法。",
        claimed=("8.2",),
        organs_intervened=True,
        intake_facts={"formal_review_only": False},
        investigation_facts={
            "fault_established": True,
            "intentional_violation": True,
            "personal_gain": True,
        },
        investigation_note="见许可审批档案、购物卡流水及当事执法人员的谈话笔录",
        findings="经调取许可审批档案、购物卡消费流水，询问申请人和当事执法人员，查明：当事执法人员"
        "受理申请后收受申请人所送购物卡一张，未按规定实地核查即签署审批意见。",
        report_conclusion="调查组认为，当事执法人员故意违法并谋取私利，不适用免责条款，"
        "其行为涉嫌职务违法，建议移送纪检监察机关处理。",
        report_conclusions=(("8.2", "not_met", "故意违法并谋取私利，不适用。"),),
        deliberation_facts={
            "fault_established": True,
            "intentional_violation": True,
            "personal_gain": True,
        },
        outcome="transferred",
        reasons="当事执法人员收受申请人财物并违规审批，涉嫌职务违法，"
        "依照《连云港办法》第十三条移送纪检监察机关处理。",
        departure_reason="涉嫌职务违法，依照第十三条应当移送纪检监察机关，不由本局追究。",
        duty_opinion=(
            "连云港市纪委监委驻市市场监管局纪检监察组",
            "not_performed",
            "fault",
            "当事执法人员未按规定对经营场所进行实地核查，且收受申请人财物，未依法履行审查职责。",
        ),
        transfer_note="随函移送案卷材料，当事执法人员已暂停执法工作。",
        timeline=(
            ("create", 90, "09:10"),
            ("register", 89, "10:00"),
            ("start_investigation", 88, "09:30"),
            ("find_facts", 70, "16:00"),
            ("report", 66, "10:15"),
            ("submit", 65, "09:00"),
            ("duty_opinion", 40, "15:30"),
            ("deliberation_facts", 16, "10:00"),
            ("convene", 15, "09:00"),
            ("propose", 15, "09:20"),
            ("vote:lyg_leader", 15, "09:40"),
            ("vote:lyg_leader2", 15, "09:44"),
            ("vote:lyg_chair", 15, "09:50"),
            ("close_vote", 15, "09:55"),
            ("transfer", 12, "14:00"),
        ),
    ),
)


# --- the demo clock ---------------------------------------------------------------


class DemoClock:
    """A `timezone.now` that reads the time of the step being made. It never
    goes back: not before the moment it was last set to, nor before `floor`
    (the latest event already in the audit trail)."""

    def __init__(self, floor: datetime.datetime | None = None):
        self.now = floor

    def __call__(self) -> datetime.datetime:
        return self.now

    def set(self, moment: datetime.datetime) -> None:
        self.now = moment if self.now is None else max(self.now, moment)


@contextmanager
def demo_clock(clock: DemoClock) -> Iterator[DemoClock]:
    """Let `clock` stand in for `timezone.now` inside the block."""
    real_now = timezone.now
    timezone.now = clock
    try:
        yield clock
    finally:
        timezone.now = real_now


# --- the steps --------------------------------------------------------------------


@dataclass
class Run:
    """One demo case being worked: its data, the people, the case (reloaded
    after every step) and its meeting once there is one."""

    demo: DemoCase
    users: dict[str, User]
    unit: Unit
    officers: list[tuple[Officer, str]]
    today: datetime.date
    case: Case | None = None
    meeting: Meeting | None = None

    def user(self, username: str) -> User:
        return self.users[username]

    @property
    def inspector(self) -> User:
        return self.users[self.demo.staff.inspector]

    @property
    def investigator(self) -> User:
        return self.users[self.demo.staff.investigator]

    @property
    def chair(self) -> User:
        return self.users[self.demo.staff.chair]

    def subject_officers(self) -> list[SubjectOfficer]:
        return list(self.case.subject_officers.select_related("officer").order_by("id"))

    def reload(self) -> None:
        self.case = case_detail(self.case.pk)

    def move(self, name: str, actor: User) -> None:
        case_transition(actor=actor, case_id=self.case.pk, name=name)
        self.reload()

    def record_facts(self, stage: str, facts: dict, actor: User, note: str = "") -> None:
        for key, value in facts.items():
            fact_record(
                actor=actor,
                case=self.case,
                stage=stage,
                fact_key=key,
                value=value,
                note=note,
                # Used only where the value amends a fact carried from the
                # previous stage.
                reason="经本阶段核实，修改沿用的认定",
            )
        self.reload()


def _create(run: Run) -> None:
    demo = run.demo
    case = case_create(
        actor=run.inspector,
        unit=run.unit,
        incident=IncidentInput(
            summary=demo.summary,
            date=run.today - datetime.timedelta(days=demo.incident_days_ago),
            place=demo.place,
            field=demo.field,
            activity_kind=demo.activity_kind,
            lead_source=demo.lead_source,
            allegation=demo.allegation,
            disputed=demo.disputed,
            organs_intervened=demo.organs_intervened,
        ),
        subject_officers=[SubjectOfficerInput(officer, part) for officer, part in run.officers],
    )
    run.case = case_detail(case.pk)
    for subject_officer in run.subject_officers():
        case_claims_set(
            actor=run.inspector,
            case=run.case,
            subject_officer=subject_officer,
            clause_refs=list(demo.claimed),
        )
    run.record_facts(Stage.INTAKE, demo.intake_facts, run.inspector)


def _find_facts(run: Run) -> None:
    run.record_facts(
        Stage.INVESTIGATION,
        run.demo.investigation_facts,
        run.investigator,
        note=run.demo.investigation_note,
    )


def _report(run: Run) -> None:
    """The investigator saves the report and, as lead investigator, signs it."""
    demo = run.demo
    report = report_save(
        actor=run.investigator,
        case=run.case,
        findings_summary=demo.findings,
        conclusion=demo.report_conclusion,
        conclusions=[
            ConclusionInput(subject_officer, ref, conclusion, reasoning)
            for subject_officer in run.subject_officers()
            for ref, conclusion, reasoning in demo.report_conclusions
        ],
        base_version=None,
    )
    report_sign_off(actor=run.investigator, case=run.case, version=report.version)
    run.reload()


def _panel(run: Run) -> None:
    panel_set_up(
        actor=run.inspector,
        case=run.case,
        members=[run.user(name) for name in run.demo.staff.experts],
        question=run.demo.panel_question,
        disputed=[(so, ref) for so in run.subject_officers() for ref in run.demo.claimed],
    )
    run.reload()


def _opinion(run: Run, expert: str) -> None:
    position, reasoning = run.demo.opinions[expert]
    for disputed in run.case.expert_panel.disputed.all():
        opinion_record(
            actor=run.user(expert),
            disputed_clause=disputed,
            position=position,
            reasoning=reasoning,
        )


def _conclude_panel(run: Run) -> None:
    panel_conclude(
        actor=run.user(run.demo.staff.experts[0]),
        case=run.case,
        conclusion=run.demo.panel_conclusion,
        dissent=run.demo.panel_dissent,
    )
    run.reload()


def _deliberation_facts(run: Run) -> None:
    """The leadership holds the facts carried from the investigation: it
    records its own findings and confirms the rest at once."""
    leader = run.user(run.demo.staff.leaders[0])
    run.record_facts(Stage.DELIBERATION, run.demo.deliberation_facts, leader)
    pending = FactRecord.objects.filter(
        case=run.case, stage=Stage.DELIBERATION, confirmed_at__isnull=True
    ).exclude(carried_from="")
    if pending.exists():
        facts_confirm_carried(actor=leader, case=run.case, stage=Stage.DELIBERATION)
        run.reload()


def _convene(run: Run) -> None:
    staff = run.demo.staff
    run.meeting = meeting_convene(
        actor=run.chair,
        case=run.case,
        held_on=timezone.localdate() + datetime.timedelta(days=run.demo.meeting_days_ahead),
        place=run.demo.meeting_place,
        members=[*(run.user(name) for name in staff.leaders), run.chair],
        chair=run.chair,
    )


def _propose(run: Run) -> None:
    demo = run.demo
    for subject_officer in run.subject_officers():
        determination_propose(
            actor=run.inspector,
            meeting=run.meeting,
            proposal=ProposalInput(
                subject_officer=subject_officer,
                outcome=demo.outcome,
                cited_clauses=list(demo.cited),
                reasons=demo.reasons,
                measure=demo.measure,
                departure_reason=demo.departure_reason,
                publication_scope=demo.publication_scope,
            ),
        )


def _vote(run: Run, member: str) -> None:
    for determination in run.meeting.determinations.order_by("id"):
        vote_record(
            actor=run.user(member),
            determination=determination,
            position="agree",
            reasoning="同意调查组意见和认定理由。",
        )


def _close_vote(run: Run) -> None:
    vote_close(actor=run.chair, meeting=run.meeting)  # the case moves to decided
    run.reload()


def _evidence(run: Run) -> None:
    """Upload the demo evidence: small PDFs marked as demo samples."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils.html import escape

    from cases.services.evidence import evidence_upload
    from documents.rendering import html_to_pdf

    for name, description in run.demo.evidence:
        content = html_to_pdf(
            f"<p>{escape(name)}</p><p>{escape(description)}</p><p>（演示数据，样本）</p>"
        ).content
        evidence_upload(
            actor=run.investigator,
            case=run.case,
            upload=SimpleUploadedFile(name, content, content_type="application/pdf"),
            description=description,
        )


def _duty_opinion(run: Run) -> None:
    organ, duty_performed, fault, reasoning = run.demo.duty_opinion
    duty_opinion_record(
        actor=run.inspector,
        case=run.case,
        issued_on=timezone.localdate(),
        signed_by=run.chair,
        organ_name=organ,
        basis="本局组织法制、业务骨干对许可审批档案和调查材料进行了论证。",
        items=[
            DutyOpinionInput(
                subject_officer=subject_officer,
                duty_performed=duty_performed,
                fault=fault,
                reasoning=reasoning,
            )
            for subject_officer in run.subject_officers()
        ],
    )


def _transfer(run: Run) -> None:
    organ = run.demo.duty_opinion[0] if run.demo.duty_opinion else ""
    for determination in run.case.determinations.filter(status="adopted", outcome="transferred"):
        transfer_record(
            actor=run.inspector,
            determination=determination,
            transferred_on=timezone.localdate(),
            organ_name=organ,
            note=run.demo.transfer_note,
        )


_STEPS: dict[str, Callable[[Run], None]] = {
    "create": _create,
    "register": lambda run: run.move("register", run.inspector),
    "start_investigation": lambda run: run.move("start_investigation", run.investigator),
    "find_facts": _find_facts,
    "report": _report,
    "request_expert_review": lambda run: run.move("request_expert_review", run.investigator),
    "panel": _panel,
    "conclude_panel": _conclude_panel,
    "submit": lambda run: run.move("submit_for_deliberation", run.investigator),
    "deliberation_facts": _deliberation_facts,
    "convene": _convene,
    "propose": _propose,
    "close_vote": _close_vote,
    "file": lambda run: run.move("file", run.inspector),  # builds the filing package
    "duty_opinion": _duty_opinion,
    "evidence": _evidence,
    "transfer": _transfer,
}
_STEPS_WITH_PERSON = {"opinion": _opinion, "vote": _vote}


def _make(step: str, run: Run) -> None:
    name, _, person = step.partition(":")
    if person:
        _STEPS_WITH_PERSON[name](run, person)
    else:
        _STEPS[name](run)


def _walk(run: Run) -> Iterator[datetime.datetime]:
    """Yield the time of each step of the case's timeline, then make it once
    resumed (with the clock set to that time)."""
    tz = timezone.get_current_timezone()
    for step, days_ago, clock_time in run.demo.timeline:
        hour, minute = map(int, clock_time.split(":"))
        yield datetime.datetime.combine(
            run.today - datetime.timedelta(days=days_ago), datetime.time(hour, minute), tz
        )
        _make(step, run)


# --- seeding ----------------------------------------------------------------------


def _existing(demo: DemoCase, unit: Unit) -> Case | None:
    return Case.objects.filter(unit=unit, incident_summary=demo.summary).order_by("pk").first()


def _run_for(demo: DemoCase, users: dict[str, User], today: datetime.date) -> Run | None:
    """What a demo case needs, or None when the demo organisation or the
    catalogue it falls under is not there."""
    staff = demo.staff
    unit = Unit.objects.filter(name=staff.unit).first()
    names = {staff.inspector, staff.investigator, staff.chair, *staff.experts, *staff.leaders}
    officers = {
        o.certificate_number: o
        for o in Officer.objects.filter(certificate_number__in=[c for c, _ in demo.officers])
    }
    if unit is None or not names <= users.keys() or len(officers) != len(demo.officers):
        return None
    incident_date = today - datetime.timedelta(days=demo.incident_days_ago)
    if regulation_version_for(unit.jurisdiction, incident_date) is None:
        return None  # catalogues not loaded (manage.py load_catalogs)
    return Run(
        demo=demo,
        users=users,
        unit=unit,
        officers=[(officers[certificate], part) for certificate, part in demo.officers],
        today=today,
    )


def seed_demo_cases() -> list[Case]:
    """Create the demo cases that are not there yet, taking each through its
    timeline; return every demo case there is, in the order of DEMO_CASES.

    Not one transaction: each service commits its own, so that on the
    embedded default the documents render as the stages end (eager tasks run
    on commit), as they would for a person working the cases."""
    usernames = {
        name
        for demo in DEMO_CASES
        for name in (
            demo.staff.inspector,
            demo.staff.investigator,
            demo.staff.chair,
            *demo.staff.experts,
            *demo.staff.leaders,
        )
    }
    users = {u.username: u for u in User.objects.filter(username__in=usernames)}
    today = timezone.localdate()
    runs = []
    for demo in DEMO_CASES:
        unit = Unit.objects.filter(name=demo.staff.unit).first()
        if unit is None or _existing(demo, unit) is not None:
            continue
        run = _run_for(demo, users, today)
        if run is not None:
            runs.append(run)

    if runs:
        floor = AuditEvent.objects.aggregate(last=Max("occurred_at"))["last"]
        with demo_clock(DemoClock(floor)) as clock:
            # The steps of all the cases in time order (ties: in DEMO_CASES order).
            queue: list[tuple[datetime.datetime, int, Iterator[datetime.datetime]]] = []
            for index, run in enumerate(runs):
                walk = _walk(run)
                heapq.heappush(queue, (next(walk), index, walk))
            while queue:
                moment, index, walk = heapq.heappop(queue)
                clock.set(moment)
                following = next(walk, None)  # makes the step
                if following is not None:
                    heapq.heappush(queue, (following, index, walk))

    cases = []
    for demo in DEMO_CASES:
        unit = Unit.objects.filter(name=demo.staff.unit).first()
        case = _existing(demo, unit) if unit is not None else None
        if case is not None:
            cases.append(case)
    return cases
