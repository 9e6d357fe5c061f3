"""The collective decision: a meeting of the unit's leadership, attendance and
recusals, a proposed determination per officer, each member's position with
the chair speaking last, and a tally that is computed, never typed."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as _noop

from accounts.models import User
from accounts.roles import Role
from audit.messages import date_param, history_message, term
from audit.models import AuditEventType
from audit.services import audit_record
from cases import errors as cases_errors
from cases.assessment import assess_officer
from cases.models import Case, SubjectOfficer
from cases.services.notices import handoff_notify
from cases.services.transitions import case_transition, lock_case
from cases.workflow import CaseState, Stage
from deliberation import errors
from deliberation.models import (
    DecisionRules,
    Determination,
    Measure,
    Meeting,
    MeetingMember,
    Outcome,
    Vote,
    engine_outcome_label,
)
from deliberation.precedents import precedent_departure_check
from documents.kinds import DocumentKind
from documents.register import document_number_issue
from exemptions import engine
from filing.models import PublicationScope
from filing.services.transfer import second_sanction_refusal

LEADERSHIP_ROLES = (Role.LEADERSHIP_MEMBER, Role.LEADERSHIP_CHAIR)
# The measures of Lianyungang art. 12, offered where the regulation lists them.
ARTICLE_12_MEASURES = {
    Measure.TALK_REMINDER,
    Measure.CRITICISM_EDUCATION,
    Measure.ORDERED_SELF_EXAMINATION,
    Measure.ADMONISHMENT,
    Measure.REMOVAL_FROM_ENFORCEMENT_POST,
    Measure.REVOCATION_OF_ENFORCEMENT_QUALIFICATION,
}


# Measures that say nothing definite until their content is written: which
# sanction (警告、记过……), which post the officer leaves for, for how long the
# qualification is revoked. The lighter measures are complete as named.
MEASURES_NEEDING_CONTENT = {
    Measure.DISCIPLINARY_SANCTION,
    Measure.REMOVAL_FROM_ENFORCEMENT_POST,
    Measure.REVOCATION_OF_ENFORCEMENT_QUALIFICATION,
}


def _require_deliberation(case: Case) -> None:
    """Meetings act only while the (locked) case is in deliberation: a
    withdrawn case takes no more votes."""
    if case.state != CaseState.DELIBERATION:
        raise ValidationError(errors.NOT_IN_DELIBERATION % {"state": case.get_state_display()})


def _open_meeting(case: Case) -> Meeting | None:
    return case.meetings.filter(status=Meeting.Status.OPEN).first()


def meeting_convene(
    *,
    actor: User,
    case: Case,
    held_on: datetime.date,
    place: str,
    members: Sequence[User],
    chair: User,
) -> Meeting:
    """Open a meeting of the leadership on a case in deliberation. The unit's
    rules are copied onto the meeting so later changes do not alter it."""
    if not actor.has_perm("deliberation.convene_meeting", case):
        raise PermissionDenied(errors.MAY_NOT_CONVENE)
    if chair not in members:
        raise ValidationError({"chair": errors.CHAIR_NOT_A_MEMBER})
    not_leaders = [
        m.get_full_name()
        for m in members
        if not m.has_role(*LEADERSHIP_ROLES) or not m.has_perm("cases.view_case", case)
    ]
    if not_leaders:
        raise ValidationError(
            {"members": errors.NOT_LEADERSHIP % {"names": "、".join(not_leaders)}}
        )
    if not chair.has_role(Role.LEADERSHIP_CHAIR):
        raise ValidationError({"chair": errors.CHAIR_NOT_UNIT_CHAIR})
    if not place.strip():
        raise ValidationError({"place": errors.PLACE_MISSING})
    with transaction.atomic():
        case = lock_case(case.pk)
        if case.state != CaseState.DELIBERATION:
            raise ValidationError(errors.NOT_YET_IN_DELIBERATION)
        if _open_meeting(case):
            raise ValidationError(errors.MEETING_ALREADY_OPEN)
        rules, _created = DecisionRules.objects.get_or_create(unit=case.unit)
        meeting = Meeting.objects.create(
            case=case,
            held_on=held_on,
            place=place.strip(),
            quorum_numerator=rules.quorum_numerator,
            quorum_denominator=rules.quorum_denominator,
            majority_numerator=rules.majority_numerator,
            majority_denominator=rules.majority_denominator,
            convened_by=actor,
        )
        subject_users = {
            so.officer.user_id for so in case.subject_officers.select_related("officer")
        }
        MeetingMember.objects.bulk_create(
            MeetingMember(
                meeting=meeting,
                user=member,
                is_chair=member.pk == chair.pk,
                # A subject officer never votes on their own case.
                attendance=MeetingMember.Attendance.RECUSED
                if member.pk in subject_users
                else MeetingMember.Attendance.PRESENT,
                recusal_reason=_("本人为涉案执法人员") if member.pk in subject_users else "",
            )
            for member in dict.fromkeys(members)
        )
        audit_record(
            event_type=AuditEventType.MEETING_SCHEDULED,
            actor=actor,
            case=case,
            obj=meeting,
            summary=history_message(
                _noop("召集集体研究会议（%(date)s，%(place)s）"),
                date=date_param(held_on),
                place=meeting.place,
            ),
            data={
                "members": [m.pk for m in members],
                "chair": chair.pk,
                "quorum": [rules.quorum_numerator, rules.quorum_denominator],
                "majority": [rules.majority_numerator, rules.majority_denominator],
            },
        )
        handoff_notify(
            "meeting_convened",
            case=case,
            actor=actor,
            params={
                "date": date_param(held_on),
                "place": meeting.place,
            },
        )
    return meeting


def attendance_record(
    *,
    actor: User,
    member: MeetingMember,
    attendance: str,
    reason: str = "",
    written_opinion: str = "",
) -> MeetingMember:
    """Record a member as present, absent (with any written opinion, which is
    kept but is no vote) or recused (with the conflict), before voting starts."""
    meeting = member.meeting
    case = meeting.case
    if not actor.has_perm("deliberation.convene_meeting", case):
        raise PermissionDenied(errors.MAY_NOT_RECORD_ATTENDANCE)
    if attendance not in MeetingMember.Attendance.values:
        raise ValidationError({"attendance": errors.ATTENDANCE_INVALID})
    if attendance == MeetingMember.Attendance.RECUSED and not reason.strip():
        raise ValidationError({"reason": errors.RECUSAL_REASON_MISSING})
    with transaction.atomic():
        locked = lock_case(case.pk)
        meeting.refresh_from_db()
        if not meeting.is_open:
            raise ValidationError(errors.MEETING_CLOSED)
        _require_deliberation(locked)
        if Vote.objects.filter(determination__meeting=meeting).exists():
            raise ValidationError(errors.ATTENDANCE_FIXED_AFTER_VOTING_BEGAN)
        subject_users = {
            so.officer.user_id for so in case.subject_officers.select_related("officer")
        }
        if member.user_id in subject_users and attendance != MeetingMember.Attendance.RECUSED:
            raise ValidationError(errors.SUBJECT_OFFICER_MUST_RECUSE)
        before = member.attendance
        member.attendance = attendance
        member.recusal_reason = reason.strip() if attendance == "recused" else ""
        member.written_opinion = written_opinion.strip() if attendance == "absent" else ""
        member.save(update_fields=["attendance", "recusal_reason", "written_opinion"])
        audit_record(
            event_type=AuditEventType.ATTENDANCE_RECORDED,
            actor=actor,
            case=case,
            obj=member,
            summary=history_message(
                _noop("%(name)s：%(attendance)s"),
                name=member.user.get_full_name(),
                attendance=term(member.get_attendance_display()),
            ),
            data={"before": before, "after": attendance, "reason": member.recusal_reason},
        )
    return member


@dataclass(frozen=True)
class ProposalInput:
    subject_officer: SubjectOfficer
    outcome: str
    cited_clauses: Sequence[str]
    reasons: str
    measure: str = ""
    sanction: str = ""
    departure_reason: str = ""
    # Why the outcome departs from most of the close decided cases, when it does.
    precedent_departure_reason: str = ""
    # For a no-liability outcome: where the decision is to be published
    # (Tai'an art. 9: 在一定范围公开); the unit when not given.
    publication_scope: str = ""


def _check_proposal(case: Case, proposal: ProposalInput, assessment: engine.Assessment) -> None:
    procedure = case.procedure
    results = {r.ref: r for r in assessment.clauses}
    if proposal.outcome not in Outcome.values:
        raise ValidationError({"outcome": errors.OUTCOME_INVALID})
    if not proposal.reasons.strip():
        raise ValidationError({"reasons": errors.REASONS_MISSING})
    unknown = [ref for ref in proposal.cited_clauses if ref not in results]
    if unknown:
        raise ValidationError(
            {
                "cited_clauses": cases_errors.CLAUSES_OUTSIDE_REGULATION
                % {"refs": "、".join(unknown)}
            }
        )
    kinds = {results[ref].kind for ref in proposal.cited_clauses}
    if proposal.outcome == Outcome.EXEMPT and not kinds & {engine.EXEMPTION, engine.PRINCIPLE}:
        raise ValidationError({"cited_clauses": errors.EXEMPT_NEEDS_EXEMPTION_CLAUSE})
    if proposal.outcome == Outcome.MITIGATED and engine.MITIGATION not in kinds:
        raise ValidationError({"cited_clauses": errors.MITIGATED_NEEDS_MITIGATION_CLAUSE})
    if proposal.outcome == Outcome.TRANSFERRED and not procedure.get(
        "transfer_to_discipline_organs"
    ):
        raise ValidationError({"outcome": errors.NO_TRANSFER_PROCEDURE})
    if proposal.publication_scope and proposal.publication_scope not in PublicationScope.values:
        raise ValidationError({"publication_scope": errors.SCOPE_INVALID})
    if proposal.measure:
        if proposal.measure not in Measure.values:
            raise ValidationError({"measure": errors.MEASURE_INVALID})
        if proposal.outcome in (Outcome.EXEMPT, Outcome.NO_FAULT, Outcome.TRANSFERRED):
            raise ValidationError({"measure": errors.MEASURE_NOT_WITH_OUTCOME})
        if proposal.measure in ARTICLE_12_MEASURES and proposal.measure not in procedure.get(
            "measures", []
        ):
            raise ValidationError({"measure": errors.MEASURE_NOT_IN_REGULATION})
        if proposal.measure in MEASURES_NEEDING_CONTENT and not proposal.sanction.strip():
            raise ValidationError(
                {
                    "sanction": errors.MEASURE_CONTENT_MISSING
                    % {"measure": Measure(proposal.measure).label}
                }
            )
    unsatisfied = [ref for ref in proposal.cited_clauses if results[ref].result != engine.SATISFIED]
    departs = proposal.outcome != assessment.outcome
    if (unsatisfied or departs) and not proposal.departure_reason.strip():
        problems = []
        if departs:
            problems.append(
                errors.DEPARTS_FROM_PROPOSAL
                % {"proposal": engine_outcome_label(assessment.outcome)}
            )
        if unsatisfied:
            problems.append(errors.CITED_NOT_SATISFIED % {"refs": "、".join(unsatisfied)})
        raise ValidationError(
            {"departure_reason": "；".join(problems) + str(errors.DEPARTURE_REASON_MISSING)}
        )


def determination_propose(
    *, actor: User, meeting: Meeting, proposal: ProposalInput
) -> Determination:
    """Put the proposed determination for one officer to the meeting. The
    engine's proposal at deliberation is recorded beside it; a departure from
    it, or a cited clause not satisfied, needs a written reason."""
    case = meeting.case
    if not actor.has_perm("deliberation.propose_determination", case):
        raise PermissionDenied(errors.MAY_NOT_PROPOSE)
    if proposal.subject_officer.case_id != case.pk:
        raise ValidationError(cases_errors.NOT_A_SUBJECT_OFFICER)
    with transaction.atomic():
        case = lock_case(case.pk)
        _require_deliberation(case)
        meeting.refresh_from_db()
        if not meeting.is_open:
            raise ValidationError(errors.PROPOSAL_AFTER_CLOSE)
        if Determination.objects.filter(
            meeting=meeting, subject_officer=proposal.subject_officer
        ).exists():
            raise ValidationError(errors.ALREADY_PROPOSED)
        assessment = assess_officer(case, proposal.subject_officer, Stage.DELIBERATION)
        _check_proposal(case, proposal, assessment)
        precedent_reason = precedent_departure_check(
            case,
            proposal.subject_officer,
            proposal.outcome,
            proposal.cited_clauses,
            proposal.precedent_departure_reason,
        )
        # Lianyungang art. 13: no second sanction once the organs have given one.
        refusal = second_sanction_refusal(
            subject_officer=proposal.subject_officer,
            outcome=proposal.outcome,
            measure=proposal.measure,
            sanction=proposal.sanction,
        )
        if refusal:
            raise ValidationError(refusal)
        determination = Determination.objects.create(
            case=case,
            subject_officer=proposal.subject_officer,
            meeting=meeting,
            regulation=case.regulation,
            outcome=proposal.outcome,
            cited_clauses=list(dict.fromkeys(proposal.cited_clauses)),
            measure=proposal.measure,
            sanction=proposal.sanction.strip(),
            reasons=proposal.reasons.strip(),
            engine_outcome=assessment.outcome,
            departure_reason=proposal.departure_reason.strip(),
            precedent_departure_reason=precedent_reason,
            publication_scope=_publication_scope(proposal),
            proposed_by=actor,
        )
        audit_record(
            event_type=AuditEventType.DETERMINATION_RECORDED,
            actor=actor,
            case=case,
            obj=determination,
            summary=history_message(
                _noop("提出认定意见：%(officer)s — %(outcome)s"),
                officer=proposal.subject_officer.officer.name,
                outcome=term(determination.get_outcome_display()),
            ),
            data={
                "outcome": determination.outcome,
                "cited": determination.cited_clauses,
                "engine_outcome": assessment.outcome,
                "departure_reason": determination.departure_reason,
                "precedent_departure_reason": precedent_reason,
                "measure": determination.measure,
                "publication_scope": determination.publication_scope,
            },
        )
        handoff_notify("voting_open", case=case, actor=actor)
    return determination


def _proposal_open_for_change(actor: User, determination: Determination) -> Case:
    """Lock the case and check the proposal may still be withdrawn or amended:
    the meeting is open and no member has stated a position on it yet."""
    case = determination.case
    if not actor.has_perm("deliberation.propose_determination", case):
        raise PermissionDenied(errors.MAY_NOT_CHANGE_PROPOSAL)
    case = lock_case(case.pk)
    _require_deliberation(case)
    meeting = Meeting.objects.select_for_update().get(pk=determination.meeting_id)
    if not meeting.is_open:
        raise ValidationError(errors.PROPOSAL_FIXED_AFTER_CLOSE)
    if Vote.objects.filter(determination__meeting=meeting).exists():
        raise ValidationError(errors.PROPOSAL_FIXED_AFTER_VOTING_BEGAN)
    return case


def determination_withdraw(*, actor: User, determination: Determination, reason: str) -> None:
    """Withdraw a proposal before the meeting's first vote, with a reason:
    the officer can then be proposed for afresh."""
    if not reason.strip():
        raise ValidationError({"reason": errors.WITHDRAWAL_REASON_MISSING})
    with transaction.atomic():
        case = _proposal_open_for_change(actor, determination)
        determination = Determination.objects.select_related("subject_officer__officer").get(
            pk=determination.pk
        )
        name = determination.subject_officer.officer.name
        audit_record(
            event_type=AuditEventType.DETERMINATION_RECORDED,
            actor=actor,
            case=case,
            obj=determination.meeting,
            summary=_("撤回认定意见：%(officer)s — %(outcome)s")
            % {"officer": name, "outcome": determination.get_outcome_display()},
            data={
                "action": "withdrawn",
                "subject_officer": determination.subject_officer_id,
                "outcome": determination.outcome,
                "cited": determination.cited_clauses,
                "measure": determination.measure,
                "reason": reason.strip(),
            },
        )
        determination.delete()


# The fields a proposal sets on its determination, and may amend.
PROPOSAL_FIELDS = (
    "outcome",
    "cited_clauses",
    "measure",
    "sanction",
    "reasons",
    "departure_reason",
    "publication_scope",
)


def determination_amend(
    *, actor: User, determination: Determination, proposal: ProposalInput
) -> Determination:
    """Amend a proposal before the meeting's first vote; it is checked as a
    new one (against the facts as held now), and the change is audited."""
    if proposal.subject_officer.pk != determination.subject_officer_id:
        raise ValidationError(errors.AMENDMENT_CHANGES_OFFICER)
    with transaction.atomic():
        case = _proposal_open_for_change(actor, determination)
        determination = Determination.objects.get(pk=determination.pk)
        assessment = assess_officer(case, proposal.subject_officer, Stage.DELIBERATION)
        _check_proposal(case, proposal, assessment)
        refusal = second_sanction_refusal(
            subject_officer=proposal.subject_officer,
            outcome=proposal.outcome,
            measure=proposal.measure,
            sanction=proposal.sanction,
        )
        if refusal:
            raise ValidationError(refusal)
        before = {name: getattr(determination, name) for name in PROPOSAL_FIELDS}
        determination.outcome = proposal.outcome
        determination.cited_clauses = list(dict.fromkeys(proposal.cited_clauses))
        determination.measure = proposal.measure
        determination.sanction = proposal.sanction.strip()
        determination.reasons = proposal.reasons.strip()
        determination.departure_reason = proposal.departure_reason.strip()
        determination.publication_scope = _publication_scope(proposal)
        determination.engine_outcome = assessment.outcome
        determination.regulation = case.regulation
        determination.save()
        after = {name: getattr(determination, name) for name in PROPOSAL_FIELDS}
        audit_record(
            event_type=AuditEventType.DETERMINATION_RECORDED,
            actor=actor,
            case=case,
            obj=determination,
            summary=_("修改认定意见：%(officer)s — %(outcome)s")
            % {
                "officer": proposal.subject_officer.officer.name,
                "outcome": determination.get_outcome_display(),
            },
            data={
                "action": "amended",
                "before": before,
                "after": after,
                "changed": [name for name in PROPOSAL_FIELDS if before[name] != after[name]],
            },
        )
    return determination


def previous_rejected_meeting(meeting: Meeting) -> Meeting | None:
    """The closed meeting of the case before this one in which a proposal was
    rejected (the meeting this one was convened after), or None."""
    return (
        Meeting.objects.filter(
            case_id=meeting.case_id,
            status=Meeting.Status.CLOSED,
            created_at__lt=meeting.created_at,
            determinations__status=Determination.Status.REJECTED,
        )
        .exclude(pk=meeting.pk)
        .order_by("-created_at")
        .distinct()
        .first()
    )


def _publication_scope(proposal: ProposalInput) -> str:
    """The scope a no-liability decision is published in; none for others."""
    if proposal.outcome not in (Outcome.EXEMPT, Outcome.NO_FAULT):
        return ""
    return proposal.publication_scope or PublicationScope.UNIT


def vote_refusal(meeting: Meeting, member: MeetingMember, voted: set[int]) -> str | None:
    """Why the member may not state a position on a determination (on which
    the members `voted` have) now, or None. The chair's turn is asked apart
    (chair_waits_for): the chair's form is offered, saying it waits."""
    if not meeting.is_open:
        return str(errors.VOTING_CLOSED)
    if member.attendance != MeetingMember.Attendance.PRESENT:
        return str(errors.NOT_PRESENT)
    if member.pk in voted:
        return str(errors.ALREADY_VOTED)
    return None


