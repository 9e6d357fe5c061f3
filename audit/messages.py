"""History entries in the reader's language.

An event's `summary` is written once, in Chinese: it is the record of what
happened and the hash chain covers it. Beside it, `data["summary_message"]`
keeps the sentence as a message id (the Chinese source string of the
translation catalogue) and its parameters, so that the case history renders
the entry through gettext at display time, in the reader's language.

A parameter that is itself a label of ours (a stage, a state, an outcome, a
fact) is stored as {"term": <Chinese label>} and translated too; case data
(names, file names, numbers) is stored as written.

The audit table is append-only (triggers refuse UPDATE), so events written
before this existed cannot be rewritten by a data migration: they keep their
stored summary as the fallback, except transitions, whose data has always
held the move and the two states and so render from it.
"""

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

MESSAGE_KEY = "summary_message"
CASE_DATA_HTML = '<span data-content="case">{}</span>'
SOURCE_LANGUAGE = "zh-hans"


def term(label: Any, *, english: str = "") -> dict:
    """Mark a parameter as one of our labels, translated at display time. A
    lazy label is stored by its Chinese source text. A label that is data
    rather than a message of the catalogue (a fact of the vocabulary) brings
    its English along."""
    with translation.override(SOURCE_LANGUAGE):
        marked = {"term": str(label)}
    if english:
        marked["en"] = english
    return marked


@dataclass(frozen=True)
class HistoryMessage:
    """A history sentence: a Chinese message id and its parameters."""

    msgid: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def as_data(self) -> dict:
        return {"msgid": str(self.msgid), "params": dict(self.params)}

    def in_source_language(self) -> str:
        with translation.override(SOURCE_LANGUAGE):
            return render_message(self.as_data())


def history_message(msgid: str, **params: Any) -> HistoryMessage:
    """`history_message(gettext_noop("上传证据：%(name)s"), name=...)`; wrap
    labels of ours with `term()`."""
    return HistoryMessage(msgid, params)


def date_param(day: datetime.date) -> dict:
    """Mark a parameter as a date, written in the reader's date format."""
    return {"date": day.isoformat()}


def param_text(value: Any) -> Any:
    """A stored parameter as the reader reads it: a term in their language, a
    date in their date format; anything else as stored."""
    if isinstance(value, dict) and set(value) == {"term", "en"}:
        english = (translation.get_language() or "").startswith("en")
        return value["en"] if english else value["term"]
    if isinstance(value, dict) and set(value) == {"term"}:
        return gettext(value["term"]) if value["term"] else ""
    if isinstance(value, dict) and set(value) == {"date"}:
        return date_format(datetime.date.fromisoformat(value["date"]), "DATE_FORMAT")
    return value


def render_message(message: Mapping[str, Any], *, html: bool = False) -> str:
    """The stored message in the active language. With html=True the result is
    safe HTML in which case data (names, numbers as written) is marked
    data-content="case", apart from our own words. Raises KeyError, TypeError
    or ValueError for a message that does not fit its parameters."""
    params = {}
    for name, value in message.get("params", {}).items():
        text = param_text(value)
        if html:
            own_words = isinstance(value, dict)
            text = escape(text) if own_words else format_html(CASE_DATA_HTML, text)
        params[name] = text
    text = gettext(message["msgid"])
    if html:
        text = escape(text)
    text = text % params
    return mark_safe(text) if html else text  # noqa: S308 - every part escaped above


def _transition_text(data: Mapping[str, Any]) -> str | None:
    from cases.workflow import MOVES, CaseState

    move = MOVES.get(data.get("transition", ""))
    before, after = data.get("before"), data.get("after")
    if move is None or before not in CaseState.values or after not in CaseState.values:
        return None
    return gettext("%(move)s：%(before)s → %(after)s") % {
        "move": move.label,
        "before": CaseState(before).label,
        "after": CaseState(after).label,
    }


_PAGES = re.compile(r"（(\d+)页）$")


def _document_text(event, data: Mapping[str, Any]) -> str | None:
    from documents.kinds import DocumentKind

    kind = data.get("kind")
    if kind not in DocumentKind.values:
        return None
    label = DocumentKind(kind).label
    if str(event.event_type) != "document_generated":
        return str(label)
    if data.get("reused"):
        return gettext("%(kind)s（内容未变，沿用已生成的文书）") % {"kind": label}
    pages = _PAGES.search(event.summary)
    if pages is None:
        return str(label)
    return gettext("%(kind)s（%(pages)s页）") % {"kind": label, "pages": pages.group(1)}


_DERIVED = {
    "case_transitioned": lambda event, data: _transition_text(data),
    "document_requested": _document_text,
    "document_generated": _document_text,
    "document_downloaded": _document_text,
}


def localized_summary(event, *, html: bool = False) -> str | None:
    """The event's history sentence in the reader's language, or None when it
    can only be shown as stored (in Chinese). With html=True, safe HTML with
    the case data marked (see render_message)."""
    data = event.data if isinstance(event.data, dict) else {}
    message = data.get(MESSAGE_KEY)
    if isinstance(message, dict):
        try:
            return render_message(message, html=html)
        except (KeyError, TypeError, ValueError):
            return None
    derive = _DERIVED.get(str(event.event_type))
    text = derive(event, data) if derive is not None else None
    return escape(text) if html and text is not None else text


def event_summary_text(event) -> str:
    """What the history shows for the event: in the reader's language where
    it can be, else the stored summary."""
    return localized_summary(event) or event.summary
