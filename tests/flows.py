"""Builders that take a case through the workflow by the services only, for
the workflow, guard, permission, decision and concurrency tests.

    flow = taian_case_at(CaseState.DELIBERATION)      # disputed, panel concluded
    flow = lianyungang_case_at(CaseState.DECIDED)     # mitigated, measure adopted
    chair, members = leadership(unit, 4)

A `Flow` holds the case, the people of its unit (`Staff`) and the subject
officers; the step functions (`register`, `start_investigation`,
`find_facts`, `write_report`, `finish_investigation`, `request_expert_review`,
`form_panel`, `give_opinions`, `conclude_panel`, `submit`, `deliberation_facts`,
`convene`, `propose`, `vote_all`, `decide`, `move`) each make one stage's moves through the services, exactly as a user would, so
every row and audit event is the real one. The builders stop at the state
asked for; a test that needs a finer point (a report saved but not signed, a
meeting convened but not voted) calls the step functions itself.

The scenarios (`TAIAN`, `LIANYUNGANG`) hold the facts, claims and proposal of
the two flows the issue describes: a Tai'an inspection case decided exempt
under art. 6(4), and a Lianyungang case with an established minor fault,
mitigated under art. 9(2) with criticism and education (art. 12).

People: `person(unit, role, name)`, `leadership(unit, n)`, `staff_for(unit)`,
`unit_for(jurisdiction)`. Assertions: `nothing_changes(case)` (a refusal
leaves state and audit trail alone) and `new_events()` (the audit events an
action wrote)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db.models import Max

from accounts.models import Unit, User
from accounts.roles import Role
from audit.models import AuditEvent
from cases.models import Case, SubjectOfficer
from cases.services.facts import fact_record
from cases.services.intake import (
    IncidentInput,
    SubjectOfficerInput,
    case_claims_set,
    case_create,
)
from cases.services.transitions import case_transition
from cases.workflow import CaseState, Stage
from deliberation.models import Determination, Meeting, Vote
from deliberation.services import (
    ProposalInput,
    determination_propose,
    meeting_convene,
    vote_close,
    vote_record,
)
from investigation.services import ConclusionInput, report_save, report_sign_off
from panel.services import opinion_record, panel_conclude, panel_set_up
from tests.factories import OfficerFactory, UnitFactory, UserFactory, current_regulation

# --- the two scenarios ----------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    """What is alleged, claimed, found and proposed in one flow. Facts are
    recorded for the whole case (they apply to every subject officer)."""

    jurisdiction: str
    incident: IncidentInput
    claimed: tuple[str, ...]
    intake_facts: dict
    investigation_facts: dict
    deliberation_facts: dict
    report_conclusions: tuple[tuple[str, str, str], ...]  # (ref, conclusion, reasoning)
    outcome: str
    cited: tuple[str, ...]
    measure: str = ""
    reasons: str = ""


TAIAN = Scenario(
    jurisdiction="taian",
    incident=IncidentInput(
        summary="群众举报某超市销售过期食品，执法人员检查时未发现。",
        date=datetime.date(2026, 3, 5),
        place="泰安市泰山区",
        field="food",
        activity_kind="inspection",
        lead_source="complaint",
        allegation="执法人员未能发现过期食品，涉嫌未履行监督检查职责。",
        disputed=True,
    ),
    claimed=("6.4",),
    intake_facts={"inspection_plan_followed": True},
    investigation_facts={
        "inspection_plan_followed": True,
        "cause_outside_inspection_scope": True,
        "fault_established": False,
    },
    deliberation_facts={
        "inspection_plan_followed": True,
        "cause_outside_inspection_scope": True,
        "fault_established": False,
    },
    report_conclusions=(
        ("6.4", "satisfied", "已按“双随机、一公开”计划检查，过期食品系检查后进货。"),
    ),
    outcome="exempt",
    cited=("6.4",),
    reasons="符合《泰安办法》第六条第（四）项，不予追究责任。",
)

LIANYUNGANG = Scenario(
    jurisdiction="lianyungang",
    incident=IncidentInput(
        summary="某药店违法销售处方药，执法人员现场检查时未依法责令整改。",
        date=datetime.date(2026, 2, 10),
        place="连云港市海州区",
        field="drugs",
        activity_kind="inspection",
        lead_source="found_in_inspection",
        allegation="执法人员检查时发现问题未依法处理，涉嫌不正确履行监督检查职责。",
    ),
    claimed=("9.2",),
    intake_facts={"consequence": "minor"},
    investigation_facts={
        "consequence": "minor",
        "fault_established": True,
        "intentional_violation": False,
        "gross_negligence": False,
        "admitted_and_cooperated": True,
    },
    deliberation_facts={
        "consequence": "minor",
        "fault_established": True,
        "intentional_violation": False,
        "gross_negligence": False,
        "admitted_and_cooperated": True,
    },
    report_conclusions=(("9.2", "satisfied", "主动承认错误，积极配合调查。"),),
    outcome="mitigated",
    cited=("9.2",),
    measure="criticism_education",
    reasons="存在执法过错，情节轻微，主动承认错误并积极配合调查，依照第九条第（二）项、第十二条予以批评教育。",
)

# --- people ----------------------------------------------------------------------

LEADER_NAMES = ("钱副局长", "孙副局长", "李副局长", "周副局长", "吴副局长", "郑副局长", "冯副局长")
EXPERT_NAMES = ("陈专家", "褚专家", "卫专家", "蒋专家", "沈专家")


def person(unit: Unit | None, role: str, name: str, **extra) -> User:
    """A user of the unit (None: of no unit) with one role."""
    return UserFactory(
        display_name=name,
        units=[unit] if unit is not None else [],
        roles=[role],
        email=extra.pop("email", ""),
        **extra,
    )


def leadership(unit: Unit, n: int = 2, *, email: str = "") -> tuple[User, list[User]]:
    """The unit's principal leader (chair) and n other leadership members."""
    chair = person(unit, Role.LEADERSHIP_CHAIR, "赵局长", email=email)
    members = [
        person(
            unit, Role.LEADERSHIP_MEMBER, LEADER_NAMES[i] if i < len(LEADER_NAMES) else f"委员{i}"
        )
        for i in range(n)
    ]
    return chair, members


