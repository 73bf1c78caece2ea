"""The catalogue's search function (gongkai.catalog.selectors.search_items) against LIKE '%…%' on the same table.

Both produce what a results page needs: the number of matches and the newest 20 of them. The LIKE scan
looks in the title, summary and body of public items, as a site without a search index would.
"""

from __future__ import annotations

import time
from typing import Any

from django.db import connection

from bench.generate import SEARCH_QUERIES
from bench.stats import median, p95


def _like(q: str) -> tuple[int, list[int]]:
    pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    where = ("status IN ('published', 'repealed') AND published_at IS NOT NULL AND (title LIKE %s ESCAPE '\\'"
             " OR summary LIKE %s ESCAPE '\\' OR body LIKE %s ESCAPE '\\')")  # fmt: skip
    with connection.cursor() as cur:
        cur.execute(f"SELECT count(*) FROM catalog_item WHERE {where}", [pattern] * 3)  # noqa: S608
        total = cur.fetchone()[0]
        cur.execute(f"SELECT id FROM catalog_item WHERE {where} ORDER BY published_at DESC LIMIT 20",  # noqa: S608
                    [pattern] * 3)  # fmt: skip
        return total, [r[0] for r in cur.fetchall()]


def run(full: bool = False) -> dict[str, Any]:
    from gongkai.catalog.selectors import search_items

    for q in SEARCH_QUERIES:  # warm: jieba dictionary, caches
        search_items(q)
    search_t: list[float] = []
    totals: dict[str, int] = {}
    for _ in range(5 if full else 10):
        for q in SEARCH_QUERIES:
            t = time.perf_counter()
            page = search_items(q)
            search_t.append(time.perf_counter() - t)
            totals[q] = page.total
    like_t: list[float] = []
    like_totals: dict[str, int] = {}
    for _ in range(1 if full else 2):
        for q in SEARCH_QUERIES:
            t = time.perf_counter()
            like_totals[q], _ids = _like(q)
            like_t.append(time.perf_counter() - t)
    return {
        "search_median_s": median(search_t), "search_p95_s": p95(search_t),
        "like_median_s": median(like_t), "like_p95_s": p95(like_t),
        "hits": totals, "like_hits": like_totals,
    }  # fmt: skip
