"""Redaction of the public notice from structured data, with property-based
tests: names and numbers as people type them, inside free text (issue 13)."""

import re

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from accounts.roles import Role
from filing.redaction import (
    case_people,
    is_calendar_date,
    name_core,
    normalise_width,
    redact_certificate,
    redact_name,
    redact_personal_data,
    redact_text,
)
from tests.factories import CaseFactory, OfficerFactory, UnitFactory, UserFactory

SURNAMES = ["张", "王", "李", "杨", "冯", "欧阳", "司马", "诸葛", "陈", "赵"]
GIVEN = "执法承办明华强伟芳静丽军洋勇艳杰娟涛"
# Filler without digits, Latin letters or the name characters, so what is
# left of a name or a number after redaction can only come from them.
FILLER = "于检查时发现该店铺存在问题经核实后予以处理现场记录如下并告知有关情况。，"
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")

names = st.builds(
    lambda surname, given: surname + given,
    st.sampled_from(SURNAMES),
    st.text(alphabet=GIVEN, min_size=1, max_size=2),
)
filler = st.text(alphabet=FILLER, max_size=12)


@st.composite
def written_name(draw, name):
    """The name as someone might type it: spaces inside, a note after it."""
    chars = list(name)
    gaps = [draw(st.sampled_from(["", "", " ", "\u3000"])) for _ in chars[1:]]
    typed = chars[0] + "".join(g + c for g, c in zip(gaps, chars[1:], strict=True))
    note = draw(st.sampled_from(["", "（泰山区）", "(科员)", "同志"]))
    return typed + note


@st.composite
def written_number(draw, digits):
    """The number as someone might type it: spaces, hyphens, brackets,
    full-width digits."""
    out = []
    for i, d in enumerate(digits):
        if i and draw(st.booleans()):
            out.append(draw(st.sampled_from([" ", "-", "\u3000"])))
        out.append(d.translate(FULL_WIDTH) if draw(st.booleans()) else d)
    text = "".join(out)
    if draw(st.booleans()):
        text = f"（{text}）"
    return text


def without_gaps(text: str) -> str:
    return re.sub(r"[\s\u3000]", "", text)


@settings(max_examples=150, deadline=None)
@given(data=st.data(), name=names, before=filler, after=filler)
def test_a_known_name_never_survives_however_it_is_typed(data, name, before, after):
    typed = data.draw(written_name(name))
    text = before + typed + after
    redacted = redact_text(text, [(name, "")])
    assert name not in without_gaps(redacted)
    assert redact_name(name) in redacted


@settings(max_examples=150, deadline=None)
@given(
    data=st.data(),
    certificate=st.text(alphabet="0123456789", min_size=8, max_size=12),
    before=filler,
    after=filler,
)
def test_a_known_certificate_never_survives_however_it_is_typed(data, certificate, before, after):
    typed = data.draw(written_number(certificate))
    redacted = redact_text(before + typed + after, [("", certificate)])
    digits = re.sub(r"\D", "", redacted.translate({0xFF10 + i: 0x30 + i for i in range(10)}))
    # At most the first and last two characters are left.
    assert len(digits) <= 4
    assert certificate not in digits


@settings(max_examples=150, deadline=None)
@given(
    data=st.data(),
    number=st.text(alphabet="0123456789", min_size=7, max_size=18),
    before=filler,
    after=filler,
)
def test_an_unknown_long_number_is_masked_by_pattern(data, number, before, after):
    typed = data.draw(written_number(number))
    # A real date written with hyphens (2026-3-15) is spared on purpose.
    assume(not is_calendar_date(normalise_width(typed).strip("（）")))
    redacted = redact_personal_data(before + typed + after)
    assert not re.search(r"[0-9０-９]", redacted)


@settings(max_examples=100, deadline=None)
@given(
    label=st.sampled_from(["投诉人", "举报人", "当事人", "反映人"]),
    name=names,
    sep=st.sampled_from(["", "：", " "]),
    tail=st.sampled_from(["称", "反映", "，", "。", "在现场", ""]),
)
def test_a_labelled_party_is_masked_even_when_unknown(label, name, sep, tail):
    redacted = redact_text(f"经查，{label}{sep}{name}{tail}情况属实", [])
    assert name not in redacted
    assert f"{label}{sep}{redact_name(name)}" in redacted


@pytest.mark.parametrize(
    ("text", "people", "absent"),
    [
        ("杨执法（泰山区）在现场", [("杨执法", "37090111")], "杨执法"),
        ("由冯承办登记", [("冯承办", "")], "冯承办"),
        ("投诉人李四称", [], "李四"),
        ("张 执法未到场", [("张执法", "")], "张 执法"),
        ("证号 3709 0011", [("张执法", "37090011")], "3709 0011"),
        ("证号３７０９００１１", [], "３７０９００１１"),
    ],
)
def test_the_probes_cases_are_masked(text, people, absent):
    assert absent not in redact_text(text, people)


def test_dates_and_short_numbers_are_kept():
    text = "2026-03-01 检查了 3 家店铺，罚款 5000 元"
    assert redact_personal_data(text) == text


def test_name_core_drops_notes_and_spaces():
    assert name_core("杨 执法（泰山区）") == "杨执法"
    assert redact_certificate("3709 0011") == "37****11"


@pytest.mark.django_db
def test_the_case_knows_sub_unit_people_and_everyone_who_acted(unit):
    from django.db import transaction

    from audit.models import AuditEventType
    from audit.services import audit_record

    sub_unit = UnitFactory(parent=unit)
    case = CaseFactory(unit=unit)
    officer = OfficerFactory(unit=sub_unit, name="杨执法")
    sub_user = UserFactory(units=[sub_unit], display_name="冯承办", roles=[Role.INSPECTOR])
    outsider = UserFactory(display_name="外单位人", roles=[Role.LEADERSHIP_CHAIR])
    with transaction.atomic():
        audit_record(event_type=AuditEventType.CASE_UPDATED, actor=outsider, case=case)
    names = {name for name, _ in case_people(case)}
    assert {officer.name, sub_user.display_name, "外单位人"} <= names
    assert (officer.name, officer.certificate_number) in case_people(case)


def test_a_number_with_a_gap_before_its_last_digit_is_masked_whole():
    # Found by the property above: a phone-shaped front ("0000…" as an area
    # code and number) once took the front and left the last digit.
    assert redact_personal_data("电话000000000000 0。") == "电话**************。"
