"""Protection requests (Lianyungang art. 18): the officer files one; the
designated handlers coordinate with the police, record each contact and move
the request along its flow's table (protections.workflow.FLOW), which
every move is checked against; every move is kept in the
request's history and audited."""

import datetime
from dataclasses import asdict, dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.numbering import next_sequence, register_number
from audit.models import AuditEventType
from audit.services import audit_record
from protections import errors
from protections.models import (
    AffectedPerson,
    IncidentKind,
    PoliceCoordination,
    ProtectionRequest,
    ProtectionStatus,
    ProtectionStatusChange,
)
from protections.rules import allowed
from protections.selectors import officer_for
from protections.workflow import FLOW, POLICE_RECORD_STATES

REQUIRED_FIELDS = (
    ("affected_person", errors.AFFECTED_PERSON_MISSING),
    ("incident_kind", errors.INCIDENT_KIND_MISSING),
    ("occurred_at", errors.OCCURRED_AT_MISSING),
    ("place", errors.PLACE_MISSING),
    ("description", errors.DESCRIPTION_MISSING),
    ("duty_connection", errors.DUTY_CONNECTION_MISSING),
)


@dataclass(frozen=True)
class ProtectionInput:
    affected_person: str
    incident_kind: str
    occurred_at: datetime.datetime | None
    place: str
    description: str
    duty_connection: str
    affected_name: str = ""


@dataclass(frozen=True)
class AvailableMove:
    name: str
    label: str
    allowed: bool
    reason: str | None
    needs_outcome: bool


def available_moves(protection: ProtectionRequest, user: User) -> list[AvailableMove]:
    """The moves from the current status, for a handler; the page shows a
    refused one disabled with its reason."""
    result = []
    for move in FLOW.moves_from(protection.status):
        if not allowed(user, FLOW.actors[move.actor].permission, protection):
            continue
        reason = FLOW.move_refusal(protection, move)
        result.append(
            AvailableMove(
                name=move.name,
                label=str(move.label),
                allowed=reason is None,
                reason=reason,
                needs_outcome=ProtectionStatus.CLOSED in move.targets,
            )
        )
    return result


def protection_input_check(data: ProtectionInput) -> ProtectionInput:
    data = ProtectionInput(
        **{k: v.strip() if isinstance(v, str) else v for k, v in asdict(data).items()}
    )
    problems: dict[str, str] = {}
    for field, message in REQUIRED_FIELDS:
        if not getattr(data, field):
            problems[field] = str(message)
    if data.affected_person and data.affected_person not in AffectedPerson.values:
        problems["affected_person"] = errors.AFFECTED_PERSON_MISSING
    if data.incident_kind and data.incident_kind not in IncidentKind.values:
        problems["incident_kind"] = errors.INCIDENT_KIND_MISSING
    if (
        data.affected_person
        and data.affected_person != AffectedPerson.SELF
        and not data.affected_name
    ):
        problems["affected_name"] = str(errors.AFFECTED_NAME_MISSING)
    if data.occurred_at and data.occurred_at > timezone.now():
        problems["occurred_at"] = str(errors.OCCURRED_IN_FUTURE)
    if problems:
        raise ValidationError(problems)
    if data.affected_person == AffectedPerson.SELF:
        data = ProtectionInput(**{**asdict(data), "affected_name": ""})
    return data


def protection_request_file(*, actor: User, data: ProtectionInput) -> ProtectionRequest:
    """The officer asks the bureau for protection."""
    officer = officer_for(actor)
    if officer is None or not allowed(actor, FLOW.actors[FLOW.created_by].permission):
        raise PermissionDenied(errors.ONLY_OFFICER_REQUESTS_PROTECTION)
    data = protection_input_check(data)
    with transaction.atomic():
        now = timezone.now()
        year = timezone.localdate(now).year
        sequence = next_sequence(ProtectionRequest, unit=officer.unit, year=year)
        protection = ProtectionRequest(
            unit=officer.unit,
            officer=officer,
            requested_by=actor,
            year=year,
            sequence=sequence,
            number=register_number(officer.unit, "保护", year, sequence),
            status=FLOW.initial,
            status_changed_at=now,
            created_at=now,
            **asdict(data),
        )
        protection.full_clean(
            exclude=["unit", "officer", "requested_by"],
            validate_unique=False,
            validate_constraints=False,
        )
        protection.save()
        ProtectionStatusChange.objects.create(
            request=protection, to_status=protection.status, actor=actor, changed_at=now
        )
        audit_record(
            event_type=AuditEventType.PROTECTION_REQUESTED,
            actor=actor,
            obj=protection,
            summary=_("提出保护申请%(number)s") % {"number": protection.number},
            data={"number": protection.number, "incident_kind": protection.incident_kind},
        )
    return protection


