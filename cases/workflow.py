"""The case workflow in one place: one table (STAGES and MOVES) says, for
every stage, who acts, what they do next, which moves lead out of it under
which guards, the deadline rule, the documents requested when the stage ends
and the notices sent. Everything else reads it:

- the django-fsm-2 transitions on Case are built from MOVES (`fsm_transition`)
  and a system check (cases.checks) refuses to start if they ever differ;
- cases.services.transitions takes the permission, guards, documents and
  audit label of a move from MOVES;
- cases.selectors answers "what may this user do now, and who does the case
  wait on" from STAGES (the case page, My tasks and its count, the waiting-on
  line and the deadline reminders);
- `manage.py workflow --markdown` prints it as docs/workflow.md.

A guard returns the reason a move is refused (in Chinese, for the page) or
None when it may go ahead. The parties (`Party`) are defined in
cases.parties: each answers who it is for a case, and for which cases a user
is it (the inverse, as a query)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from cases import errors
from documents.kinds import DocumentKind


class CaseState(models.TextChoices):
    DRAFT = "draft", gettext_lazy("草稿")
    REGISTERED = "registered", gettext_lazy("已登记")
    INVESTIGATING = "investigating", gettext_lazy("调查核实")
    EXPERT_REVIEW = "expert_review", gettext_lazy("专家论证")
    DELIBERATION = "deliberation", gettext_lazy("集体研究")
    DECIDED = "decided", gettext_lazy("已作出决定")
    FILED = "filed", gettext_lazy("已备案")
    PUBLISHED = "published", gettext_lazy("已公开")
    CLOSED = "closed", gettext_lazy("已结案")
    WITHDRAWN = "withdrawn", gettext_lazy("已撤销")


# The stages at which facts are recorded and clauses evaluated, in order.
class Stage(models.TextChoices):
    INTAKE = "intake", pgettext_lazy("stage", "登记")
    INVESTIGATION = "investigation", gettext_lazy("调查核实")
    EXPERT_REVIEW = "expert_review", gettext_lazy("专家论证")
    DELIBERATION = "deliberation", gettext_lazy("集体研究")


class DayKind(models.TextChoices):
    """How a stage's time limit is counted. Offices count their internal
    steps in working days on the official calendar (cases.working_days):
    the default. Calendar days remain for a limit set that way."""

    WORKING = "working", gettext_lazy("工作日")
    CALENDAR = "calendar", gettext_lazy("自然日")


# Outcomes under which liability is not pursued: filing and publication apply.
NO_LIABILITY_OUTCOMES = frozenset({"exempt", "no_fault"})

Guard = Callable[["Case"], str | None]  # noqa: F821


def condition(guard: Guard) -> Callable[[object], bool]:
    """Adapt a guard to a django-fsm condition (true when nothing refuses)."""

    def check(case) -> bool:
        return guard(case) is None

    check.guard = guard
    check.__name__ = guard.__name__
    return check


def _related(case, name: str):
    try:
        return getattr(case, name)
    except ObjectDoesNotExist:
        return None


def _report_is_submitted(case) -> bool:
    report = _related(case, "investigation_report")
    return report is not None and report.signed_off_at is not None


def _panel_has_concluded(case) -> bool:
    panel = _related(case, "expert_panel")
    return panel is not None and panel.concluded_at is not None


def _has_no_liability_determination(case) -> bool:
    return any(
        d.outcome in NO_LIABILITY_OUTCOMES for d in case.determinations.all() if d.is_adopted
    )


def guard_always(case) -> str | None:
    """No condition beyond the permission (named, so that every move has a
    guard the table can show)."""
    return None


def guard_register(case) -> str | None:
    """The case names its subject officers and the allegation."""
    if not case.subject_officers.exists():
        return str(errors.GUARD_NO_SUBJECT_OFFICERS)
    if not case.allegation.strip():
        return str(errors.GUARD_NO_ALLEGATION)
    return None


def guard_report_submitted(case) -> str | None:
    """The investigation report is signed off by the lead investigator."""
    if not _report_is_submitted(case):
        return str(errors.GUARD_REPORT_NOT_SIGNED)
    return None


def guard_deliberation(case) -> str | None:
    """The report is signed off; from expert review, the panel has concluded;
    a disputed case under a regulation requiring it (Tai'an art. 9) has the
    panel's written opinion."""
    refused = guard_report_submitted(case)
    if refused:
        return refused
    if case.state == CaseState.EXPERT_REVIEW and not _panel_has_concluded(case):
        return str(errors.GUARD_PANEL_NOT_CONCLUDED)
    if (
        case.disputed
        and case.procedure.get("expert_panel_required_when_disputed")
        and not _panel_has_concluded(case)
    ):
        return errors.GUARD_DISPUTE_NEEDS_PANEL % {"regulation": case.regulation.title}
    return None


def guard_decide(case) -> str | None:
    """Every subject officer has a determination adopted by the vote."""
    officers = {s.pk for s in case.subject_officers.all()}
    decided = {d.subject_officer_id for d in case.determinations.all() if d.is_adopted}
    if not officers or officers - decided:
        return str(errors.GUARD_DETERMINATIONS_PENDING)
    return None


def guard_file(case) -> str | None:
    """An adopted determination does not pursue liability (exempt, no fault)."""
    if not _has_no_liability_determination(case):
        return str(errors.GUARD_NOTHING_TO_FILE)
    return None


def guard_publish(case) -> str | None:
    """As guard_file; where the regulation requires filing first, the case is
    filed."""
    if not _has_no_liability_determination(case):
        return str(errors.GUARD_NOTHING_TO_PUBLISH)
    if case.procedure.get("no_liability_filing_required") and case.state != CaseState.FILED:
        return str(errors.GUARD_FILE_BEFORE_PUBLISHING)
    return None


def guard_close(case) -> str | None:
    """Where the regulation requires it, a no-liability decision is filed and
    published before closing."""
    if (
        case.procedure.get("close_requires_filing_and_publication")
        and _has_no_liability_determination(case)
        and case.state != CaseState.PUBLISHED
    ):
        return str(errors.GUARD_FILE_AND_PUBLISH_BEFORE_CLOSING)
    return None


# --- notices: who is told at each hand-off --------------------------------------------


class NoticeKind(models.TextChoices):
    """The kinds of notice (cases.models.Notification.kind): in-app and by
    e-mail, sent at the hand-offs the table names."""

    ASSIGNED = "assigned", gettext_lazy("指派办理")
    TURN = "turn", gettext_lazy("轮到办理")
    PANEL_FORMED = "panel_formed", gettext_lazy("专家组已组建")
    OPINION_DUE = "opinion_due", gettext_lazy("待出具论证意见")
    MEETING_CONVENED = "meeting_convened", gettext_lazy("会议已召集")
    VOTING_OPEN = "voting_open", gettext_lazy("开始表决")
    RESULT_ANNOUNCED = "result_announced", gettext_lazy("表决结果已宣布")
    PACKAGE_FILED = "package_filed", gettext_lazy("备案材料已报送")
    RECEIPT_ACKNOWLEDGED = "receipt_acknowledged", gettext_lazy("备案材料已签收")
    DUE_SOON = "due_soon", gettext_lazy("即将到期")
    OVERDUE = "overdue", gettext_lazy("已超期")


# The recipients of a notice that are not one party: everyone the case waits
# on once the move is made (the new stage's duties).
WAITING = "waiting"


@dataclass(frozen=True)
class Notice:
    """One notice sent at a hand-off: its kind and who receives it (a key of
    cases.parties.PARTIES, or WAITING). The one who made the move is never
    told of their own act."""

    kind: str
    recipients: str = WAITING

    def __str__(self) -> str:
        if self.recipients == WAITING:
            whom = _("本阶段等待的人")
        else:
            from cases.parties import PARTIES  # parties reads this module's stages

            whom = str(PARTIES[self.recipients].description)
        return f"{NoticeKind(self.kind).label} → {whom}"


# --- the table ------------------------------------------------------------------------


@dataclass(frozen=True)
class Move:
    """One move between stages: the states it leaves, the state it enters,
    the permission the actor needs (a `rules` permission checked on the case),
    the guards that must all pass, the documents requested once it is made
    (their contents are final then) and whether a written reason is asked."""

    name: str
    label: Promise
    sources: tuple[str, ...]
    target: str
    permission: str
    guards: tuple[Guard, ...] = ()
    documents: tuple[str, ...] = ()
    reason_required: bool = False
    effects: Promise | None = None
    # Sent once the move is committed (cases.services.notices).
    notices: tuple[Notice, ...] = ()

    def fsm_conditions(self) -> list:
        return [condition(guard) for guard in self.guards]


@dataclass(frozen=True)
class Duty:
    """What a stage expects of one party: the step, the page where it is
    taken (a URL name taking the case's pk unless `takes_case` is false)."""

    party: str  # a key of cases.parties.PARTIES
    step: Promise
    url_name: str
    takes_case: bool = True


@dataclass(frozen=True)
class StageRule:
    """One stage: who it waits on (in order: a user who is several parties
    takes the first one's step), the deadline rule, the notices sent, and what
    the rest of the code asks of a stage (facts, evidence, decision)."""

    state: str
    duties: tuple[Duty, ...]
    # Days allowed in the stage unless the unit sets its own (StageDeadline;
    # migration 0002 installs these defaults); None: no time limit.
    default_days: int | None
    # Sent by the deadline scan while the case is in the stage.
    notices: tuple[Notice, ...] = ()
    final: bool = False
    # How default_days are counted (the migration adding day_kind sets the
    # installed defaults to this).
    day_kind: str = DayKind.WORKING
    # The fact-finding stage shown as current on the case page, and whether
    # facts of that stage may be recorded now.
    fact_stage: str = Stage.DELIBERATION
    facts_open: bool = False
    # A determination has been made (and may be filed, published, sanctioned).
    decided: bool = False
    # The case is on record: numbered, not withdrawn (transfers, sanctions).
    on_record: bool = True
    accepts_evidence: bool = True
    # The filing package has been sent (filed, published or closed).
    past_filing: bool = False

    @property
    def label(self) -> str:
        return CaseState(self.state).label

    @property
    def deadline(self) -> str:
        if self.default_days is None:
            return _("无期限")
        if self.day_kind == DayKind.WORKING:
            text = _(
                "进入本阶段起%(days)s个工作日（按国家法定节假日及调休安排计算；"
                "单位可在阶段期限中另行设定），到期前%(warn)s个工作日起提醒"
            )
        else:
            text = _(
                "进入本阶段起%(days)s日（自然日；单位可在阶段期限中另行设定），"
                "到期前%(warn)s日起提醒"
            )
        return text % {"days": self.default_days, "warn": DEFAULT_WARN_DAYS}

    @property
    def moves(self) -> list[Move]:
        return [move for move in MOVES.values() if self.state in move.sources]


DT = DocumentKind
DEFAULT_WARN_DAYS = 3  # StageDeadline.warn_days_before's default

MOVES: dict[str, Move] = {
    move.name: move
    for move in (
        Move(
            "register",
            gettext_lazy("登记立案"),
            (CaseState.DRAFT,),
            CaseState.REGISTERED,
            "cases.register_case",
            (guard_register,),
            documents=(DT.INTAKE_FORM,),
            effects=gettext_lazy("编号"),
            notices=(Notice(NoticeKind.TURN),),
        ),
        Move(
            "start_investigation",
            gettext_lazy("开始调查核实"),
            (CaseState.REGISTERED,),
            CaseState.INVESTIGATING,
            "cases.start_investigation",
            (guard_always,),
            effects=gettext_lazy("未指定调查组长的，由开始调查的人担任"),
        ),
        Move(
            "request_expert_review",
            gettext_lazy("提请专家论证"),
            (CaseState.INVESTIGATING,),
            CaseState.EXPERT_REVIEW,
            "cases.request_expert_review",
            (guard_report_submitted,),
            notices=(Notice(NoticeKind.TURN),),
        ),
        Move(
            "submit_for_deliberation",
            gettext_lazy("提交集体研究"),
            (CaseState.INVESTIGATING, CaseState.EXPERT_REVIEW),
            CaseState.DELIBERATION,
            "cases.submit_for_deliberation",
            (guard_deliberation,),
            documents=(DT.INVESTIGATION_REPORT, DT.EXPERT_OPINION),
            notices=(Notice(NoticeKind.TURN),),
        ),
        Move(
            "decide",
            gettext_lazy("确认集体研究决定"),
            (CaseState.DELIBERATION,),
            CaseState.DECIDED,
            "cases.decide_case",
            (guard_decide,),
            # With the decision: the scope voted on is final and evidence is
            # closed, so the publication notice and the evidence catalogue are
            # issued now and the filing package takes them as issued.
            documents=(DT.MINUTES, DT.DECISION, DT.PUBLICATION_NOTICE, DT.EVIDENCE_CATALOGUE),
            notices=(
                Notice(NoticeKind.RESULT_ANNOUNCED, "registrar"),
                Notice(NoticeKind.RESULT_ANNOUNCED, "investigators"),
            ),
        ),
        Move(
            "file",
            gettext_lazy("报纪检监察机关备案"),
            (CaseState.DECIDED,),
            CaseState.FILED,
            "cases.file_case",
            (guard_file,),
            documents=(DT.FILING_NOTICE,),
            effects=gettext_lazy("冻结备案材料包，送纪检监察机关"),
            notices=(Notice(NoticeKind.PACKAGE_FILED, "liaisons"),),
        ),
        Move(
            "publish",
            gettext_lazy("公开决定"),
            (CaseState.DECIDED, CaseState.FILED),
            CaseState.PUBLISHED,
            "cases.publish_case",
            (guard_publish,),
            documents=(DT.PUBLICATION_NOTICE,),
            notices=(Notice(NoticeKind.TURN),),
        ),
        Move(
            "close",
            gettext_lazy("结案"),
            (CaseState.DECIDED, CaseState.FILED, CaseState.PUBLISHED),
            CaseState.CLOSED,
            "cases.close_case",
            (guard_close,),
        ),
        Move(
            "withdraw",
            gettext_lazy("撤销案件"),
            (
                CaseState.DRAFT,
                CaseState.REGISTERED,
                CaseState.INVESTIGATING,
                CaseState.EXPERT_REVIEW,
                CaseState.DELIBERATION,
            ),
            CaseState.WITHDRAWN,
            "cases.withdraw_case",
            (guard_always,),
            reason_required=True,
        ),
    )
}

DEADLINE_NOTICES = (Notice(NoticeKind.DUE_SOON), Notice(NoticeKind.OVERDUE))

# The hand-offs made inside a stage (not by a move), and who is told: the
# services named send them (cases.services.notices.handoff_notify).
HANDOFFS: dict[str, tuple[Notice, ...]] = {
    # cases.services.assignment
    "team_assigned": (Notice(NoticeKind.ASSIGNED, "investigators"),),
    # panel.services.panel_set_up
    "panel_formed": (
        Notice(NoticeKind.OPINION_DUE, "panel_members"),
        Notice(NoticeKind.PANEL_FORMED, "investigators"),
    ),
    # panel.services.panel_conclude
    "panel_concluded": (Notice(NoticeKind.TURN, "submitting_investigators"),),
    # deliberation.services.meeting_convene
    "meeting_convened": (Notice(NoticeKind.MEETING_CONVENED, "meeting_members"),),
    # deliberation.services.determination_propose
    "voting_open": (Notice(NoticeKind.VOTING_OPEN, "voters"),),
    # deliberation.services.vote_close
    "result_announced": (Notice(NoticeKind.RESULT_ANNOUNCED, "meeting_members"),),
    # filing.services.filing.filing_acknowledge
    "receipt_acknowledged": (Notice(NoticeKind.RECEIPT_ACKNOWLEDGED, "registrar"),),
}

STAGES: dict[str, StageRule] = {
    rule.state: rule
    for rule in (
        StageRule(
            CaseState.DRAFT,
            (Duty("registrar", gettext_lazy("补全登记信息并登记立案"), "cases:detail"),),
            10,
            DEADLINE_NOTICES,
            fact_stage=Stage.INTAKE,
            facts_open=True,
            on_record=False,
        ),
        StageRule(
            CaseState.REGISTERED,
            (Duty("investigators", gettext_lazy("开始调查核实"), "cases:detail"),),
            10,
            DEADLINE_NOTICES,
            fact_stage=Stage.INTAKE,
            facts_open=True,
        ),
        StageRule(
            CaseState.INVESTIGATING,
            (
                Duty(
                    "investigators",
                    gettext_lazy("调查核实，撰写并签发调查报告"),
                    "investigation:report",
                ),
            ),
            60,
            DEADLINE_NOTICES,
            fact_stage=Stage.INVESTIGATION,
            facts_open=True,
        ),
        StageRule(
            CaseState.EXPERT_REVIEW,
            (
                Duty("panel_organiser", gettext_lazy("组建专家组"), "panel:expert"),
                Duty("panel_members", gettext_lazy("出具专家论证意见"), "panel:expert"),
                Duty(
                    "panel_concluders",
                    gettext_lazy("出具专家组书面论证意见"),
                    "panel:expert",
                ),
                Duty(
                    "submitting_investigators",
                    gettext_lazy("提交集体研究"),
                    "cases:detail",
                ),
            ),
            30,
            DEADLINE_NOTICES,
            fact_stage=Stage.INVESTIGATION,
        ),
        StageRule(
            CaseState.DELIBERATION,
            (
                Duty("chairs", gettext_lazy("召集集体研究，主持表决"), "deliberation:deliberation"),
                Duty("voters", gettext_lazy("对责任认定表态"), "deliberation:deliberation"),
            ),
            30,
            DEADLINE_NOTICES,
            facts_open=True,
        ),
        StageRule(
            CaseState.DECIDED,
            (Duty("registrar", gettext_lazy("报纪检监察机关备案或结案"), "cases:detail"),),
            15,
            DEADLINE_NOTICES,
            decided=True,
            accepts_evidence=False,
        ),
        StageRule(
            CaseState.FILED,
            (
                Duty("registrar", gettext_lazy("在一定范围内公开决定"), "cases:detail"),
                Duty(
                    "liaisons",
                    gettext_lazy("下载并签收备案材料"),
                    "filings:inbox",
                    takes_case=False,
                ),
            ),
            30,
            DEADLINE_NOTICES,
            decided=True,
            accepts_evidence=False,
            past_filing=True,
        ),
        StageRule(
            CaseState.PUBLISHED,
            (Duty("registrar", gettext_lazy("结案"), "cases:detail"),),
            15,
            DEADLINE_NOTICES,
            decided=True,
            accepts_evidence=False,
            past_filing=True,
        ),
        StageRule(
            CaseState.CLOSED,
            (),
            None,
            final=True,
            decided=True,
            accepts_evidence=False,
            past_filing=True,
        ),
        StageRule(
            CaseState.WITHDRAWN,
            (),
            None,
            final=True,
            on_record=False,
            accepts_evidence=False,
        ),
    )
}


def states_where(attribute: str) -> frozenset[str]:
    """The states whose rule has the attribute set (e.g. "decided")."""
    return frozenset(state for state, rule in STAGES.items() if getattr(rule, attribute))


FINAL_STATES = states_where("final")
DECIDED_STATES = states_where("decided")
# The stages at which facts of each fact-finding stage may be recorded.
FACTS_OPEN_IN = {
    stage: tuple(s for s, rule in STAGES.items() if rule.facts_open and rule.fact_stage == stage)
    for stage in Stage.values
}
TRANSITION_LABELS = {name: move.label for name, move in MOVES.items()}


def fsm_transition(name: str) -> dict:
    """The django-fsm-2 `transition` arguments of a move, from the table."""
    move = MOVES[name]
    return {
        "source": list(move.sources) if len(move.sources) > 1 else move.sources[0],
        "target": move.target,
        "conditions": move.fsm_conditions(),
        "permission": move.permission,
    }


@dataclass(frozen=True)
class AvailableTransition:
    name: str
    label: str
    target: str
    allowed: bool
    reason: str | None


def move_refusal(move: Move, case) -> str | None:
    """The first guard's reason for refusing the move now, or None."""
    for guard in move.guards:
        reason = guard(case)
        if reason:
            return reason
    return None


def available_transitions(case, user) -> list[AvailableTransition]:
    """The moves from the case's current stage that the user holds the
    permission for, each with whether its guards allow it now and, if not,
    why — the page shows refused moves disabled with their reason."""
    result = []
    for move in STAGES[case.state].moves:
        if not user.has_perm(move.permission, case):
            continue
        reason = move_refusal(move, case)
        result.append(
            AvailableTransition(
                name=move.name,
                label=str(move.label),
                target=move.target,
                allowed=reason is None,
                reason=reason,
            )
        )
    return result
