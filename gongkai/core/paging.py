"""A paginator for lists that can be huge: it counts at most ``cap`` rows.

A city's catalogue holds millions of items (BENCHMARKS.md): an exact ``COUNT(*)`` of the whole tree costs seconds
on every page view, while nobody pages past the fiftieth page of a list that has filters. Past the cap the
count reads "1000+" and the pages stop at ``cap / per_page``; the filters narrow the list.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.core.paginator import Page, Paginator
from django.utils.functional import cached_property

from .queries import raw_rows

LIST_COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """Two queries per page: the ids of the list's first ``cap`` + 1 rows in its order (which also counts them;
    the database answers from its indexes and never reads the rows it skips), then ``fetch(ids)``, the rows of
    the page asked for, in that order. Reading whole rows instead made SQLite read and sort HTML bodies to reach
    page 30 of a city's list."""

    def __init__(
        self,
        object_list: Any,
        per_page: int,
        *,
        fetch: Callable[[list[Any]], Sequence[Any]],
        cap: int | None = None,
        **kw: Any,
    ) -> None:
        super().__init__(object_list, per_page, **kw)
        self.cap = LIST_COUNT_CAP if cap is None else cap
        self.fetch = fetch

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        return Page(self.fetch(self._ids[bottom : min(bottom + self.per_page, self.count)]), number, self)

    @cached_property
    def _ids(self) -> list[Any]:
        """Up to ``cap`` + 1 primary keys, read as the database returns them (no per-row iterator and converter
        calls: a city's list reads 1,001 of them on every page)."""
        qs: Any = self.object_list
        return [row[0] for row in raw_rows(qs.values_list("pk")[: self.cap + 1])]

    @cached_property
    def count(self) -> int:
        """The rows the pages reach: at most ``cap``."""
        return min(len(self._ids), self.cap)

    @property
    def capped(self) -> bool:
        return len(self._ids) > self.cap

    @property
    def count_label(self) -> str:
        """ "1000+" when capped, else the exact count."""
        return f"{self.cap}+" if self.capped else str(self.count)
