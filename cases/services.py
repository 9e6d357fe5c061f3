"""Use cases that change cases. Each takes the acting user, validates, runs in
one transaction and queues background work on commit."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Officer, Unit, User
from cases.models import Case, CaseNumberCounter, SubjectOfficer
from documents.kinds import DocumentKind
from documents.services import document_request


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


@dataclass(frozen=True)
class SubjectOfficerInput:
    officer: Officer
    part: str


def case_create(
    *,
    actor: User,
    unit: Unit,
    incident_summary: str,
    subject_officers: Sequence[SubjectOfficerInput],
) -> Case:
    """Register a new case in the actor's unit and queue its intake form."""
    if not actor.has_perm("cases.add_case_in_unit", unit):
        raise PermissionDenied(_("您无权在该单位登记案件。"))
    if not subject_officers:
        raise ValidationError({"officers": _("请至少选择一名涉及的执法人员。")})
    foreign = [s.officer.name for s in subject_officers if s.officer.unit_id != unit.pk]
    if foreign:
        raise ValidationError(
            {"officers": _("执法人员不属于承办单位：%(names)s") % {"names": "、".join(foreign)}}
        )
    if len({s.officer.pk for s in subject_officers}) != len(subject_officers):
        raise ValidationError({"officers": _("同一执法人员不能重复列入。")})

    with transaction.atomic():
        year = timezone.localdate().year
        sequence = case_number_allocate(unit=unit, year=year)
        case = Case(
            unit=unit,
            year=year,
            sequence=sequence,
            number=case_number_format(unit, year, sequence),
            incident_summary=incident_summary.strip(),
            created_by=actor,
        )
        case.full_clean()
        case.save()
        SubjectOfficer.objects.bulk_create(
            SubjectOfficer(case=case, officer=s.officer, part=s.part) for s in subject_officers
        )
        document_request(case=case, kind=DocumentKind.INTAKE_FORM, requested_by=actor)
    return case
