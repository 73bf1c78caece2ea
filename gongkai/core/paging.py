"""A paginator for lists that can be huge: it counts at most ``cap`` rows.

A city's catalogue holds millions of items (BENCHMARKS.md): an exact ``COUNT(*)`` of the whole tree costs seconds
on every page view, while nobody pages past the fiftieth page of a list that has filters. Past the cap the
count reads "1000+" and the pages stop at ``cap / per_page``; the filters narrow the list.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.utils.functional import cached_property

LIST_COUNT_CAP = 1000


class CappedPaginator(Paginator):
    def __init__(self, object_list: Any, per_page: int, *, cap: int | None = None, **kw: Any) -> None:
        super().__init__(object_list, per_page, **kw)
        self.cap = LIST_COUNT_CAP if cap is None else cap

    @cached_property
    def _seen(self) -> int:
        # SELECT COUNT(*) FROM (… LIMIT cap + 1): the database stops after cap + 1 rows.
        # Without the list's ORDER BY, which would make the database sort every row before the LIMIT.
        qs: Any = self.object_list
        return int(qs.order_by()[: self.cap + 1].count())

    @cached_property
    def count(self) -> int:
        """The rows the pages reach: at most ``cap``."""
        return min(self._seen, self.cap)

    @property
    def capped(self) -> bool:
        return self._seen > self.cap

    @property
    def count_label(self) -> str:
        """ "1000+" when capped, else the exact count."""
        return f"{self.cap}+" if self.capped else str(self.count)
