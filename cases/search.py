"""Full-text search of the case list: the number, the officers' names, and
the words of the case (its narrative and allegation, the notes on its facts,
the investigation report's findings and conclusion).

A plain substring match on both databases: Chinese has no spaces to split
words on, and a substring finds "伪造" inside "伪造检验报告". Numbers and
names match case-sensitively (Chinese and digits), the texts in any case
(Django's icontains: UPPER(text) LIKE UPPER(pattern)).

The search first collects the ids of the cases found: a UNION of one select
per place a word can be, each answered by an index on PostgreSQL. Up to
FEW_CASES of them (a search for a distinctive word), the list and its count
read just those cases by primary key instead of testing every visible
case's texts; a common word, found in more, is tested on the rows, where
the page finds its matches at once (benchmarks/results/case_list.txt).
On PostgreSQL:

- three characters or more read the pg_trgm GIN indexes on UPPER(text)
  (migrations cases 0010 and 0012, reviews 0005);
- one or two characters have no trigram to look up; they read GIN indexes
  on cases_short_grams(text), the text's every substring of one and two
  characters (migrations cases 0012 and reviews 0007), where "contains the
  pattern" is exactly "the pattern is one of its grams".

SQLite keeps the plain LIKE (no index) in the same UNION."""

from django.db import connection, transaction
from django.db.models import BooleanField, Func, Q, QuerySet, Value
from django.db.models.functions import Upper

from cases.extensions import search_case_id_sets
from cases.models import Case, FactRecord, SubjectOfficer

# pg_trgm indexes runs of three characters; a shorter pattern reads the
# short-gram indexes instead (cases_short_grams: one and two characters).
TRIGRAM = 3
# Up to this many cases found, the list reads them by id (see
# case_search_condition).
FEW_CASES = 10_000


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


def text_contains(field: str, text: str, *, ignore_case: bool) -> Q:
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
    non-empty) occurs: one select per place, united (UNION ALL: a case found
    in two places comes twice; the caller dedupes)."""
    first, *others = _places(text, per_case=True)
    return first.union(*others, all=True)


def case_search_condition(text: str) -> Q:
    """The condition a case meets when `text` (stripped, non-empty) occurs in
    its number, an officer's name or its words."""
    # Up to FEW_CASES found (the usual search), their ids go in as a list:
    # the list and its count read those cases by primary key, and the
    # planner knows how many there are. A word found in more (a common
    # word) is tested on the visible cases instead, the page stopping at
    # its first rows: an id list that long costs more than it saves.
    found = _first_found_ids(text, FEW_CASES + 1)
    if len(found) <= FEW_CASES:
        return Q(pk__in=set(found))
    condition = Q()
    for place in _places(text, per_case=False):
        condition |= place
    return condition


def _first_found_ids(text: str, limit: int) -> list[int]:
    """Up to `limit` ids of matching_case_ids (a case may come twice)."""
    first = matching_case_ids(text)[:limit]
    if connection.vendor != "postgresql":
        return list(first)
    with transaction.atomic():
        # Under a LIMIT, PostgreSQL reckons a common word cheaper to find by
        # scanning the table until enough rows match, computing every row's
        # grams on the way (a third of a second at 100,000 cases); the GIN
        # indexes give those rows at once. SET LOCAL lasts to the end of the
        # transaction: the savepoint is rolled back (nothing was written) so
        # that the setting goes with it.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
        found = list(first)
        transaction.set_rollback(True)
    return found


def _places(text: str, *, per_case: bool) -> list:
    """Where `text` is looked for: the number, the officers' names, the
    case's texts, the facts' notes, and the stages' texts (the report's,
    cases.extensions). Per place either a select of case ids (`per_case`)
    or a condition on the case."""

    def ids(queryset, column: str):
        return queryset.order_by().values_list(column, flat=True)

    named = ids(SubjectOfficer.objects.filter(officer__name__contains=text), "case_id")
    noted = ids(FactRecord.objects.filter(text_contains("note", text, ignore_case=True)), "case_id")
    staged = [ids(case_ids, "case_id") for case_ids in search_case_id_sets(text)]
    if per_case:
        told = text_contains("incident_summary", text, ignore_case=True) | text_contains(
            "allegation", text, ignore_case=True
        )
        return [
            ids(Case.objects.filter(text_contains("number", text, ignore_case=False)), "pk"),
            named,
            ids(Case.objects.filter(told), "pk"),
            noted,
            *staged,
        ]
    # Tested on each visible case: the number and the case's texts with a
    # plain LIKE on the row (a common word matches within the first rows of
    # the page); the other places as IN (…), each set hashed once per query.
    return [
        Q(number__contains=text),
        Q(pk__in=named),
        _case_texts_on_the_row(text),
        Q(pk__in=noted),
        *(Q(pk__in=case_ids) for case_ids in staged),
    ]


def _case_texts_on_the_row(text: str) -> Q:
    if len(text) >= TRIGRAM:
        # In a subquery of its own the two trigram indexes combine (a
        # BitmapOr) instead of UPPER() being computed on every visible case.
        told = Case.objects.filter(
            Q(incident_summary__icontains=text) | Q(allegation__icontains=text)
        ).values("pk")
        return Q(pk__in=told)
    # Without a letter that has a case (Chinese, digits) a plain LIKE finds
    # the same rows without UPPER().
    lookup = "icontains" if text.lower() != text.upper() else "contains"
    return Q(**{f"incident_summary__{lookup}": text}) | Q(**{f"allegation__{lookup}": text})
