"""Query helpers shared by the apps' selectors."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from django.db import connection, connections
from django.db.models import Model, QuerySet
from django.db.models.sql.constants import MULTI

M = TypeVar("M", bound=Model)


def filter_given(qs: QuerySet[M], **lookups: Any) -> QuerySet[M]:
    """``qs`` filtered by those ``lookups`` whose value is given (not empty, None or 0): the optional filters of
    a list page or an API query. The lookups must be single-valued (no reverse or many-to-many relation), where
    one ``filter()`` and a chain of them mean the same."""
    return qs.filter(**{lookup: value for lookup, value in lookups.items() if value})


def raw_rows(qs: QuerySet[Any, Any]) -> list[tuple[Any, ...]]:
    """The rows of ``qs``, a ``values_list()``, as the database driver returns them: without the per-row
    iterator and converter calls of iterating it (a page miss reads hundreds of ids or organisations). Only for
    columns Django converts on neither database (integers, text): booleans, dates or JSON would come raw."""
    compiler = qs.query.get_compiler(using=qs.db)
    chunks = compiler.execute_sql(MULTI, chunked_fetch=False) or ()
    return [row for chunk in chunks for row in chunk]


def exists_in_ranges(qs: QuerySet[Any], field: str, ranges: Sequence[tuple[Any, Any]]) -> list[bool]:
    """For each ``(lo, hi)`` of ``ranges``: whether ``qs`` has a row with ``lo <= field < hi``, in one statement.

    The probe is compiled by the ORM once and its two bounds are swapped per range: an ``Exists`` per range
    compiled by the ORM cost about a millisecond of Python each (a city's 发布年份 filter: ten of a cold list
    page's 25 ms). Where the bounds cannot be told apart among the compiled parameters, each range is compiled.
    """
    if not ranges:
        return []
    db = qs.db
    conn = connections[db]
    model_field = qs.model._meta.get_field(field)

    def compiled(lo: Any, hi: Any) -> tuple[str, tuple[Any, ...]]:
        probe = qs.filter(**{f"{field}__gte": lo, f"{field}__lt": hi}).order_by().values("pk")[:1]
        sql, params = probe.query.get_compiler(using=db).as_sql()
        return sql, tuple(params)

    def db_value(value: Any) -> Any:
        return model_field.get_db_prep_value(value, conn, prepared=False)

    lo0, hi0 = ranges[0]
    sql, params = compiled(lo0, hi0)
    at_lo = [i for i, p in enumerate(params) if p == db_value(lo0)]
    at_hi = [i for i, p in enumerate(params) if p == db_value(hi0)]
    parts: list[str] = []
    values: list[Any] = []
    for lo, hi in ranges:
        if len(at_lo) == 1 and len(at_hi) == 1 and at_lo != at_hi:
            these = list(params)
            these[at_lo[0]], these[at_hi[0]] = db_value(lo), db_value(hi)
            parts.append(f"EXISTS({sql})")
            values += these
        else:
            one_sql, one_params = compiled(lo, hi)
            parts.append(f"EXISTS({one_sql})")
            values += one_params
    with conn.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), values)
        row = cursor.fetchone()
    return [bool(v) for v in row]


def singleton_for_update(model: type[M], **defaults: Any) -> M:
    """Row 1 of a one-row table (created with ``defaults`` if missing), locked for this transaction: a row lock
    on PostgreSQL; SQLite's IMMEDIATE transactions already serialise writers."""
    row, _ = model._default_manager.get_or_create(id=1, defaults=defaults)
    if connection.vendor == "postgresql":
        row = model._default_manager.select_for_update().get(id=1)
    return row
