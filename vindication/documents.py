"""Context builder for the clarification notice (澄清正名通知; Tai'an art. 11,
Lianyungang art. 17), numbered in the unit's clarification register. The
no-impact certificate is built in documents.builders.certificate.

Pure reads; each returns the official-document fields of
templates/documents/official.html besides its own, and raises ValueError with
a Chinese message when the document cannot be issued."""

from __future__ import annotations

from cases.models import PublicationScope
from documents.formatting import chinese_date
from documents.official import official_fields
from vindication import errors
from vindication.models import ClarificationRecord
from vindication.selectors import protection_article

ADDRESSEES = {
    PublicationScope.UNIT: "本局各科室、各直属单位",
    PublicationScope.SYSTEM: "全市市场监督管理系统各单位",
    PublicationScope.PUBLIC: "",
}
SCOPE_PHRASES = {
    PublicationScope.UNIT: "在本单位范围内公开",
    PublicationScope.SYSTEM: "在本系统范围内公开",
    PublicationScope.PUBLIC: "向社会公开",
}


# --- the clarification notice ------------------------------------------------------------


def clarification_notice_context(record: ClarificationRecord) -> dict:
    """The notice for a record whose clarification has been decided (its
    decision fields set, saved or not)."""
    if not (record.decided_on and record.scope and record.found_on):
        raise ValueError(str(errors.NOTICE_NOT_DECIDED))
    article = protection_article(record.regulation, "clarification")
    if article is None:
        raise ValueError(errors.NOTICE_NO_ARTICLE % {"title": record.regulation.title})
    officers = list(record.officers.all())
    names = "、".join(o.name for o in officers)
    signed_on = chinese_date(record.decided_on)
    public = record.scope == PublicationScope.PUBLIC
    return official_fields(
        record.unit.name,
        unit=record.unit,
        doc_number=record.number,
        signed_on=signed_on,
        title=f"关于为{names}同志澄清正名的{'公告' if public else '通知'}",
        addressee=ADDRESSEES[record.scope],
        record=record,
        officers=officers,
        names=names,
        received_on=chinese_date(record.received_on),
        found_on=chinese_date(record.found_on),
        decided_on=signed_on,
        channel=record.get_channel_display(),
        kind=record.get_kind_display(),
        article=article,
        scope_phrase=SCOPE_PHRASES[record.scope],
        public=public,
    )
