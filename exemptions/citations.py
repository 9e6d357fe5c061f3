"""The one way a clause of the catalogue is cited, on pages and in documents:
where it is (第六条第（四）项, Art. 6(4) for an English reader) and what it
says, with its article's lead-in, which carries the legal effect
(……有下列情形之一的，可以不予或者免予追究执法过错责任：（四）……).

The catalogue owns how its clauses are cited, so this lives in `exemptions`;
`documents`, `cases` and the templates import it (never the other way)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import get_language

_ITEM_REF = re.compile(r"^(\d+)\.(\d+)$")
_LIST_START = re.compile(r"\n?（一）")
_CLOSING = "；;。，,、"
_DIGITS = "〇一二三四五六七八九"


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


def article_where(number: int) -> str:
    """6 → 第六条."""
    return f"第{chinese_numeral(int(number))}条"


def article_where_en(number: int) -> str:
    """6 → Art. 6."""
    return f"Art. {int(number)}"


def article_where_for_reader(number: int) -> str:
    """第六条, or Art. 6 for an English reader."""
    return article_where_en(number) if _reader_is_english() else article_where(number)


def clause_where(ref: str) -> str:
    """'6.4' → 第六条第（四）项; a principle '4:no-duty' → 第四条."""
    match = _ITEM_REF.match(ref)
    if match:
        article, item = int(match.group(1)), int(match.group(2))
        return f"{article_where(article)}第（{chinese_numeral(item)}）项"
    article = ref.partition(":")[0]
    return article_where(int(article)) if article.isdigit() else ref


def clause_where_en(ref: str) -> str:
    """'6.4' → Art. 6(4); a principle '4:no-duty' → Art. 4 (the English
    interface's citation of the same place)."""
    match = _ITEM_REF.match(ref)
    if match:
        return f"{article_where_en(match.group(1))}({int(match.group(2))})"
    article = ref.partition(":")[0]
    return article_where_en(article) if article.isdigit() else ref


def clause_where_for_reader(ref: str) -> str:
    """Where the clause is, in the reader's language: 第六条第（四）项 or
    Art. 6(4). Documents are Chinese and use clause_where."""
    return clause_where_en(ref) if _reader_is_english() else clause_where(ref)


def _reader_is_english() -> bool:
    return (get_language() or "").startswith("en")


def article_lead_in(article_text: str) -> str:
    """The words of an article before its list of items, without the colon:
    '…有下列情形之一的，可以不予或者免予追究执法过错责任'. Only the paragraph
    that opens the list counts; an article without a list has none."""
    match = _LIST_START.search(article_text)
    if match is None:
        return ""
    paragraph = article_text[: match.start()].rstrip().rsplit("\n", 1)[-1]
    return paragraph.rstrip("：:").strip()


@dataclass(frozen=True)
class Citation:
    ref: str
    regulation_title: str
    where: str  # 第六条第（四）项
    lead_in: str  # the article's words before its items, carrying the effect
    text: str  # the clause's own words

    @property
    def item_label(self) -> str:
        match = _ITEM_REF.match(self.ref)
        return f"（{chinese_numeral(int(match.group(2)))}）" if match else ""

    @property
    def quotation(self) -> str:
        """The clause quoted with its lead-in: “……追究执法过错责任：（四）……的。”"""
        body = self.text.rstrip(_CLOSING)
        if self.lead_in:
            return f"“{self.lead_in}：{self.item_label}{body}。”"
        return f"“{body}。”"

    @property
    def heading(self) -> str:
        return f"《{self.regulation_title}》{self.where}"

    @property
    def sentence(self) -> str:
        """依据《…》第六条第（四）项：“……：（四）……。”"""
        return f"依据{self.heading}：{self.quotation}"


def clause_citation(ref: str, catalog, regulation_title: str) -> Citation:
    """The citation of a clause of the catalogue (an engine Catalog) of the
    regulation version titled `regulation_title`."""
    clause = catalog.by_ref.get(ref)
    if clause is None:  # never for a determination the service accepted
        return Citation(ref, regulation_title, clause_where(ref), "", "")
    article = next((a for a in catalog.articles if a.number == clause.article), None)
    lead_in = article_lead_in(article.text) if article is not None else ""
    return Citation(ref, regulation_title, clause_where(ref), lead_in, clause.text)
