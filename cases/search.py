"""Full-text search of the case list: the number, the officers' names, and
the words of the case (its narrative and allegation, the notes on its facts,
the investigation report's findings and conclusion).

A plain substring match on both databases: Chinese has no spaces to split
words on, and a substring finds "伪造" inside "伪造检验报告". Numbers and
names match case-sensitively (Chinese and digits), the texts in any case
(Django's icontains: UPPER(text) LIKE UPPER(pattern)).

The search is one set of case ids: a UNION of one select per place a word
can be, each answered by an index on PostgreSQL, so that the list (and its
count) joins the few cases found instead of testing every visible case's
texts (benchmarks/results/case_list.txt). On PostgreSQL:

- three characters or more read the pg_trgm GIN indexes on UPPER(text)
  (migrations cases 0010 and 0012, reviews 0005);
- one or two characters have no trigram to look up; they read GIN indexes
  on cases_short_grams(text), the text's every substring of one and two
  characters (migrations cases 0012 and reviews 0007), where "contains the
  pattern" is exactly "the pattern is one of its grams".

SQLite keeps the plain LIKE (no index) in the same UNION."""

from django.db import connection
from django.db.models import BooleanField, Func, Q, QuerySet, Value
from django.db.models.functions import Upper

from cases.id_sets import pk_in_few
from cases.models import Case, FactRecord, SubjectOfficer

# pg_trgm indexes runs of three characters; a shorter pattern reads the
# short-gram indexes instead (cases_short_grams: one and two characters).
TRIGRAM = 3


class ShortGramsContain(Func):
    """cases_short_grams(text) @> ARRAY[pattern]: the text contains the
    pattern of one or two characters (the expression the short-gram GIN
    indexes are built on, so that PostgreSQL reads them)."""

    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra_context):
        text, pattern = self.get_source_expressions()
        text_sql, text_params = compiler.compile(text)
        pattern_sql, pattern_params = compiler.compile(pattern)
        sql = f"cases_short_grams({text_sql}) @> ARRAY[{pattern_sql}]::text[]"
        return sql, (*text_params, *pattern_params)


def _contains(field: str, text: str, *, ignore_case: bool) -> Q:
    """The condition "`field` contains `text`", in the form this database's
    indexes answer."""
    if connection.vendor == "postgresql" and len(text) < TRIGRAM:
        if ignore_case:
            return Q(ShortGramsContain(Upper(field), Upper(Value(text))))
        return Q(ShortGramsContain(field, Value(text)))
    lookup = "icontains" if ignore_case else "contains"
    return Q(**{f"{field}__{lookup}": text})


def matching_case_ids(text: str) -> QuerySet:
    """The ids of every case (readable or not) where `text` (stripped,
    non-empty) occurs: one select per place, united."""
    from reviews.models import InvestigationReport

    numbered = Case.objects.filter(_contains("number", text, ignore_case=False)).values("pk")
    named = SubjectOfficer.objects.filter(officer__name__contains=text).values("case_id")
    told = Case.objects.filter(
        _contains("incident_summary", text, ignore_case=True)
        | _contains("allegation", text, ignore_case=True)
    ).values("pk")
    noted = FactRecord.objects.filter(_contains("note", text, ignore_case=True)).values("case_id")
    reported = InvestigationReport.objects.filter(
        _contains("findings_summary", text, ignore_case=True)
        | _contains("conclusion", text, ignore_case=True)
    ).values("case_id")
    # UNION (not ALL): a case found in several places is one id; the list
    # joins the set once.
    return numbered.order_by().union(
        named.order_by(), told.order_by(), noted.order_by(), reported.order_by()
    )


def case_search_condition(text: str) -> Q:
    """The condition a case meets when `text` (stripped, non-empty) occurs in
    its number, an officer's name or its words."""
    # The matching cases are few beside the visible ones: the list reads
    # them by primary key (cases.id_sets).
    return pk_in_few(matching_case_ids(text))
