"""The collective decision (集体研究): the meeting, who attended or recused,
each member's position per officer, and the determination it adopts."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from cases.models import Case, SubjectOfficer
from filing.models.publication import PublicationScope


class DecisionRules(models.Model):
    """A unit's meeting rules. Defaults after the Party-group work rules (2019,
    art. 27): two thirds present for cadre matters; a resolution needs more
    than half of the members entitled to vote, not just of those present."""

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="decision_rules")
    quorum_numerator = models.PositiveSmallIntegerField(_("法定出席比例（分子）"), default=2)
    quorum_denominator = models.PositiveSmallIntegerField(_("法定出席比例（分母）"), default=3)
    majority_numerator = models.PositiveSmallIntegerField(_("通过比例（分子）"), default=1)
    majority_denominator = models.PositiveSmallIntegerField(_("通过比例（分母）"), default=2)

    class Meta:
        db_table = "reviews_decisionrules"  # kept from before the split of reviews
        verbose_name = _("集体研究规则")
        verbose_name_plural = _("集体研究规则")

    def __str__(self) -> str:
        return f"{self.unit}"


class Outcome(models.TextChoices):
    EXEMPT = "exempt", _("不予追究责任")
    NO_FAULT = "no_fault", _("不构成执法过错")
    MITIGATED = "mitigated", _("从轻或者减轻追究责任")
    LIABLE = "liable", _("追究责任")
    TRANSFERRED = "transferred", _("移送纪检监察机关")


def engine_outcome_label(outcome: str) -> str:
    """The label of an outcome the engine proposes, which may also be
    'undetermined' (no determination can be made on the facts yet)."""
    if outcome in Outcome.values:
        return Outcome(outcome).label
    return _("尚难认定") if outcome == "undetermined" else outcome


class Measure(models.TextChoices):
    NONE = "", _("无")
    TALK_REMINDER = "talk_reminder", _("谈话提醒")
    CRITICISM_EDUCATION = "criticism_education", _("批评教育")
    ORDERED_SELF_EXAMINATION = "ordered_self_examination", _("责令检查")
    ADMONISHMENT = "admonishment", _("诫勉")
    REMOVAL_FROM_ENFORCEMENT_POST = "removal_from_enforcement_post", _("调离行政执法岗位")
    REVOCATION_OF_ENFORCEMENT_QUALIFICATION = (
        "revocation_of_enforcement_qualification",
        _("取消行政执法资格"),
    )
    DISCIPLINARY_SANCTION = "disciplinary_sanction", _("处分")


class Meeting(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("表决中")
        CLOSED = "closed", _("已闭会")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("会议日期"))
    place = models.CharField(_("会议地点"), max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    # The rules as they stood when the meeting opened.
    quorum_numerator = models.PositiveSmallIntegerField()
    quorum_denominator = models.PositiveSmallIntegerField()
    majority_numerator = models.PositiveSmallIntegerField()
    majority_denominator = models.PositiveSmallIntegerField()
    convened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "reviews_meeting"  # kept from before the split of reviews
        verbose_name = _("集体研究会议")
        verbose_name_plural = _("集体研究会议")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.case} {self.held_on}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class MeetingMember(models.Model):
    class Attendance(models.TextChoices):
        PRESENT = "present", _("出席")
        ABSENT = "absent", _("缺席")
        RECUSED = "recused", _("回避")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    is_chair = models.BooleanField(_("主要负责人"), default=False)
    attendance = models.CharField(
        _("出席情况"), max_length=10, choices=Attendance.choices, default=Attendance.PRESENT
    )
    recusal_reason = models.CharField(_("回避理由"), max_length=300, blank=True)
    # An absent member's written opinion is kept in the minutes but is no vote.
    written_opinion = models.TextField(_("书面意见"), blank=True)

    class Meta:
        db_table = "reviews_meetingmember"  # kept from before the split of reviews
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="meeting_member_once"),
        ]
        ordering = ["is_chair", "id"]

    def __str__(self) -> str:
        return f"{self.user}"

    @property
    def is_entitled(self) -> bool:
        return self.attendance != self.Attendance.RECUSED


class Determination(models.Model):
    """The determination proposed for one officer and put to the vote; once the
    vote closes it is adopted or rejected, and never changes after."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("待表决")
        ADOPTED = "adopted", _("表决通过")
        REJECTED = "rejected", _("未获通过")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="determinations")
    subject_officer = models.ForeignKey(
        SubjectOfficer, on_delete=models.CASCADE, related_name="determinations"
    )
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="determinations")
    # The catalogue version the determination is made under, kept for good.
    regulation = models.ForeignKey(
        "exemptions.RegulationVersion", on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(_("认定结果"), max_length=20, choices=Outcome.choices)
    cited_clauses = models.JSONField(_("援引条款"), default=list)
    measure = models.CharField(
        _("处理措施"), max_length=50, choices=Measure.choices, blank=True, default=""
    )
    sanction = models.CharField(_("处分或处理的具体内容"), max_length=300, blank=True)
    reasons = models.TextField(_("认定理由"), max_length=20000)
    engine_outcome = models.CharField(_("系统建议结果"), max_length=20)
    departure_reason = models.TextField(_("与系统建议不一致的理由"), blank=True)
    # Why the outcome departs from most of the close decided cases
    # (deliberation.precedents.precedent_departure); blank when it does not.
    precedent_departure_reason = models.TextField(_("与类似案例多数结果不一致的理由"), blank=True)
    # Decided with the determination, so the filing package states the scope
    # the decision is then published in; blank for an outcome not published.
    publication_scope = models.CharField(
        _("公开范围"), max_length=10, choices=PublicationScope.choices, blank=True, default=""
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    tally = models.JSONField(default=dict, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "reviews_determination"  # kept from before the split of reviews
        verbose_name = _("责任认定")
        verbose_name_plural = _("责任认定")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "subject_officer"], name="determination_once_per_meeting"
            ),
        ]
        ordering = ["subject_officer_id", "-created_at"]

    def __str__(self) -> str:
        return f"{self.subject_officer}: {self.outcome}"

    @property
    def is_adopted(self) -> bool:
        return self.status == self.Status.ADOPTED

    @property
    def departs_from_proposal(self) -> bool:
        return self.outcome != self.engine_outcome


class Vote(models.Model):
    class Position(models.TextChoices):
        AGREE = "agree", _("同意")
        DISAGREE = "disagree", _("不同意")
        ABSTAIN = "abstain", _("弃权")

    determination = models.ForeignKey(Determination, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(MeetingMember, on_delete=models.PROTECT, related_name="votes")
    position = models.CharField(_("表态"), max_length=10, choices=Position.choices)
    reasoning = models.TextField(_("理由"), max_length=4000)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "reviews_vote"  # kept from before the split of reviews
        constraints = [
            models.UniqueConstraint(fields=["determination", "member"], name="vote_once"),
        ]
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.member}: {self.position}"
