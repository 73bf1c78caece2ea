"""专栏 page views (a statistic, not a record change: no audit row), buffered in the process."""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import threading
import time
from collections import Counter

from django.db import transaction
from django.utils import timezone

from gongkai.core.pagecache import count_view
from gongkai.orgs.models import Organisation

from .models import ColumnVisit

# A public page view must not take a write transaction (on SQLite the database's single write lock): views are
# counted in this process and written as one UPSERT per (org, column, day) every VISIT_FLUSH_EVERY views or
# VISIT_FLUSH_SECONDS, at exit, and before the figures are read here. A crashed worker loses at most that many
# views of a statistic (BENCHMARKS.md, finding 3).
VISIT_FLUSH_EVERY = 200
VISIT_FLUSH_SECONDS = 30.0
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
        _visits[(org_id, column, timezone.localdate())] += 1
        _visits_pending += 1
        due = (
            _visits_pending >= VISIT_FLUSH_EVERY
            or time.monotonic() - _visits_flushed_at >= VISIT_FLUSH_SECONDS
        )
        if due:
            _visits_flushed_at = time.monotonic()
    if due:
        column_visits_flush()


def column_visits_flush() -> int:
    """Write the buffered page views (one row per org, column and day; created on first view, then F() + n)."""
    from django.db.models import F

    global _visits_pending
    with _visits_lock:
        pending = dict(_visits)
        _visits.clear()
        _visits_pending = 0
    if not pending:
        return 0
    try:
        with transaction.atomic():
            ColumnVisit.objects.bulk_create(
                [ColumnVisit(org_id=o, column=c, day=d) for (o, c, d) in pending], ignore_conflicts=True
            )
            for (o, c, d), n in pending.items():
                ColumnVisit.objects.filter(org_id=o, column=c, day=d).update(count=F("count") + n)
    except Exception:
        with _visits_lock:  # keep them for the next flush rather than lose them
            _visits.update(pending)
            _visits_pending += sum(pending.values())
        raise
    return sum(pending.values())


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
