import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.roles import Role
from cases.models import Case, CaseNumberCounter
from cases.services import SubjectOfficerInput, case_create, case_number_format
from documents.kinds import DocumentKind
from documents.models import Document
from tests.factories import OfficerFactory, UnitFactory, UserFactory

SUMMARY = "2026年3月5日，某食品经营者被举报销售过期食品，执法人员检查时未发现。"


def _create(actor, unit, officers, **overrides):
    arguments = {
        "actor": actor,
        "unit": unit,
        "incident_summary": SUMMARY,
        "subject_officers": [SubjectOfficerInput(officer=o, part="handler") for o in officers],
    }
    arguments.update(overrides)
    return case_create(**arguments)


def test_number_format_has_full_year_in_brackets_and_no_leading_zeros(unit):
    assert case_number_format(unit, 2026, 7) == "泰市监〔2026〕7号"


@pytest.mark.django_db
def test_it_numbers_cases_in_sequence_per_unit(inspector, unit, officers, other_unit):
    first = _create(inspector, unit, officers[:1])
    second = _create(inspector, unit, officers[1:])
    assert (first.sequence, second.sequence) == (1, 2)
    assert second.number == f"泰市监〔{second.year}〕2号"
    assert CaseNumberCounter.objects.get(unit=unit).last_sequence == 2
    assert not CaseNumberCounter.objects.filter(unit=other_unit).exists()


@pytest.mark.django_db
def test_it_records_subject_officers_with_their_part(inspector, unit, officers):
    case = case_create(
        actor=inspector,
        unit=unit,
        incident_summary=SUMMARY,
        subject_officers=[
            SubjectOfficerInput(officer=officers[0], part="handler"),
            SubjectOfficerInput(officer=officers[1], part="approver"),
        ],
    )
    parts = dict(case.subject_officers.values_list("officer__name", "part"))
    assert parts == {"张执法": "handler", "刘执法": "approver"}


@pytest.mark.django_db
def test_it_renders_the_intake_form(inspector, unit, officers, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = _create(inspector, unit, officers)
    document = Document.objects.get(case=case)
    assert document.kind == DocumentKind.INTAKE_FORM
    assert document.status == Document.Status.DONE, document.error
    assert document.file.read(5) == b"%PDF-"
    assert document.page_count == 1


@pytest.mark.django_db
def test_it_requires_the_inspector_role(unit, officers):
    investigator = UserFactory(units=[unit], roles=[Role.INVESTIGATOR])
    with pytest.raises(PermissionDenied):
        _create(investigator, unit, officers)
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_unit_the_inspector_does_not_belong_to(inspector, other_unit):
    officer = OfficerFactory(unit=other_unit)
    with pytest.raises(PermissionDenied):
        _create(inspector, other_unit, [officer])
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_case_without_officers(inspector, unit):
    with pytest.raises(ValidationError) as error:
        _create(inspector, unit, [])
    assert "请至少选择一名涉及的执法人员。" in error.value.message_dict["officers"]
    assert not Case.objects.exists()
    assert not CaseNumberCounter.objects.exists()


@pytest.mark.django_db
def test_it_refuses_officers_of_another_unit(inspector, unit, officers):
    stranger = OfficerFactory(name="外单位人员", unit=UnitFactory())
    with pytest.raises(ValidationError) as error:
        _create(inspector, unit, [officers[0], stranger])
    assert "外单位人员" in error.value.message_dict["officers"][0]
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_it_refuses_the_same_officer_twice(inspector, unit, officers):
    with pytest.raises(ValidationError):
        _create(inspector, unit, [officers[0], officers[0]])
    assert not Case.objects.exists()