@dataclass
class Staff:
    """The people of one unit who work a case."""

    unit: Unit
    inspector: User
    investigator: User
    experts: list[User]
    chair: User
    leaders: list[User]

    @property
    def meeting_members(self) -> list[User]:
        """Every leadership member with the chair last, as convened by default."""
        return [*self.leaders, self.chair]


def staff_for(unit: Unit, *, leaders: int = 2, experts: int = 3) -> Staff:
    """An inspector, an investigator, `experts` experts, the chair and
    `leaders` leadership members, all of the unit."""
    chair, members = leadership(unit, leaders)
    return Staff(
        unit=unit,
        inspector=person(unit, Role.INSPECTOR, "王承办"),
        investigator=person(unit, Role.INVESTIGATOR, "林调查"),
        experts=[
            person(unit, Role.EXPERT, EXPERT_NAMES[i] if i < len(EXPERT_NAMES) else f"专家{i}")
            for i in range(experts)
        ],
        chair=chair,
        leaders=members,
    )


def unit_for(jurisdiction: str, **kwargs) -> Unit:
    """A bureau under the jurisdiction's regulation (catalogues loaded)."""
    current_regulation(jurisdiction)
    return UnitFactory(jurisdiction=jurisdiction, **kwargs)


# --- the flow ----------------------------------------------------------------------