def protection_request_move(
    *, actor: User, protection: ProtectionRequest, name: str, note: str = "", outcome: str = ""
) -> ProtectionRequest:
    """Move a request along (a designated handler), with the row locked; an
    illegal move is refused with its reason and changes nothing."""
    move = FLOW.moves.get(name)
    if move is None:
        raise ValidationError(str(errors.UNKNOWN_MOVE))
    if not allowed(actor, FLOW.actors[move.actor].permission, protection):
        raise PermissionDenied(errors.ONLY_HANDLER_HANDLES_REQUEST)
    note, outcome = note.strip(), outcome.strip()
    (target,) = move.targets
    with transaction.atomic():
        protection = ProtectionRequest.objects.select_for_update().get(pk=protection.pk)
        # The table decides: a move it does not allow now is refused here,
        # before anything changes.
        FLOW.require_move(protection, name)
        if target == ProtectionStatus.CLOSED and not outcome:
            raise ValidationError({"outcome": str(errors.OUTCOME_MISSING)})
        before = protection.status
        now = timezone.now()
        protection.status = target
        protection.status_changed_at = now
        fields = ["status", "status_changed_at"]
        if target == ProtectionStatus.CLOSED:
            protection.outcome = outcome
            fields.append("outcome")
        protection.save(update_fields=fields)
        ProtectionStatusChange.objects.create(
            request=protection,
            from_status=before,
            to_status=target,
            note=note or outcome,
            actor=actor,
            changed_at=now,
        )
        audit_record(
            event_type=AuditEventType.PROTECTION_STATUS_CHANGED,
            actor=actor,
            obj=protection,
            summary=_("保护申请%(number)s：%(before)s → %(after)s")
            % {
                "number": protection.number,
                "before": ProtectionStatus(before).label,
                "after": protection.get_status_display(),
            },
            data={"before": {"status": before}, "after": {"status": target}, "note": note},
        )
    return protection


def police_coordination_record(
    *,
    actor: User,
    protection: ProtectionRequest,
    contacted_on: datetime.date | None,
    police_unit: str,
    actions: str,
    reference_number: str = "",
) -> PoliceCoordination:
    """One contact with the police, while the request is being coordinated
    or after measures were taken."""
    if not allowed(actor, "protections.handle_protection", protection):
        raise PermissionDenied(errors.ONLY_HANDLER_RECORDS_POLICE)
    police_unit, actions = police_unit.strip(), actions.strip()
    problems = {}
    if contacted_on is None:
        problems["contacted_on"] = errors.CONTACT_DATE_MISSING
    elif contacted_on > timezone.localdate():
        problems["contacted_on"] = str(errors.CONTACT_DATE_IN_FUTURE)
    if not police_unit:
        problems["police_unit"] = errors.POLICE_NAME_MISSING
    if not actions:
        problems["actions"] = errors.MEASURES_MISSING
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        protection = ProtectionRequest.objects.select_for_update().get(pk=protection.pk)
        if protection.status not in POLICE_RECORD_STATES:
            raise ValidationError(
                str(errors.POLICE_NOT_NOW) % {"status": protection.get_status_display()}
            )
        record = PoliceCoordination(
            request=protection,
            contacted_on=contacted_on,
            police_unit=police_unit,
            reference_number=reference_number.strip(),
            actions=actions,
            recorded_by=actor,
            recorded_at=timezone.now(),
        )
        record.full_clean(exclude=["request", "recorded_by"])
        record.save()
        audit_record(
            event_type=AuditEventType.PROTECTION_POLICE_RECORDED,
            actor=actor,
            obj=protection,
            summary=_("保护申请%(number)s：记录协调%(police)s")
            % {"number": protection.number, "police": police_unit},
            data={
                "number": protection.number,
                "contacted_on": contacted_on.isoformat(),
                "police_unit": police_unit,
                "reference_number": record.reference_number,
            },
        )
    return record
