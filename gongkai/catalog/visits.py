"""专栏 page views (a statistic, not a record change: no audit row), buffered in the process."""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import logging
import threading
import time
from collections import Counter
from typing import Any

from django.db import connection, transaction

from gongkai.core.pagecache import count_view, local_date
from gongkai.orgs.models import Organisation

from .models import ColumnVisit

log = logging.getLogger(__name__)

# A public page view must not take a write transaction (on SQLite the database's single write lock), nor touch
# the database at all when its page comes from the cache: views are counted in this process (a dict, no network)
# and written as UPSERT statements (a row per org, column, day) every VISIT_FLUSH_EVERY views or
# VISIT_FLUSH_SECONDS, at exit, and before the figures are read here. Every node and worker adds its own
# counts (count = count + n), so none is lost across nodes. A crashed worker loses at most that many views of a
# statistic (BENCHMARKS.md, finding 3). Under load the writes are bounded by time, not by views: with
# 1,000 views a second over two nodes, a flush every 200 views was 5 writes a second; now one every 10 s a
# worker, each of at most one row per page counted (issue 22).
VISIT_FLUSH_EVERY = 10_000
VISIT_FLUSH_SECONDS = 10.0
_visits: Counter[tuple[int, str, dt.date]] = Counter()
_visits_lock = threading.Lock()
_visits_pending = 0
_visits_flushed_at = time.monotonic()


VIEW_COUNTER = "catalog.column_visit"  # the name cached copies replay it by (core/pagecache/counting.py)


def column_visit_record(*, org: Organisation, column: str) -> None:
    """Count one public page view of ``column`` of ``org`` today (buffered, see above); a cached copy of the page
    counts it again on every hit."""
    count_view(VIEW_COUNTER, org.pk, column)


def column_visit_count(org_id: int, column: str) -> None:
    """The counter behind ``column_visit_record``: one view into this process's buffer."""
    global _visits_flushed_at, _visits_pending
    with _visits_lock:
        _visits[(org_id, column, local_date())] += 1
        _visits_pending += 1
        due = (
            _visits_pending >= VISIT_FLUSH_EVERY
            or time.monotonic() - _visits_flushed_at >= VISIT_FLUSH_SECONDS
        )
        if due:
            _visits_flushed_at = time.monotonic()
    if due:
        try:
            column_visits_flush()
        except Exception:  # a statistic never fails the page: the views stay buffered for the next flush
            log.warning("page views not written yet; kept for the next flush", exc_info=True)


UPSERT_ROWS = 500  # rows per statement (4 parameters each: well within every driver's limit)


def column_visits_flush() -> int:
    """Write the buffered page views: one ``INSERT … ON CONFLICT DO UPDATE SET count = count + excluded.count`` a
    500 rows (PostgreSQL and SQLite alike), creating a row on its first views and adding to it after.

    One statement, not an UPDATE per row: with two nodes under load a flush of ~200 rows as single UPDATEs took
    0.5–2 s and stalled the other requests of its process (BENCHMARKS.md, issue 22). Rows go in one order
    (sorted), so two processes flushing at once wait for each other instead of deadlocking."""
    global _visits_pending
    with _visits_lock:
        pending = dict(_visits)
        _visits.clear()
        _visits_pending = 0
    if not pending:
        return 0
    keys = sorted(pending)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            for start in range(0, len(keys), UPSERT_ROWS):
                chunk = keys[start : start + UPSERT_ROWS]
                params: list[Any] = []
                for org_id, column, day in chunk:
                    params += [
                        org_id,
                        column,
                        connection.ops.adapt_datefield_value(day),
                        pending[(org_id, column, day)],
                    ]
                cursor.execute(upsert_sql(len(chunk)), params)
    except Exception:
        with _visits_lock:  # keep them for the next flush rather than lose them
            _visits.update(pending)
            _visits_pending += sum(pending.values())
        raise
    return sum(pending.values())


def upsert_sql(rows: int) -> str:
    """The statement adding ``rows`` (org_id, column, day, views) rows to the counts."""
    qn = connection.ops.quote_name
    table = qn(ColumnVisit._meta.db_table)
    key = ", ".join(qn(c) for c in ("org_id", "column", "day"))
    values = ", ".join(["(%s, %s, %s, %s)"] * rows)
    return (
        f"INSERT INTO {table} ({key}, {qn('count')}) VALUES {values} "  # noqa: S608 (names quoted, values bound)
        f"ON CONFLICT ({key}) DO UPDATE SET {qn('count')} = {table}.{qn('count')} + EXCLUDED.{qn('count')}"
    )


def column_visits_discard() -> None:
    """Drop this process's buffered views unwritten (tests start from an empty buffer)."""
    global _visits_pending
    with _visits_lock:
        _visits.clear()
        _visits_pending = 0


def _flush_at_exit() -> None:
    with contextlib.suppress(Exception):  # at exit there is nobody left to tell
        column_visits_flush()


atexit.register(_flush_at_exit)