@dataclass
class Flow:
    """One case on its way through the workflow: the scenario it follows, the
    people working it, its subject officers, and the meeting and
    determinations once there are any. `case` is refreshed by `reload()` (the
    step functions do it); `state` always reads the database."""

    scenario: Scenario
    staff: Staff
    case: Case
    subject_officers: list[SubjectOfficer]
    meeting: Meeting | None = None
    determinations: list[Determination] = field(default_factory=list)

    @property
    def officer(self) -> SubjectOfficer:
        """The first subject officer (the only one unless asked otherwise)."""
        return self.subject_officers[0]

    def reload(self) -> Case:
        """The case fresh from the database. Its relations load when a test
        reads them: prefetching all that the case page shows, after every
        move of every flow, was a tenth of the suite's time."""
        self.case = _fresh(self.case.pk)
        return self.case

    @property
    def state(self) -> str:
        return Case.objects.values_list("state", flat=True).get(pk=self.case.pk)


def _fresh(pk: int) -> Case:
    return Case.objects.select_related("unit", "regulation").get(pk=pk)


def move(flow: Flow, name: str, actor: User, reason: str = "") -> Case:
    """One workflow move through the service; the flow's case is reloaded."""
    case_transition(actor=actor, case_id=flow.case.pk, name=name, reason=reason)
    return flow.reload()


def record_facts(flow: Flow, stage: str, facts: dict, actor: User, note: str = "") -> None:
    """Record facts for the whole case at a stage (investigation findings get
    a note, which the service requires when no evidence is cited)."""
    note = note or ("见检查记录表" if stage == Stage.INVESTIGATION else "")
    for key, value in facts.items():
        fact_record(
            actor=actor,
            case=flow.case,
            stage=stage,
            fact_key=key,
            value=value,
            note=note,
            # Needed only where the value amends a fact carried from the
            # previous stage.
            reason="经本阶段核实，修改沿用的认定",
        )
    flow.reload()


def new_case(
    scenario: Scenario,
    *,
    unit: Unit | None = None,
    staff: Staff | None = None,
    officers: int = 1,
    disputed: bool | None = None,
    officer_users: Sequence[User | None] = (),
) -> Flow:
    """A draft case with its officers, claims and intake facts. `officer_users`
    gives subject officers a user account (e.g. a leader who is the subject)."""
    unit = unit or (staff.unit if staff else unit_for(scenario.jurisdiction))
    staff = staff or staff_for(unit)
    people = [
        OfficerFactory(
            unit=unit,
            name=("张执法", "刘执法", "黄执法", "马执法")[i % 4],
            user=officer_users[i] if i < len(officer_users) else None,
        )
        for i in range(officers)
    ]
    incident = scenario.incident
    if disputed is not None:
        incident = IncidentInput(**{**incident.__dict__, "disputed": disputed})
    case = case_create(
        actor=staff.inspector,
        unit=unit,
        incident=incident,
        subject_officers=[
            SubjectOfficerInput(officer=o, part=("handler", "reviewer", "approver", "other")[i % 4])
            for i, o in enumerate(people)
        ],
    )
    subject_officers = list(case.subject_officers.order_by("id"))
    flow = Flow(scenario, staff, _fresh(case.pk), subject_officers)
    for subject_officer in subject_officers:
        case_claims_set(
            actor=staff.inspector,
            case=flow.case,
            subject_officer=subject_officer,
            clause_refs=list(scenario.claimed),
        )
    record_facts(flow, Stage.INTAKE, scenario.intake_facts, staff.inspector)
    return flow


# --- the steps, stage by stage ------------------------------------------------------


def register(flow: Flow) -> None:
    move(flow, "register", flow.staff.inspector)


def start_investigation(flow: Flow) -> None:
    move(flow, "start_investigation", flow.staff.investigator)


def find_facts(flow: Flow) -> None:
    record_facts(
        flow, Stage.INVESTIGATION, flow.scenario.investigation_facts, flow.staff.investigator
    )


def write_report(flow: Flow, *, base_version: int | None = None, actor: User | None = None):
    return report_save(
        actor=actor or flow.staff.investigator,
        case=flow.case,
        findings_summary="经调取检查记录、询问当事人，查明如下事实……",
        conclusion="调查组认为："
        + "、".join(ref for ref, _c, _r in flow.scenario.report_conclusions),
        conclusions=[
            ConclusionInput(so, ref, conclusion, reasoning)
            for so in flow.subject_officers
            for ref, conclusion, reasoning in flow.scenario.report_conclusions
        ],
        base_version=base_version,
    )


