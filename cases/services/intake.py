"""Intake: creating a case as a draft, its officers, the clauses claimed, and
the number it gets at registration."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_noop as _noop

from accounts.models import Officer, Unit, User
from audit.messages import history_message, term
from audit.models import AuditEventType
from audit.services import audit_record
from cases import errors
from cases.models import Case, CaseNumberCounter, ClauseClaim, SubjectOfficer
from cases.workflow import DECIDED_STATES, FACTS_OPEN_IN, Stage
from exemptions.citations import clause_where, clause_where_en
from exemptions.models import RegulationVersion
from exemptions.selectors import regulation_version_for


def case_number_format(unit: Unit, year: int, sequence: int) -> str:
    """泰市监〔2026〕3号: year in full inside 〔〕, no leading zeros, no 第."""
    return f"{unit.abbreviation}〔{year}〕{sequence}号"


def case_number_allocate(*, unit: Unit, year: int) -> int:
    """The next sequence for the unit and year. Must run inside a transaction:
    the counter row is locked until it commits, so concurrent allocations queue
    up instead of colliding."""
    CaseNumberCounter.objects.get_or_create(unit=unit, year=year)
    counter = CaseNumberCounter.objects.select_for_update().get(unit=unit, year=year)
    counter.last_sequence += 1
    counter.save(update_fields=["last_sequence"])
    return counter.last_sequence


def case_number_assign(*, case: Case) -> None:
    """Give a registering case its official number (in the caller's
    transaction, with the case row locked)."""
    if case.number:
        return
    year = timezone.localdate().year
    case.year = year
    case.sequence = case_number_allocate(unit=case.unit, year=year)
    case.number = case_number_format(case.unit, year, case.sequence)


@dataclass(frozen=True)
class SubjectOfficerInput:
    officer: Officer
    part: str


@dataclass(frozen=True)
class IncidentInput:
    summary: str
    date: datetime.date
    place: str
    field: str
    activity_kind: str
    lead_source: str
    allegation: str
    disputed: bool = False
    organs_intervened: bool = False


def applicable_regulation(unit: Unit, on_date: datetime.date) -> RegulationVersion:
    """The catalogue in force for the unit's jurisdiction on the date of the
    conduct, or a ValidationError saying there is none."""
    version = regulation_version_for(unit.jurisdiction, on_date)
    if version is None:
        raise ValidationError(
            {
                "incident_date": errors.NO_REGULATION_IN_FORCE
                % {"unit": unit.name, "date": date_format(on_date)}
            }
        )
    return version


def _validate_officers(unit: Unit, subject_officers: Sequence[SubjectOfficerInput]) -> None:
    if not subject_officers:
        raise ValidationError({"officers": errors.NO_SUBJECT_OFFICERS})
    foreign = [s.officer.name for s in subject_officers if s.officer.unit_id != unit.pk]
    if foreign:
        raise ValidationError(
            {"officers": errors.OFFICERS_OUTSIDE_UNIT % {"names": "、".join(foreign)}}
        )
    if len({s.officer.pk for s in subject_officers}) != len(subject_officers):
        raise ValidationError({"officers": errors.DUPLICATE_OFFICER})


def case_create(
    *,
    actor: User,
    unit: Unit,
    incident: IncidentInput,
    subject_officers: Sequence[SubjectOfficerInput],
) -> Case:
    """Open a draft case in the actor's unit under the regulation that applies
    to the unit's jurisdiction on the date of the conduct."""
    if not actor.has_perm("cases.add_case_in_unit", unit):
        raise PermissionDenied(errors.MAY_NOT_REGISTER_IN_UNIT)
    _validate_officers(unit, subject_officers)
    if incident.date > timezone.localdate():
        raise ValidationError({"incident_date": errors.INCIDENT_DATE_IN_FUTURE})
    regulation = applicable_regulation(unit, incident.date)

    with transaction.atomic():
        case = Case(
            unit=unit,
            regulation=regulation,
            incident_summary=incident.summary.strip(),
            incident_date=incident.date,
            incident_place=incident.place.strip(),
            field=incident.field,
            activity_kind=incident.activity_kind,
            lead_source=incident.lead_source,
            allegation=incident.allegation.strip(),
            disputed=incident.disputed,
            organs_intervened=incident.organs_intervened,
            created_by=actor,
        )
        # The state is the state machine's alone (a protected field).
        case.full_clean(exclude=["state"])
        case.save()
        SubjectOfficer.objects.bulk_create(
            SubjectOfficer(case=case, officer=s.officer, part=s.part) for s in subject_officers
        )
        audit_record(
            event_type=AuditEventType.CASE_CREATED,
            actor=actor,
            case=case,
            obj=case,
            summary=history_message(_noop("创建案件草稿")),
            data={
                "after": {
                    "unit": unit.name,
                    "regulation": f"{regulation.regulation.slug} v{regulation.number}",
                    "officers": [f"{s.officer.name}（{s.part}）" for s in subject_officers],
                    "disputed": incident.disputed,
                }
            },
        )
    return case


