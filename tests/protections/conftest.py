"""People around the interference register and protection requests: a
municipal bureau with a county bureau below it, and an unrelated bureau with
its own discipline body."""

import datetime
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Unit, User
from accounts.roles import Role
from protections.models import Channel, Designation
from protections.services.interference import InterferenceInput, interference_record
from protections.services.protection import ProtectionInput, protection_request_file
from tests.factories import OfficerFactory, UnitFactory, UserFactory

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 64


def pdf_upload(name="通话录音整理.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def an_hour_ago() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=1)


def interference_input(**overrides) -> InterferenceInput:
    values = {
        "occurred_at": an_hour_ago(),
        "interferer_name": "赵某",
        "interferer_unit": "某商贸有限公司",
        "interferer_position": "总经理",
        "channel": Channel.PHONE,
        "matter": "某食品店涉嫌销售过期食品案",
        "request_content": "要求不予立案，检查记录写轻一点。",
        "response": "当场拒绝，并告知将如实记录。",
    }
    values.update(overrides)
    return InterferenceInput(**values)


def protection_input(**overrides) -> ProtectionInput:
    values = {
        "affected_person": "self",
        "incident_kind": "following",
        "occurred_at": an_hour_ago(),
        "place": "某小区门口",
        "description": "下班途中被尾随至小区门口。",
        "duty_connection": "此前依法取缔其亲属的无照经营摊点。",
    }
    values.update(overrides)
    return ProtectionInput(**values)


def officer_user(unit: Unit, name: str, certificate: str, *roles) -> User:
    user = UserFactory(display_name=name, units=[unit], roles=list(roles or [Role.INSPECTOR]))
    OfficerFactory(name=name, certificate_number=certificate, unit=unit, user=user)
    return user


@dataclass
class People:
    unit: Unit
    county: Unit
    other_unit: Unit
    officer: User
    colleague: User
    county_officer: User
    other_officer: User
    liaison: User
    body_liaison: User
    other_liaison: User
    reader: User
    leader: User
    handler: User
    admin: User
    other_admin: User
    inspector: User


@pytest.fixture
def people(unit, other_unit) -> People:
    county = UnitFactory(
        name="泰山区市场监督管理局",
        abbreviation="泰山市监",
        kind=Unit.Kind.COUNTY_BUREAU,
        level=Unit.Level.COUNTY,
        parent=unit,
        discipline_body=unit.discipline_body,
    )
    reader = UserFactory(display_name="钱局长", units=[unit], roles=[Role.LEADERSHIP_CHAIR])
    handler = UserFactory(display_name="孙副局长", units=[unit], roles=[Role.LEADERSHIP_MEMBER])
    Designation.objects.create(
        user=reader, unit=unit, kind=Designation.Kind.INTERFERENCE_READER, basis="党组会议决定"
    )
    Designation.objects.create(
        user=handler, unit=unit, kind=Designation.Kind.PROTECTION_HANDLER, basis="党组会议决定"
    )
    return People(
        unit=unit,
        county=county,
        other_unit=other_unit,
        officer=officer_user(unit, "王承办", "37090001"),
        colleague=officer_user(unit, "李执法", "37090002"),
        county_officer=officer_user(county, "冯承办", "37090101"),
        other_officer=officer_user(other_unit, "陈承办", "32070001"),
        liaison=UserFactory(
            display_name="吴联络",
            units=[unit],
            roles=[Role.DISCIPLINE_LIAISON],
            discipline_body=unit.discipline_body,
        ),
        # A liaison of the unit's discipline body who is not a member of any unit.
        body_liaison=UserFactory(
            display_name="郑联络",
            roles=[Role.DISCIPLINE_LIAISON],
            discipline_body=unit.discipline_body,
        ),
        other_liaison=UserFactory(
            display_name="沈联络",
            units=[other_unit],
            roles=[Role.DISCIPLINE_LIAISON],
            discipline_body=other_unit.discipline_body,
        ),
        reader=reader,
        leader=UserFactory(display_name="周副局长", units=[unit], roles=[Role.LEADERSHIP_MEMBER]),
        handler=handler,
        # The security administrator keeps designations (三员分立); a superuser
        # flag, which grants nothing, is kept to prove it.
        admin=UserFactory(
            display_name="秦安全",
            units=[unit],
            roles=[Role.SECURITY_ADMINISTRATOR],
            is_staff=True,
            is_superuser=True,
        ),
        other_admin=UserFactory(
            display_name="连管理",
            units=[other_unit],
            roles=[Role.SECURITY_ADMINISTRATOR],
            is_staff=True,
        ),
        # Sees the unit's cases, holds no officer record.
        inspector=UserFactory(display_name="林承办", units=[unit], roles=[Role.INSPECTOR]),
    )


@pytest.fixture
def entry(people):
    return interference_record(
        actor=people.officer, data=interference_input(), attachments=[pdf_upload()]
    )


@pytest.fixture
def county_entry(people):
    return interference_record(actor=people.county_officer, data=interference_input())


@pytest.fixture
def protection(people):
    return protection_request_file(actor=people.officer, data=protection_input())
