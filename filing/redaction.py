"""Redaction of a public notice from structured data (issue 13).

Every person the case knows (its subject officers, the officers and users of
its unit and the units below, everyone who acted on it) is masked wherever
their name appears in free text, tolerant of spaces inside the name ("张 执法")
and of a bracketed note after it ("杨执法（泰山区）"). Certificate and identity
numbers are masked by pattern as well as by value, tolerant of spaces,
hyphens, brackets and full-width digits ("3709 0011", "３７０９００１１").
A name written after a label such as 投诉人 or 举报人 is masked too, recorded
with the case or not."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable

# Full-width digits and letters map one to one onto ASCII, so a match found in
# the normalised text has the same span in the original.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULL_WIDTH[0x3000] = 0x20  # ideographic space
_SEPARATORS = r"[\s\u3000\-－()（）\[\]【】]*"
_NAME_GAP = r"[\s\u3000]*"
_BRACKETED = re.compile(r"[（(][^）)]*[）)]")
_HAN = r"[\u4e00-\u9fff]"

COMPOUND_SURNAMES = (
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐",
    "长孙", "宇文", "司徒", "夏侯", "轩辕", "端木", "南宫", "独孤", "西门", "闻人",
)  # fmt: skip

# Personal data a public notice must not carry, whoever typed it: e-mail
# addresses, resident ID numbers, mobile and landline numbers, and any other
# run of seven or more digits, separators allowed between them.
# Longest first: a number typed with a gap before its last digits must be
# masked whole, so the general run of digits comes before the phone formats
# (which would otherwise take the front and leave the tail), and an ID number
# only ends where no further digit follows, gaps included.
_PERSONAL_DATA = (
    re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"),
    re.compile(r"(?<![0-9A-Za-z])\d(?:" + _SEPARATORS + r"\d){16}" + _SEPARATORS + r"[0-9Xx](?!" + _SEPARATORS + r"[0-9A-Za-z])"),
    re.compile(r"(?<![\dA-Za-z])\d(?:[\s\u3000\-()（）]*\d){6,}(?![\dA-Za-z])"),
    re.compile(r"(?<!\d)(?:\+?86[-\s]?)?1[3-9]\d(?:[-\s]?\d{4}){2}(?!\d)"),
    re.compile(r"(?<!\d)\(?0\d{2,3}\)?[-\s]?\d{7,8}(?!\d)"),
)  # fmt: skip
_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
# Common surnames: a labelled party's name is taken only when it starts with
# one, so that "投诉人称" is left alone while "投诉人李四" is masked.
COMMON_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞"
    "左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕"
    "屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧"
    "闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)
_SURNAME = "(?:" + "|".join(COMPOUND_SURNAMES) + f"|[{COMMON_SURNAMES}])"
_TERMINATOR = r"(?=称|说|于|在|向|等|反映|投诉|举报|的|与|和|及|[^\u4e00-\u9fff]|$)"
# A party named after its label: 投诉人李四, 举报人：王五, 当事人 赵六。 A name
# followed by a word boundary is taken whole (two or three characters);
# otherwise the surname and one character, which is the most common length.
_LABELLED_NAME = re.compile(
    r"(投诉人|举报人|检举人|反映人|当事人|申请人|证人|被投诉人|被举报人)([：:\s\u3000]*)"
    + rf"({_SURNAME}(?:{_HAN}{{1,2}}?{_TERMINATOR}|{_HAN}))"
)


def normalise_width(text: str) -> str:
    return text.translate(_FULL_WIDTH)


def redact_name(name: str) -> str:
    """张执法 → 张某, 欧阳明 → 欧阳某: the surname and 某."""
    name = name_core(name)
    if not name:
        return ""
    for surname in COMPOUND_SURNAMES:
        if name.startswith(surname) and len(name) > len(surname):
            return surname + "某"
    return name[0] + "某"


def redact_certificate(number: str) -> str:
    """37090011 → 37****11: the first and last two characters of a number of
    more than six; a shorter one is masked entirely."""
    number = number_core(number)
    if len(number) <= 6:
        return "*" * len(number)
    return number[:2] + "*" * (len(number) - 4) + number[-2:]


def name_core(name: str) -> str:
    """The name without a bracketed note or any space: "杨执法（泰山区）" → 杨执法."""
    return re.sub(r"[\s\u3000]+", "", _BRACKETED.sub("", normalise_width(name or "")))


def number_core(number: str) -> str:
    return re.sub(r"[^0-9A-Za-z]", "", normalise_width(number or ""))


def _name_pattern(name: str) -> re.Pattern | None:
    core = name_core(name)
    # One character would mask ordinary words.
    if len(core) < 2:
        return None
    return re.compile(_NAME_GAP.join(re.escape(ch) for ch in core))


def _number_pattern(number: str) -> re.Pattern | None:
    core = number_core(number)
    if len(core) < 4:
        return None
    parts = [re.escape(ch) if not ch.isalpha() else f"[{ch.upper()}{ch.lower()}]" for ch in core]
    return re.compile(r"(?<![0-9A-Za-z])" + _SEPARATORS.join(parts) + r"(?![0-9A-Za-z])")


def _sub_normalised(pattern: re.Pattern, text: str, replace) -> str:
    """Substitute matches found in the width-normalised text, in the original."""
    normalised = normalise_width(text)
    pieces, last = [], 0
    for match in pattern.finditer(normalised):
        replacement = replace(match)
        if replacement is None:
            continue
        pieces.append(text[last : match.start()])
        pieces.append(replacement)
        last = match.end()
    pieces.append(text[last:])
    return "".join(pieces)


def is_calendar_date(text: str) -> bool:
    """A date written 2026-3-15 is left as it is; digits that merely look
    like one ("0000-0-00", a number typed with hyphens) are masked."""
    match = _DATE.fullmatch(text)
    if not match:
        return False
    year, month, day = (int(part) for part in match.groups())
    if not 1900 <= year <= 2099:
        return False
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


def redact_personal_data(text: str) -> str:
    """Mask e-mail addresses, ID, phone and other long numbers in free text,
    full-width digits and separators within a number included."""
    for pattern in _PERSONAL_DATA:
        text = _sub_normalised(
            pattern,
            text,
            lambda m: None if is_calendar_date(m.group()) else "*" * len(m.group()),
        )
    return text


def redact_labelled_names(text: str) -> str:
    """投诉人李四称 → 投诉人李某称: a party named after its label."""
    return _LABELLED_NAME.sub(lambda m: m.group(1) + m.group(2) + redact_name(m.group(3)), text)


def redact_text(text: str, people: Iterable[tuple[str, str]]) -> str:
    """Free text with every (name, certificate number) given masked, then any
    labelled party and any other personal datum."""
    if not text:
        return text or ""
    unique = {(name_core(n), number_core(c)) for n, c in people}
    for name, certificate in sorted(unique, key=lambda p: (-len(p[0]), -len(p[1]))):
        number = _number_pattern(certificate)
        if number is not None:
            masked = redact_certificate(certificate)
            text = _sub_normalised(number, text, lambda m, masked=masked: masked)
        pattern = _name_pattern(name)
        if pattern is not None:
            masked = redact_name(name)
            text = pattern.sub(masked, text)
    text = redact_labelled_names(text)
    return redact_personal_data(text)


def case_people(case) -> list[tuple[str, str]]:
    """(name, certificate number) of everyone the case knows: its subject
    officers, the officers and users of its unit and of the units below it
    (a sub-unit's officer is often named in a city bureau's case), and every
    user who acted on it (from the audit trail)."""
    from django.db.models import Q

    from accounts.models import Officer, User
    from accounts.selectors import unit_descendant_ids
    from audit.models import AuditEvent

    units = unit_descendant_ids({case.unit_id})
    people = [
        (so.officer.name, so.officer.certificate_number)
        for so in case.subject_officers.select_related("officer")
    ]
    people += list(
        Officer.objects.filter(unit_id__in=units).values_list("name", "certificate_number")
    )
    acted = AuditEvent.objects.filter(case=case).exclude(actor=None).values("actor_id")
    users = User.objects.filter(Q(units__in=units) | Q(pk__in=acted))
    people += [(name, "") for name in users.values_list("display_name", flat=True).distinct()]
    # The names as they were when the users acted.
    people += [
        (name, "")
        for name in AuditEvent.objects.filter(case=case).values_list("actor_name", flat=True)
    ]
    return [(n, c) for n, c in people if n or c]
