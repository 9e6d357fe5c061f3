"""factory-boy factories for the people and cases the tests need."""

import factory
from django.contrib.auth.models import Group

from accounts.models import DisciplineBody, Officer, Unit, User
from cases.models import Case, SubjectOfficer

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


class CaseFactory(factory.django.DjangoModelFactory):
    """A case row without going through the service (for list and permission
    tests); use cases.services.case_create to test creation itself."""

    class Meta:
        model = Case

    unit = factory.SubFactory(UnitFactory)
    year = 2026
    sequence = factory.Sequence(lambda n: n + 1)
    number = factory.LazyAttribute(lambda o: f"{o.unit.abbreviation}〔{o.year}〕{o.sequence}号")
    incident_summary = "某食品经营者被举报销售过期食品，执法人员检查时未发现。"
    created_by = factory.SubFactory(UserFactory)


class SubjectOfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SubjectOfficer

    case = factory.SubFactory(CaseFactory)
    officer = factory.SubFactory(OfficerFactory)
    part = SubjectOfficer.Part.HANDLER
