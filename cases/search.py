"""Full-text search of the case list: the number, the officers' names, and
the words of the case (its narrative and allegation, the notes on its facts,
the investigation report's findings and conclusion).

A plain substring match (LIKE) on both databases: Chinese has no spaces to
split words on, and a substring finds "伪造" inside "伪造检验报告". On
PostgreSQL the long texts carry trigram indexes on UPPER(text) (pg_trgm,
migrations cases 0008 and reviews 0005), the expression Django's icontains
compares, so that a search of three characters or more reads the indexes.
A shorter one has no trigram to look up: it scans the cases in sight."""

from django.db.models import Q

from cases.extensions import search_text_conditions
from cases.models import Case, FactRecord, SubjectOfficer

# pg_trgm indexes runs of three characters; a shorter pattern cannot use them.
TRIGRAM = 3


def case_search_condition(text: str) -> Q:
    """The condition a case meets when `text` (stripped, non-empty) occurs in
    its number, an officer's name or its words."""
    # IN (…) rather than EXISTS: inside an OR, PostgreSQL then hashes the
    # few matching cases once, and estimates the cost sensibly (an EXISTS
    # there is costed per row, which sets off JIT compilation).
    # Numbers and names: a case-sensitive LIKE (Chinese and digits, and
    # UPPER() on every visible case's number costs four times the scan).
    named = SubjectOfficer.objects.filter(officer__name__contains=text).values("case_id")
    noted = FactRecord.objects.filter(note__icontains=text).values("case_id")
    condition = Q(number__contains=text) | Q(pk__in=named) | _case_texts(text) | Q(pk__in=noted)
    # The stages' texts (the investigation report's): cases.extensions.
    for stage_texts in search_text_conditions(text):
        condition |= stage_texts
    return condition


def _case_texts(text: str) -> Q:
    if len(text) >= TRIGRAM:
        # In a subquery of its own the two trigram indexes combine (a
        # BitmapOr) instead of the texts of every visible case being tested.
        told = Case.objects.filter(
            Q(incident_summary__icontains=text) | Q(allegation__icontains=text)
        ).values("pk")
        return Q(pk__in=told)
    # Tested on the cases in sight only; without a letter that has a case
    # (Chinese, digits) a plain LIKE finds the same rows without UPPER().
    lookup = "icontains" if text.lower() != text.upper() else "contains"
    return Q(**{f"incident_summary__{lookup}": text}) | Q(**{f"allegation__{lookup}": text})