def finish_investigation(flow: Flow) -> None:
    """Record the findings, save and sign the report."""
    find_facts(flow)
    report = write_report(flow)
    report_sign_off(actor=flow.staff.investigator, case=flow.case, version=report.version)
    flow.reload()


def request_expert_review(flow: Flow) -> None:
    move(flow, "request_expert_review", flow.staff.investigator)


def form_panel(flow: Flow):
    return panel_set_up(
        actor=flow.staff.inspector,
        case=flow.case,
        members=flow.staff.experts,
        question="当事执法人员是否已依法履行监督检查职责？",
        disputed=[(so, ref) for so in flow.subject_officers for ref in flow.scenario.claimed],
    )


def give_opinions(flow: Flow, positions: Sequence[str] | None = None) -> None:
    """Every expert's opinion on every disputed clause; by default all agree
    but the last expert, who disagrees."""
    panel = flow.reload().expert_panel
    experts = list(panel.members.order_by("id"))
    positions = positions or ["agree"] * (len(experts) - 1) + ["disagree"]
    for disputed in panel.disputed.all():
        for expert, position in zip(experts, positions, strict=True):
            opinion_record(
                actor=expert,
                disputed_clause=disputed,
                position=position,
                reasoning="同意调查组意见。" if position == "agree" else "检查记录不完整。",
            )


def conclude_panel(flow: Flow) -> None:
    panel_conclude(
        actor=flow.staff.experts[0],
        case=flow.case,
        conclusion="专家组多数意见认为当事执法人员已依法履行监督检查职责。",
        dissent="一名专家认为检查记录不完整，不同意适用。",
    )
    flow.reload()


def submit(flow: Flow) -> None:
    move(flow, "submit_for_deliberation", flow.staff.investigator)


def deliberation_facts(flow: Flow) -> None:
    record_facts(flow, Stage.DELIBERATION, flow.scenario.deliberation_facts, flow.staff.leaders[0])


def convene(
    flow: Flow, members: Sequence[User] | None = None, chair: User | None = None
) -> Meeting:
    flow.meeting = meeting_convene(
        actor=chair or flow.staff.chair,
        case=flow.case,
        held_on=datetime.date(2026, 6, 20),
        place="局党组会议室",
        members=list(members or flow.staff.meeting_members),
        chair=chair or flow.staff.chair,
    )
    return flow.meeting


def propose(flow: Flow, subject_officer: SubjectOfficer | None = None, **changes) -> Determination:
    """The scenario's proposal for one officer (fields overridable)."""
    scenario = flow.scenario
    values = {
        "subject_officer": subject_officer or flow.officer,
        "outcome": scenario.outcome,
        "cited_clauses": list(scenario.cited),
        "reasons": scenario.reasons,
        "measure": scenario.measure,
        **changes,
    }
    determination = determination_propose(
        actor=flow.staff.inspector, meeting=flow.meeting, proposal=ProposalInput(**values)
    )
    flow.determinations.append(determination)
    return determination


def vote_all(
    flow: Flow, determination: Determination, positions: dict[User, str] | None = None
) -> None:
    """Every present member states a position, the chair last; by default
    everyone agrees."""
    positions = positions or {}
    members = list(
        flow.meeting.members.filter(attendance="present")
        .select_related("user")
        .order_by("is_chair", "id")
    )
    for member in members:
        position = positions.get(member.user, Vote.Position.AGREE)
        vote_record(
            actor=member.user,
            determination=determination,
            position=position,
            reasoning="同意。" if position == "agree" else "有保留意见。",
        )