def chair_waits_for(members, voted: set[int]) -> list[MeetingMember]:
    """末位表态: the present members other than the chair still to state a
    position (the chair states last, after all of them)."""
    return [
        m
        for m in members
        if m.attendance == MeetingMember.Attendance.PRESENT and not m.is_chair and m.pk not in voted
    ]


def votes_missing(meeting: Meeting) -> list[tuple[Determination, list[MeetingMember]]]:
    """Per proposed determination of the meeting, the present members yet to
    state a position on it (only those with someone missing): the chair may
    announce the result when there is a determination and none is missing.
    Reads the prefetched members and votes when there are."""
    present = [m for m in meeting.members.all() if m.attendance == MeetingMember.Attendance.PRESENT]
    missing = []
    for determination in meeting.determinations.all():
        voted = {vote.member_id for vote in determination.votes.all()}
        absent = [m for m in present if m.pk not in voted]
        if absent:
            missing.append((determination, absent))
    return missing


def vote_record(
    *, actor: User, determination: Determination, position: str, reasoning: str
) -> Vote:
    """One member states a position on one officer's determination. The chair
    states last: only after every other present member has."""
    case = determination.case
    if not actor.has_perm("deliberation.vote", case):
        raise PermissionDenied(errors.MAY_NOT_VOTE)
    if position not in Vote.Position.values:
        raise ValidationError({"position": errors.POSITION_MISSING})
    if not reasoning.strip():
        raise ValidationError({"reasoning": errors.VOTE_REASONING_MISSING})
    with transaction.atomic():
        locked = lock_case(case.pk)
        meeting = Meeting.objects.get(pk=determination.meeting_id)
        if not meeting.is_open:
            raise ValidationError(errors.VOTING_CLOSED)
        _require_deliberation(locked)
        member = meeting.members.filter(user=actor).first()
        if member is None:
            raise PermissionDenied(errors.NOT_A_MEETING_MEMBER)
        voted = set(determination.votes.values_list("member_id", flat=True))
        refusal = vote_refusal(meeting, member, voted)
        if refusal:
            raise ValidationError(refusal)
        if member.is_chair:
            waiting = chair_waits_for(meeting.members.select_related("user"), voted)
            if waiting:
                raise ValidationError(
                    errors.VOTE_CHAIR_LAST
                    % {"names": "、".join(m.user.get_full_name() for m in waiting)}
                )
        vote = Vote.objects.create(
            determination=determination,
            member=member,
            position=position,
            reasoning=reasoning.strip(),
        )
        audit_record(
            event_type=AuditEventType.VOTE_RECORDED,
            actor=actor,
            case=case,
            obj=vote,
            summary=history_message(
                _noop("%(name)s对%(officer)s的认定意见：%(position)s"),
                name=actor.get_full_name(),
                officer=determination.subject_officer.officer.name,
                position=term(vote.get_position_display()),
            ),
            data={
                "determination": determination.pk,
                "position": position,
                "reasoning": vote.reasoning,
            },
        )
    return vote


