"""Accountability cases (问责/免责案件), the officers they concern, and the one
state machine that takes a case from intake to closing."""

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from accounts.models import Officer, Unit
from cases import workflow
from cases.workflow import CaseState


class CaseNumberCounter(models.Model):
    """The last sequence number given out per unit and year. Allocation locks
    the row (see services.case_number_allocate), so numbers never collide."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_sequence = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="case_counter_unit_year"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.year}: {self.last_sequence}"


class Field(models.TextChoices):
    FOOD = "food", _("食品")
    DRUGS = "drugs", _("药品")
    MEDICAL_DEVICES = "medical_devices", _("医疗器械")
    COSMETICS = "cosmetics", _("化妆品")
    SPECIAL_EQUIPMENT = "special_equipment", _("特种设备")
    INDUSTRIAL_PRODUCTS = "industrial_products", _("工业产品")
    PRICING = "pricing", _("价格")
    ADVERTISING = "advertising", _("广告")
    INTELLECTUAL_PROPERTY = "intellectual_property", _("知识产权")
    UNLICENSED_OPERATION = "unlicensed_operation", _("无证无照经营")
    PYRAMID_SELLING = "pyramid_selling", _("传销")
    UNFAIR_COMPETITION = "unfair_competition", _("不正当竞争")
    CONSUMER_RIGHTS = "consumer_rights", _("消费者权益保护")
    OTHER = "other", _("其他")


class ActivityKind(models.TextChoices):
    PENALTY = "penalty", _("行政处罚")
    LICENSING = "licensing", _("行政许可")
    COERCIVE_MEASURE = "coercive_measure", _("行政强制")
    ADJUDICATION = "adjudication", _("行政裁决")
    CONFIRMATION = "confirmation", _("行政确认")
    INSPECTION = "inspection", _("行政监督检查")
    REWARD = "reward", _("行政奖励")
    OTHER = "other", _("其他")


class LeadSource(models.TextChoices):
    COMPLAINT = "complaint", _("投诉举报")
    PUBLIC_OPINION = "public_opinion", _("舆情反映")
    ASSIGNED_BY_SUPERIOR = "assigned_by_superior", _("上级交办")
    FOUND_IN_INSPECTION = "found_in_inspection", _("检查发现")
    DISCIPLINE_TRANSFER = "discipline_transfer", _("纪检监察机关移送")
    REVIEW_OR_LITIGATION = "review_or_litigation", _("行政复议或诉讼")
    OTHER = "other", _("其他")


# The stages in workflow order (not by code), for sorting the case list by
# stage; indexed on Case so that the sort reads the index.
STAGE_RANK = models.Case(
    *(models.When(state=state, then=rank) for rank, state in enumerate(CaseState.values)),
    default=len(CaseState.values),
    output_field=models.IntegerField(),
)


class Case(FSMModelMixin, models.Model):
    unit = models.ForeignKey(
        Unit, verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="cases"
    )
    # The number is given at registration (立案), not while the case is a draft.
    year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True)
    sequence = models.PositiveIntegerField(_("序号"), null=True, blank=True)
    number = models.CharField(_("案件编号"), max_length=60, unique=True, null=True, blank=True)
    regulation = models.ForeignKey(
        "exemptions.RegulationVersion",
        verbose_name=_("适用的免责办法"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    regulation_change_reason = models.TextField(_("变更适用办法的理由"), blank=True)

    incident_summary = models.TextField(_("事件概要"), max_length=4000)
    incident_date = models.DateField(_("行为发生日期"))
    incident_place = models.CharField(_("发生地点"), max_length=200)
    field = models.CharField(_("领域"), max_length=30, choices=Field.choices)
    activity_kind = models.CharField(_("执法活动类型"), max_length=30, choices=ActivityKind.choices)
    lead_source = models.CharField(_("线索来源"), max_length=30, choices=LeadSource.choices)
    allegation = models.TextField(_("反映的问题（执法过错指控）"), max_length=8000)
    disputed = models.BooleanField(
        _("对是否依法履职或是否存在过错有争议"),
        default=False,
        help_text=_("泰安办法第九条：存在争议的，须先取得专家组书面论证意见。"),
    )
    organs_intervened = models.BooleanField(_("纪检监察机关或检察机关已介入"), default=False)
    expert_review_requested = models.BooleanField(_("已申请专家论证"), default=False)

    state = FSMField(_("阶段"), default=CaseState.DRAFT, choices=CaseState.choices, protected=True)
    state_entered_at = models.DateTimeField(_("进入本阶段时间"), auto_now_add=True)
    deadline_at = models.DateTimeField(_("本阶段期限"), null=True, blank=True)
    lead_investigator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("调查组长"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases_leading",
    )
    # The investigation team assigned at or after registration (the lead is
    # lead_investigator); empty: every investigator of the unit may take it.
    investigation_team = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("调查组成员"),
        blank=True,
        related_name="cases_investigating",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="cases_created",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    officers = models.ManyToManyField(
        Officer, through="SubjectOfficer", verbose_name=_("涉及执法人员"), related_name="cases"
    )

    class Meta:
        verbose_name = _("案件")
        verbose_name_plural = _("案件")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "sequence"], name="case_number_unique_per_unit_year"
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "-created_at"]),
            models.Index(fields=["state", "deadline_at"]),
            # The case list's orders (newest first, by deadline, by stage
            # change, by number) read an index instead of sorting every
            # visible case; see benchmarks/case_list_bench.py.
            models.Index(fields=["-created_at", "-id"], name="case_newest_first"),
            models.Index(fields=["deadline_at", "id"], name="case_by_deadline"),
            models.Index(fields=["state_entered_at", "id"], name="case_by_stage_change"),
            models.Index(fields=["year", "sequence", "id"], name="case_by_number"),
            models.Index(STAGE_RANK, F("id"), name="case_by_stage"),
            # My tasks: the cases in a stage registered by, led by, or of a unit.
            models.Index(fields=["created_by", "state"], name="case_creator_state"),
            models.Index(fields=["lead_investigator", "state"], name="case_lead_state"),
            models.Index(fields=["unit", "state"], name="case_unit_state"),
            # An inspector's list (the registrar arm of cases.readers): its
            # count reads the index alone, its sort by stage change walks it.
            models.Index(
                fields=["created_by", "state_entered_at", "id"], name="case_creator_by_change"
            ),
        ]

    def __str__(self) -> str:
        return self.display_number

    @property
    def display_number(self) -> str:
        return self.number or _("草稿 #%(id)s") % {"id": self.pk}

    @property
    def procedure(self) -> dict:
        """The procedure rules of the regulation applied: {rule: value}."""
        return {key: rule["value"] for key, rule in self.regulation.procedure.items()}

    # --- the state machine: one transition per move of cases.workflow.MOVES,
    # its sources, target, guards and permission taken from the table (and
    # checked against it at start-up by cases.checks); the side effects live
    # in cases.services.transitions ---

    @transition(field=state, **workflow.fsm_transition("register"))
    def register(self) -> None:
        pass

    @transition(field=state, **workflow.fsm_transition("start_investigation"))
    def start_investigation(self) -> None:
        pass

    @transition(field=state, **workflow.fsm_transition("request_expert_review"))
    def request_expert_review(self) -> None:
        self.expert_review_requested = True

    @transition(field=state, **workflow.fsm_transition("submit_for_deliberation"))
    def submit_for_deliberation(self) -> None:
        pass

    @transition(field=state, **workflow.fsm_transition("decide"))
    def decide(self) -> None:
        pass

    @transition(field=state, **workflow.fsm_transition("file"))
    def file(self) -> None:
        pass

    @transition(field=state, **workflow.fsm_transition("publish"))
    def publish(self) -> None:
        pass

    @transition(field=state, **workflow.fsm_transition("close"))
    def close(self) -> None:
        pass

    @transition(field=state, **workflow.fsm_transition("withdraw"))
    def withdraw(self) -> None:
        pass


class SubjectOfficer(models.Model):
    """An officer the case concerns, with their part in the act. Facts,
    assessments and determinations are per subject officer."""

    class Part(models.TextChoices):
        HANDLER = "handler", _("承办人")
        REVIEWER = "reviewer", _("审核人")
        APPROVER = "approver", _("批准人")
        OTHER = "other", _("其他参与人")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="subject_officers")
    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    part = models.CharField(_("在执法行为中的角色"), max_length=20, choices=Part.choices)

    class Meta:
        verbose_name = _("涉案执法人员")
        verbose_name_plural = _("涉案执法人员")
        constraints = [
            models.UniqueConstraint(fields=["case", "officer"], name="subject_officer_once"),
        ]
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.officer.name}（{self.get_part_display()}）"
