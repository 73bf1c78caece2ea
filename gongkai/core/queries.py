"""Query helpers shared by the apps' selectors."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import connection
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


def singleton_for_update(model: type[M], **defaults: Any) -> M:
    """Row 1 of a one-row table (created with ``defaults`` if missing), locked for this transaction: a row lock
    on PostgreSQL; SQLite's IMMEDIATE transactions already serialise writers."""
    row, _ = model._default_manager.get_or_create(id=1, defaults=defaults)
    if connection.vendor == "postgresql":
        row = model._default_manager.select_for_update().get(id=1)
    return row