def decide(flow: Flow) -> None:
    """Deliberation facts, a meeting, one determination per officer, all
    agree, the chair closes the vote (the case moves to decided)."""
    deliberation_facts(flow)
    convene(flow)
    for subject_officer in flow.subject_officers:
        vote_all(flow, propose(flow, subject_officer))
    vote_close(actor=flow.staff.chair, meeting=flow.meeting)
    flow.reload()


# --- builders ---------------------------------------------------------------------


def case_at(scenario: Scenario, state: str, **kwargs) -> Flow:
    """A case of the scenario taken through the services up to `state`:

    - registered: numbered; investigating: investigation started, nothing found;
    - expert_review: findings recorded, report signed, review requested (no panel);
    - deliberation: (disputed Tai'an: panel concluded) submitted, no facts, no meeting;
    - decided: deliberation facts, the proposal adopted unanimously;
    - filed / published / closed: the moves after the decision (a Lianyungang
      case closes straight from decided).

    Keyword arguments go to `new_case` (unit, staff, officers, disputed,
    officer_users)."""
    state = CaseState(state)
    flow = new_case(scenario, **kwargs)
    inspector = flow.staff.inspector
    procedure = flow.case.procedure
    needs_panel = flow.case.disputed and procedure.get("expert_panel_required_when_disputed")
    steps = [
        lambda: register(flow),
        lambda: start_investigation(flow),
        lambda: finish_investigation(flow),
    ]
    if state == CaseState.EXPERT_REVIEW or needs_panel:
        steps.append(lambda: request_expert_review(flow))
        steps.append(lambda: (form_panel(flow), give_opinions(flow), conclude_panel(flow)))
    steps += [lambda: submit(flow), lambda: decide(flow)]
    if state == CaseState.CLOSED and not procedure.get("close_requires_filing_and_publication"):
        steps.append(lambda: move(flow, "close", inspector))
    else:
        steps += [
            lambda: move(flow, "file", inspector),
            lambda: move(flow, "publish", inspector),
            lambda: move(flow, "close", inspector),
        ]
    for step in steps:
        if flow.state == state:
            return flow
        step()
    if flow.state != state:
        raise ValueError(f"the {scenario.jurisdiction} flow does not reach {state}")
    return flow


def taian_case_at(state: str, **kwargs) -> Flow:
    """A Tai'an case (disputed unless disputed=False) at `state`; see case_at."""
    return case_at(TAIAN, state, **kwargs)


def lianyungang_case_at(state: str, **kwargs) -> Flow:
    """A Lianyungang case (not disputed, mitigated) at `state`; see case_at."""
    return case_at(LIANYUNGANG, state, **kwargs)


# --- assertions ---------------------------------------------------------------------


def deadline_notices():
    """The deadline scan's notices (the moves that set cases up send hand-off
    notices of their own)."""
    from cases.models import Notification

    return Notification.objects.filter(
        kind__in=[Notification.Kind.DUE_SOON, Notification.Kind.OVERDUE]
    )


@contextmanager
def new_events() -> Iterator[list[AuditEvent]]:
    """The audit events written inside the block, filled in when it ends."""
    last = AuditEvent.objects.aggregate(last=Max("sequence"))["last"] or 0
    events: list[AuditEvent] = []
    yield events
    events.extend(AuditEvent.objects.filter(sequence__gt=last).order_by("sequence"))


def details(event: AuditEvent) -> dict:
    """The event's data without the history message (audit.messages) that
    services store beside it."""
    from audit.messages import MESSAGE_KEY

    return {key: value for key, value in event.data.items() if key != MESSAGE_KEY}


def event_types(events: Sequence[AuditEvent]) -> list[str]:
    return [event.event_type for event in events]


@contextmanager
def nothing_changes(case: Case) -> Iterator[None]:
    """A refusal leaves the case's state and the audit trail as they were
    (use around `pytest.raises`)."""
    state = Case.objects.values_list("state", flat=True).get(pk=case.pk)
    count = AuditEvent.objects.count()
    yield
    assert Case.objects.values_list("state", flat=True).get(pk=case.pk) == state
    assert AuditEvent.objects.count() == count