def case_claims_set(
    *,
    actor: User,
    case: Case,
    subject_officer: SubjectOfficer,
    clause_refs: Sequence[str],
    note: str = "",
) -> list[ClauseClaim]:
    """Replace the clauses claimed for one officer (only before the
    investigation starts)."""
    if not actor.has_perm("cases.edit_intake", case):
        raise PermissionDenied(errors.MAY_NOT_EDIT_INTAKE)
    if case.state not in FACTS_OPEN_IN[Stage.INTAKE]:
        raise ValidationError(errors.CLAUSES_FIXED_AFTER_INVESTIGATION)
    known = set(case.regulation.clauses.values_list("ref", flat=True))
    unknown = [ref for ref in clause_refs if ref not in known]
    if unknown:
        raise ValidationError(
            {"clauses": errors.CLAUSES_OUTSIDE_REGULATION % {"refs": "、".join(unknown)}}
        )
    with transaction.atomic():
        locked = Case.objects.select_for_update().only("state").get(pk=case.pk)
        if locked.state not in FACTS_OPEN_IN[Stage.INTAKE]:
            raise ValidationError(errors.CLAUSES_FIXED_AFTER_INVESTIGATION)
        before = sorted(subject_officer.clause_claims.values_list("clause_ref", flat=True))
        subject_officer.clause_claims.all().delete()
        claims = ClauseClaim.objects.bulk_create(
            ClauseClaim(
                case=case,
                subject_officer=subject_officer,
                clause_ref=ref,
                note=note,
                claimed_by=actor,
            )
            for ref in dict.fromkeys(clause_refs)
        )
        audit_record(
            event_type=AuditEventType.CLAIM_RECORDED,
            actor=actor,
            case=case,
            obj=subject_officer,
            summary=history_message(
                _noop("%(name)s主张适用的条款：%(refs)s"),
                name=subject_officer.officer.name,
                refs=_cited(list(dict.fromkeys(clause_refs))),
            ),
            data={"before": before, "after": list(dict.fromkeys(clause_refs))},
        )
    return claims


def case_regulation_change(
    *, actor: User, case: Case, regulation: RegulationVersion, reason: str
) -> Case:
    """Change the regulation applied: administrators only, with a reason, and
    only before a determination is made."""
    if not actor.has_perm("cases.change_regulation", case):
        raise PermissionDenied(errors.MAY_NOT_CHANGE_REGULATION)
    if not reason.strip():
        raise ValidationError({"reason": errors.REGULATION_CHANGE_REASON_MISSING})
    with transaction.atomic():
        locked = (
            Case.objects.select_for_update(of=("self",))
            .select_related("regulation")
            .get(pk=case.pk)
        )
        if locked.state in DECIDED_STATES:
            raise ValidationError(errors.REGULATION_FIXED_AFTER_DECISION)
        before = str(locked.regulation)
        locked.regulation = regulation
        locked.regulation_change_reason = reason.strip()
        locked.save(update_fields=["regulation", "regulation_change_reason"])
        audit_record(
            event_type=AuditEventType.REGULATION_CHANGED,
            actor=actor,
            case=locked,
            obj=locked,
            summary=history_message(_noop("变更适用的免责办法")),
            data={"before": before, "after": str(regulation), "reason": reason.strip()},
        )
    return locked


def _cited(refs: list[str]) -> dict | str:
    """The claimed clauses for the history as the regulation numbers them,
    in the reader's language (第六条第（四）项 / Art. 6(4))."""
    if not refs:
        return "—"
    return term(
        "、".join(clause_where(ref) for ref in refs),
        english=", ".join(clause_where_en(ref) for ref in refs),
    )
