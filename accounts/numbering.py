"""Numbers of a unit's registers (interference entries, protection
requests, clarification notices): a sequence per unit and year."""

from django.db.models import Max, Model

from accounts.models import Unit


def next_sequence(model: type[Model], *, unit: Unit, year: int) -> int:
    """The next number of a unit's register for the year. Must run inside a
    transaction: the unit row is locked until it commits, so two entries of a
    unit recorded at the same moment queue up instead of colliding."""
    Unit.objects.select_for_update().only("id").get(pk=unit.pk)
    last = model.objects.filter(unit=unit, year=year).aggregate(last=Max("sequence"))["last"]
    return (last or 0) + 1


def register_number(unit: Unit, kind: str, year: int, sequence: int) -> str:
    """泰市监干记〔2026〕3号 (kind 干记), 泰市监保护〔2026〕1号 (保护),
    泰市监澄〔2026〕1号 (澄)."""
    return f"{unit.abbreviation}{kind}〔{year}〕{sequence}号"
