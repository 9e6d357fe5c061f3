import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.roles import Role
from audit.models import AuditEvent
from cases import errors as cases_errors
from cases.models import Case, CaseNumberCounter
from cases.services.intake import (
    IncidentInput,
    SubjectOfficerInput,
    case_create,
    case_number_format,
)
from cases.workflow import CaseState
from tests.factories import OfficerFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

INCIDENT = IncidentInput(
    summary="2026年3月5日，某食品经营者被举报销售过期食品，执法人员检查时未发现。",
    date=datetime.date(2026, 3, 5),
    place="泰安市泰山区",
    field="food",
    activity_kind="inspection",
    lead_source="complaint",
    allegation="执法人员未能发现过期食品，涉嫌未履行监督检查职责。",
)


def _create(actor, unit, officers, incident=INCIDENT):
    return case_create(
        actor=actor,
        unit=unit,
        incident=incident,
        subject_officers=[SubjectOfficerInput(officer=o, part="handler") for o in officers],
    )


def test_number_format_has_full_year_in_brackets_and_no_leading_zeros(unit):
    assert case_number_format(unit, 2026, 7) == "泰市监〔2026〕7号"


def test_it_opens_a_draft_without_a_number(inspector, unit, officers):
    case = _create(inspector, unit, officers)
    assert case.state == CaseState.DRAFT
    assert case.number is None
    assert not CaseNumberCounter.objects.exists()


def test_it_applies_the_regulation_of_the_units_jurisdiction(inspector, unit, officers, catalogs):
    case = _create(inspector, unit, officers)
    assert case.regulation == catalogs["taian"]


def test_it_refuses_conduct_before_any_regulation_took_effect(inspector, unit, officers):
    early = IncidentInput(**{**INCIDENT.__dict__, "date": datetime.date(2019, 1, 1)})
    with pytest.raises(ValidationError) as error:
        _create(inspector, unit, officers, early)
    assert error.value.message_dict["incident_date"] == [
        cases_errors.NO_REGULATION_IN_FORCE % {"unit": unit.name, "date": "2019年1月1日"}
    ]
    assert not Case.objects.exists()


def test_it_refuses_a_future_incident_date(inspector, unit, officers):
    future = IncidentInput(
        **{**INCIDENT.__dict__, "date": timezone.localdate() + datetime.timedelta(days=2)}
    )
    with pytest.raises(ValidationError):
        _create(inspector, unit, officers, future)
    assert not Case.objects.exists()


def test_it_records_subject_officers_with_their_part(inspector, unit, officers):
    case = case_create(
        actor=inspector,
        unit=unit,
        incident=INCIDENT,
        subject_officers=[
            SubjectOfficerInput(officer=officers[0], part="handler"),
            SubjectOfficerInput(officer=officers[1], part="approver"),
        ],
    )
    parts = dict(case.subject_officers.values_list("officer__name", "part"))
    assert parts == {"张执法": "handler", "刘执法": "approver"}


def test_it_writes_an_audit_event(inspector, unit, officers):
    case = _create(inspector, unit, officers)
    event = AuditEvent.objects.get(case=case)
    assert event.event_type == "case_created"
    assert event.actor == inspector


def test_it_requires_the_inspector_role(unit, officers):
    investigator = UserFactory(units=[unit], roles=[Role.INVESTIGATOR])
    with pytest.raises(PermissionDenied):
        _create(investigator, unit, officers)
    assert not Case.objects.exists()


def test_it_refuses_a_unit_the_inspector_does_not_belong_to(inspector, other_unit):
    officer = OfficerFactory(unit=other_unit)
    with pytest.raises(PermissionDenied):
        _create(inspector, other_unit, [officer])
    assert not Case.objects.exists()


def test_it_refuses_a_case_without_officers(inspector, unit):
    with pytest.raises(ValidationError) as error:
        _create(inspector, unit, [])
    assert str(cases_errors.NO_SUBJECT_OFFICERS) in error.value.message_dict["officers"]
    assert not Case.objects.exists()


def test_it_refuses_officers_of_another_unit(inspector, unit, officers):
    stranger = OfficerFactory(name="外单位人员", unit=UnitFactory())
    with pytest.raises(ValidationError) as error:
        _create(inspector, unit, [officers[0], stranger])
    assert "外单位人员" in error.value.message_dict["officers"][0]
    assert not Case.objects.exists()


def test_it_refuses_the_same_officer_twice(inspector, unit, officers):
    with pytest.raises(ValidationError):
        _create(inspector, unit, [officers[0], officers[0]])
    assert not Case.objects.exists()
