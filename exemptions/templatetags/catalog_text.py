"""How catalogue text reads on the pages: citations (exemptions.citations, the
one citation helper), clauses marked inside their article's text, and conditions in words built from the
fact labels. Plain functions, tested on their own, under thin template tags."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django import template
from django.utils.translation import gettext as _

from exemptions.citations import article_where_for_reader, clause_where_for_reader
from exemptions.engine import CONSEQUENCE
from exemptions.models import Consequence

register = template.Library()

# Citations come from the one citation helper, in the reader's language:
# 第六条 / Art. 6 for an article, 第六条第（十二）项 / Art. 6(12) for a clause.
register.filter("article_heading", article_where_for_reader)
register.filter("clause_where", clause_where_for_reader)


# --- clauses inside their article ---------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    """A run of an article's text; `clause` is set when the run is that clause's text."""

    text: str
    clause: Any = None


def article_segments(text: str, clauses: Iterable[Any]) -> list[Segment]:
    """Cut an article's text into runs so that each clause's verbatim text is one run.

    A clause whose text is not found, or overlaps a clause marked before it, is left
    unmarked (the page still lists it).
    """
    spans = []
    for clause in clauses:
        start = text.find(clause.text)
        if start >= 0:
            spans.append((start, start + len(clause.text), clause))
    spans.sort(key=lambda span: span[0])
    segments, position = [], 0
    for start, end, clause in spans:
        if start < position:
            continue
        if start > position:
            segments.append(Segment(text[position:start]))
        segments.append(Segment(text[start:end], clause))
        position = end
    if position < len(text):
        segments.append(Segment(text[position:]))
    return segments


@register.simple_tag(name="article_segments")
def article_segments_tag(text: str, clauses: Iterable[Any]) -> list[Segment]:
    return article_segments(text, clauses)


@register.simple_tag
def clause_in_article(clause: Any) -> list[Segment]:
    """The segments of a clause's article with only that clause marked."""
    return article_segments(clause.article.text, [clause])


# --- conditions in words ----------------------------------------------------------------------


@dataclass(frozen=True)
class ConditionNode:
    """One line of a condition: a fact in words, or an operator over `children`."""

    text: str
    children: tuple["ConditionNode", ...] = ()
    key: str = ""  # the fact the line is about, for a leaf


@dataclass(frozen=True)
class ConditionSections:
    """A clause's condition under the page's three headings."""

    requires: ConditionNode  # 所需要件
    consequence: str  # 后果限制 ("" when the clause has none)
    excluded_if: tuple[ConditionNode, ...]  # 排除情形: any established → excluded


def _label(key: str, facts: Mapping[str, Any]) -> str:
    fact = facts.get(key)
    if fact is None:
        return key
    return getattr(fact, "display_label", None) or getattr(fact, "label", None) or fact.label_zh


def consequence_limit_text(level: str, facts: Mapping[str, Any]) -> str:
    """'severe' → 危害后果或不良影响的程度低于：恶劣影响或严重后果."""
    return _("%(fact)s低于：%(level)s") % {
        "fact": _label(CONSEQUENCE, facts),
        "level": Consequence(level).label,
    }


def expression_node(expression: Any, facts: Mapping[str, Any]) -> ConditionNode:
    """An expression of the catalogue format (catalogs/README.md) as a tree of lines."""
    if isinstance(expression, str):
        return ConditionNode(_label(expression, facts), key=expression)
    if isinstance(expression, list):
        return expression_node({"all": expression}, facts)
    ((operator, argument),) = expression.items()
    if operator in ("all", "any"):
        text = _("以下全部：") if operator == "all" else _("以下任一：")
        return ConditionNode(text, tuple(expression_node(part, facts) for part in argument))
    if operator == "not":
        if isinstance(argument, str):
            return ConditionNode(
                _("并非%(fact)s") % {"fact": _label(argument, facts)}, key=argument
            )
        return ConditionNode(_("并非："), (expression_node(argument, facts),))
    if operator == "consequence_below":
        return ConditionNode(consequence_limit_text(argument, facts), key=CONSEQUENCE)
    raise ValueError(f"unknown operator {operator!r}")


def condition_sections(condition: Mapping[str, Any], facts: Mapping[str, Any]) -> ConditionSections:
    """A clause's stored condition (requires / consequence_below / excluded_if) in words."""
    below = condition.get("consequence_below")
    return ConditionSections(
        requires=expression_node(condition["requires"], facts),
        consequence=consequence_limit_text(below, facts) if below else "",
        excluded_if=tuple(
            expression_node(part, facts) for part in condition.get("excluded_if", ())
        ),
    )


@register.simple_tag(name="condition_sections")
def condition_sections_tag(clause: Any, facts: Mapping[str, Any]) -> ConditionSections:
    return condition_sections(clause.condition, facts)
