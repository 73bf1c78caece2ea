"""Query helpers shared by the apps' selectors."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)


def filter_given(qs: QuerySet[M], **lookups: Any) -> QuerySet[M]:
    """``qs`` filtered by those ``lookups`` whose value is given (not empty, None or 0): the optional filters of
    a list page or an API query. The lookups must be single-valued (no reverse or many-to-many relation), where
    one ``filter()`` and a chain of them mean the same."""
    return qs.filter(**{lookup: value for lookup, value in lookups.items() if value})
