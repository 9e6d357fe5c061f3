"""factory-boy factories for the people and cases the tests need."""

import datetime

import factory
from django.contrib.auth.models import Group

from accounts.models import DisciplineBody, Officer, Unit, User
from cases.models import Case, SubjectOfficer
from exemptions.models import RegulationVersion
from exemptions.services import catalogs_load_all

TEST_PASSWORD = "test-password-2026"  # noqa: S105


class DisciplineBodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DisciplineBody

    name = factory.Sequence(lambda n: f"纪检监察组{n}")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"测试市场监督管理局{n}")
    abbreviation = factory.Sequence(lambda n: f"测监{n}")
    kind = Unit.Kind.MUNICIPAL_BUREAU
    level = Unit.Level.MUNICIPAL
    jurisdiction = "taian"
    discipline_body = factory.SubFactory(DisciplineBodyFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def units(self, create, extracted, **kwargs):
        if create and extracted:
            self.units.add(*extracted)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            # get_or_create: transactional tests flush the groups that the
            # data migration made.
            self.groups.add(*(Group.objects.get_or_create(name=role)[0] for role in extracted))


class OfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Officer

    name = factory.Sequence(lambda n: f"执法人员{n}")
    certificate_number = factory.Sequence(lambda n: f"T{n:07d}")
    unit = factory.SubFactory(UnitFactory)
    post = "科员"


def current_regulation(jurisdiction: str) -> RegulationVersion:
    """The loaded catalogue version of a jurisdiction, loading the catalogues
    first when the test database has none (transactional tests flush them)."""
    if not RegulationVersion.objects.exists():
        catalogs_load_all()
    return RegulationVersion.objects.get(
        is_current=True, regulation__jurisdiction_code=jurisdiction
    )


class CaseFactory(factory.django.DjangoModelFactory):
    """A case row without going through the service (for list and permission
    tests); use cases.services.intake.case_create to test creation itself."""

    class Meta:
        model = Case

    unit = factory.SubFactory(UnitFactory)
    regulation = factory.LazyAttribute(lambda o: current_regulation(o.unit.jurisdiction))
    year = 2026
    sequence = factory.Sequence(lambda n: n + 1)
    number = factory.LazyAttribute(lambda o: f"{o.unit.abbreviation}〔{o.year}〕{o.sequence}号")
    incident_summary = "某食品经营者被举报销售过期食品，执法人员检查时未发现。"
    incident_date = datetime.date(2026, 3, 5)
    incident_place = "泰安市泰山区"
    field = "food"
    activity_kind = "inspection"
    lead_source = "complaint"
    allegation = "执法人员未能发现过期食品，涉嫌未履行监督检查职责。"
    created_by = factory.SubFactory(UserFactory)


class SubjectOfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SubjectOfficer

    case = factory.SubFactory(CaseFactory)
    officer = factory.SubFactory(OfficerFactory)
    part = SubjectOfficer.Part.HANDLER
