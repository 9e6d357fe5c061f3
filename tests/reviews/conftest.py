"""People and cases brought to each review stage through the services, as a
user of the pages would have brought them."""

import datetime
from types import SimpleNamespace

import pytest

from accounts.roles import Role
from cases.selectors import case_detail
from cases.services.facts import fact_record
from cases.services.intake import (
    IncidentInput,
    SubjectOfficerInput,
    case_claims_set,
    case_create,
)
from cases.services.transitions import case_transition
from deliberation.services import ProposalInput, determination_propose, meeting_convene
from investigation.services import ConclusionInput, report_save, report_sign_off
from panel.services import panel_set_up
from tests.factories import OfficerFactory, UserFactory

# 6.4 (检查时按计划履职，问题不在检查范围内) holds on these facts: the engine
# proposes exempt.
EXEMPT_FACTS = {
    "inspection_plan_followed": True,
    "cause_outside_inspection_scope": True,
    "fault_established": False,
}


@pytest.fixture
def people(unit, inspector):
    return review_people(unit, inspector)


def review_people(unit, inspector) -> SimpleNamespace:
    """The inspector and the people of the unit who take a case through the
    review stages."""

    def user(name, role):
        return UserFactory(display_name=name, units=[unit], roles=[role])

    return SimpleNamespace(
        inspector=inspector,
        investigator=user("李调查", Role.INVESTIGATOR),
        investigator2=user("何调查", Role.INVESTIGATOR),
        experts=[user(name, Role.EXPERT) for name in ("赵专家", "钟专家", "欧阳专家")],
        leader=user("孙副局长", Role.LEADERSHIP_MEMBER),
        leader2=user("周副局长", Role.LEADERSHIP_MEMBER),
        chair=user("钱局长", Role.LEADERSHIP_CHAIR),
    )


@pytest.fixture
def stages(people, unit):
    return Stages(people, unit)


class Stages:
    """Take a fresh case to a stage, one service call at a time."""

    def __init__(self, people, unit):
        self.people = people
        self.unit = unit

    def investigating(self, officers=1):
        p = self.people
        case = case_create(
            actor=p.inspector,
            unit=self.unit,
            incident=IncidentInput(
                summary="群众举报某超市销售过期食品，执法人员检查时未发现。",
                date=datetime.date(2026, 3, 5),
                place="泰安市泰山区",
                field="food",
                activity_kind="inspection",
                lead_source="complaint",
                allegation="执法人员未能发现过期食品，涉嫌未履行监督检查职责。",
            ),
            subject_officers=[
                SubjectOfficerInput(officer=OfficerFactory(unit=self.unit), part="handler")
                for _ in range(officers)
            ],
        )
        for subject_officer in case.subject_officers.all():
            case_claims_set(
                actor=p.inspector, case=case, subject_officer=subject_officer, clause_refs=["6.4"]
            )
        case = case_transition(actor=p.inspector, case_id=case.pk, name="register")
        case = case_transition(actor=p.investigator, case_id=case.pk, name="start_investigation")
        for key, value in EXEMPT_FACTS.items():
            fact_record(
                actor=p.investigator,
                case=case,
                stage="investigation",
                fact_key=key,
                value=value,
                note="检查记录表",
            )
        return case_detail(case.pk)

    def reported(self, case, sign_off=True):
        p = self.people
        report = report_save(
            actor=p.investigator,
            case=case,
            findings_summary="经查，张执法按年度检查计划实施了检查。",
            conclusion="符合第六条第（四）项。",
            conclusions=[
                ConclusionInput(so, "6.4", "satisfied", "按计划检查")
                for so in case.subject_officers.all()
            ],
            base_version=None,
        )
        if sign_off:
            report_sign_off(actor=p.investigator, case=case, version=report.version)
        return case_detail(case.pk)

    def expert_review(self, officers=1):
        case = self.reported(self.investigating(officers))
        case_transition(
            actor=self.people.investigator, case_id=case.pk, name="request_expert_review"
        )
        return case_detail(case.pk)

    def with_panel(self, case):
        panel_set_up(
            actor=self.people.inspector,
            case=case,
            members=self.people.experts,
            question="张执法是否已依法履行检查职责？",
            disputed=[(so, "6.4") for so in case.subject_officers.all()],
        )
        return case_detail(case.pk)

    def deliberation(self, officers=1):
        p = self.people
        case = self.reported(self.investigating(officers))
        case = case_transition(
            actor=p.investigator, case_id=case.pk, name="submit_for_deliberation"
        )
        for key, value in EXEMPT_FACTS.items():
            fact_record(actor=p.leader, case=case, stage="deliberation", fact_key=key, value=value)
        return case_detail(case.pk)

    def meeting(self, case):
        p = self.people
        return meeting_convene(
            actor=p.chair,
            case=case,
            held_on=datetime.date(2026, 11, 20),
            place="局党组会议室",
            members=[p.chair, p.leader, p.leader2],
            chair=p.chair,
        )

    def proposed(self, meeting, subject_officer):
        return determination_propose(
            actor=self.people.inspector,
            meeting=meeting,
            proposal=ProposalInput(
                subject_officer=subject_officer,
                outcome="exempt",
                cited_clauses=["6.4"],
                reasons="符合第六条第（四）项。",
            ),
        )
