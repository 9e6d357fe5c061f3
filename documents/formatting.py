"""How documents write dates and numbers: the one place for each."""

_DIGITS = "〇一二三四五六七八九"


def chinese_date(value) -> str:
    """2026年9月10日: Arabic numerals, year in full, no zero padding."""
    return f"{value.year}年{value.month}月{value.day}日"


def chinese_numeral(number: int) -> str:
    """6 → 六, 10 → 十, 12 → 十二, 20 → 二十, 28 → 二十八, 105 → 一百零五."""
    if number < 0:
        raise ValueError(number)
    if number < 10:
        return _DIGITS[number]
    if number < 100:
        tens, ones = divmod(number, 10)
        head = "" if tens == 1 else _DIGITS[tens]
        return head + "十" + (_DIGITS[ones] if ones else "")
    hundreds, rest = divmod(number, 100)
    if rest == 0:
        tail = ""
    elif rest < 10:
        tail = "零" + _DIGITS[rest]
    else:
        tail = (_DIGITS[1] if rest < 20 else "") + chinese_numeral(rest)
    return chinese_numeral(hundreds) + "百" + tail