@dataclass(frozen=True)
class Tally:
    entitled: int
    present: int
    agree: int
    disagree: int
    abstain: int
    quorum_met: bool
    passed: bool

    def as_dict(self) -> dict:
        return self.__dict__.copy()


def tally_compute(meeting: Meeting, determination: Determination) -> Tally:
    """Recused members are left out of both counts; written opinions of absent
    members are no votes; a resolution needs more than the majority share of
    those entitled to vote, not of those present."""
    members = list(meeting.members.all())
    entitled = sum(1 for m in members if m.is_entitled)
    present = sum(1 for m in members if m.attendance == MeetingMember.Attendance.PRESENT)
    positions = [v.position for v in determination.votes.all()]
    agree = positions.count(Vote.Position.AGREE)
    quorum_met = present * meeting.quorum_denominator >= meeting.quorum_numerator * entitled
    passed = (
        quorum_met
        and entitled > 0
        and agree * meeting.majority_denominator > meeting.majority_numerator * entitled
    )
    return Tally(
        entitled=entitled,
        present=present,
        agree=agree,
        disagree=positions.count(Vote.Position.DISAGREE),
        abstain=positions.count(Vote.Position.ABSTAIN),
        quorum_met=quorum_met,
        passed=passed,
    )


def vote_close(*, actor: User, meeting: Meeting) -> Meeting:
    """The chair closes the vote, once: every determination is adopted or
    rejected by the computed tally, and nothing changes after. When every
    officer has an adopted determination, the case moves to decided."""
    case = meeting.case
    if not actor.has_perm("deliberation.close_vote", case):
        raise PermissionDenied(errors.MAY_NOT_CLOSE_VOTE)
    with transaction.atomic():
        case = lock_case(case.pk)
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if not meeting.is_open:
            raise ValidationError(errors.VOTE_ALREADY_CLOSED)
        _require_deliberation(case)
        if not meeting.members.filter(user=actor, is_chair=True).exists():
            raise PermissionDenied(errors.NOT_THE_MEETINGS_CHAIR)
        determinations = list(meeting.determinations.prefetch_related("votes"))
        if not determinations:
            raise ValidationError(errors.NO_PROPOSAL)
        missing = votes_missing(meeting)
        if missing:
            raise ValidationError(
                errors.VOTES_MISSING % {"officer": missing[0][0].subject_officer.officer.name}
            )
        now = timezone.now()
        results = {}
        for determination in determinations:
            tally = tally_compute(meeting, determination)
            determination.tally = tally.as_dict()
            determination.status = (
                Determination.Status.ADOPTED if tally.passed else Determination.Status.REJECTED
            )
            determination.decided_at = now
            determination.save(update_fields=["tally", "status", "decided_at"])
            results[determination.subject_officer.officer.name] = [
                determination.status,
                tally.as_dict(),
            ]
        meeting.status = Meeting.Status.CLOSED
        meeting.closed_by = actor
        meeting.closed_at = now
        meeting.save(update_fields=["status", "closed_by", "closed_at"])
        audit_record(
            event_type=AuditEventType.VOTE_CLOSED,
            actor=actor,
            case=case,
            obj=meeting,
            summary=history_message(_noop("宣布表决结果")),
            data={"results": results},
        )
        handoff_notify("result_announced", case=case, actor=actor)
        # The minutes of the meeting are issued as it closes: 第N期.
        document_number_issue(
            case=case,
            kind=DocumentKind.MINUTES,
            key=str(meeting.pk),
            title=f"关于{case.display_number}案件执法过错责任认定的集体研究",
            issued_by=actor,
        )
        officers = set(case.subject_officers.values_list("pk", flat=True))
        adopted = set(
            Determination.objects.filter(
                case=case, status=Determination.Status.ADOPTED
            ).values_list("subject_officer_id", flat=True)
        )
        if officers <= adopted:
            # The move's effects number what the decision issues
            # (filing.extensions); the documents render once it commits.
            case_transition(actor=actor, case_id=case.pk, name="decide")
    return meeting
