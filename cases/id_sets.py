"""Conditions "the case is one of these ids" that PostgreSQL answers from the
primary key (the reader arms of cases.readers: a user's team and panel
cases).

`id IN (subquery)` inside an OR, or beside other conditions, is planned as a
hashed set that every visible case is probed against: a scan of the cases.
`id = ANY(ARRAY(subquery))` runs the subquery once, first, and its few ids
are then index lookups that combine with the other conditions' indexes (a
BitmapOr). Only for sets that are small: an id set is searched linearly when
a row is tested against it. SQLite keeps IN (subquery)."""

from django.db import connection
from django.db.models import BooleanField, F, Func, Q, QuerySet, Subquery


class InArrayOf(Func):
    """value = ANY(ARRAY(subquery))."""

    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra_context):
        value, subquery = self.get_source_expressions()
        value_sql, value_params = compiler.compile(value)
        subquery_sql, subquery_params = compiler.compile(subquery)
        sql = f"{value_sql} = ANY(ARRAY{subquery_sql})"
        return sql, (*value_params, *subquery_params)


def pk_in_few(ids: QuerySet) -> Q:
    """The condition "pk is one of `ids`" (a one-column queryset of a few
    ids), in the form each database answers best."""
    if connection.vendor == "postgresql":
        return Q(InArrayOf(F("pk"), Subquery(ids)))
    return Q(pk__in=ids)
