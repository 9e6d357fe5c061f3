"""How documents write dates and numbers: the one place for each. Chinese
numerals are the catalogue's (exemptions.citations), which cites its clauses
with them; they are re-exported here for the document builders."""

from exemptions.citations import chinese_numeral

__all__ = ["chinese_date", "chinese_numeral"]


def chinese_date(value) -> str:
    """2026年9月10日: Arabic numerals, year in full, no zero padding."""
    return f"{value.year}年{value.month}月{value.day}日"
