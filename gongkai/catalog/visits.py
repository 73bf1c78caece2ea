"""专栏 page views (a statistic, not a record change: no audit row), buffered in the process."""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import logging
import os
import threading
from collections import Counter
from typing import Any

from django.db import connection, connections, transaction

from gongkai.core.pagecache import count_view, local_date
from gongkai.orgs.models import Organisation

from .models import ColumnVisit

log = logging.getLogger(__name__)

# A public page view must not take a write transaction (on SQLite the database's single write lock), nor touch
# the database at all, even now and then: views are counted in this process (a dict, no network) and written by
# a background thread of the process as UPSERT statements (a row per org, column, day) every
# VISIT_FLUSH_SECONDS, sooner once VISIT_FLUSH_EVERY views are waiting, at exit, and before the figures are read
# here. Every node and worker adds its own counts (count = count + n), so none is lost across nodes. A crashed
# worker loses at most that many views of a statistic (BENCHMARKS.md, finding 3). Under load the writes are
# bounded by time, not by views: one every 10 s a worker, each of at most one row per page counted; and no
# request pays for one (it used to be written by the view that found 10 s had passed: issue 22).
VISIT_FLUSH_EVERY = 10_000
VISIT_FLUSH_SECONDS = 10.0
VISIT_FLUSH_IN_BACKGROUND = True  # off in the tests but where they test the thread (conftest.py)
VISIT_EXIT_WAIT_SECONDS = 20.0  # at exit, how long the thread's last write may take (gunicorn allows 30 s)
_visits: Counter[tuple[int, str, dt.date]] = Counter()
_visits_lock = threading.Lock()  # the buffer, its size and the thread below
_visits_pending = 0
_exiting = False  # set at exit: no new thread then


class _Flusher:
    """This process's page-view writer: a daemon thread writing the buffer every ``VISIT_FLUSH_SECONDS`` or when
    woken, on its own database connection, closed after each write (an idle worker holds none).

    After a failed write (the database down) it backs off: the next try is ``VISIT_FLUSH_SECONDS`` later whatever
    wakes it meanwhile, so a busy site does not try a connection (and log a traceback) on every view. An outage is
    logged with its traceback once, each further failed try in one line, and the recovery."""

    def __init__(self) -> None:
        self.wake = threading.Event()
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.run, name="gongkai-page-views", daemon=True)
        self.failures = 0  # failed tries in a row (the current outage)

    def run(self) -> None:
        while not self.stopping.is_set():
            if self.failures:  # back off: wakes are ignored until the interval has passed
                self.stopping.wait(VISIT_FLUSH_SECONDS)
            else:
                self.wake.wait(VISIT_FLUSH_SECONDS)
            self.wake.clear()  # views counted from here on wake it again; this write takes those before
            try:
                self.write()
            finally:
                with contextlib.suppress(Exception):
                    connections.close_all()  # this thread's connections only

    def write(self) -> None:
        try:
            written = column_visits_flush()
        except Exception:  # the views stay buffered for the next write
            self.failures += 1
            if self.failures == 1:
                log.warning("page views not written yet; kept for the next flush", exc_info=True)
            else:
                log.warning(
                    "page views still not written (%d tries in a row); kept for the next flush", self.failures
                )
            return
        if self.failures:
            log.warning("page views written again (%d views) after %d failed tries", written, self.failures)
        self.failures = 0

    def stop(self, timeout: float) -> bool:
        """Ask for a last write and wait up to ``timeout`` seconds for the thread to end; True if it has."""
        self.stopping.set()
        self.wake.set()
        self.thread.join(timeout)
        return not self.thread.is_alive()


_flusher: _Flusher | None = None


def _start_flusher() -> _Flusher | None:
    """Start this process's writer (under ``_visits_lock``, on its first buffered view)."""
    global _flusher
    if not VISIT_FLUSH_IN_BACKGROUND or _exiting:
        return None
    _flusher = _Flusher()
    _flusher.thread.start()
    return _flusher


VIEW_COUNTER = "catalog.column_visit"  # the name cached copies replay it by (core/pagecache/counting.py)


def column_visit_record(*, org: Organisation, column: str) -> None:
    """Count one public page view of ``column`` of ``org`` today (buffered, see above); a cached copy of the page
    counts it again on every hit."""
    count_view(VIEW_COUNTER, org.pk, column)


def column_visit_count(org_id: int, column: str) -> None:
    """The counter behind ``column_visit_record``: one view into this process's buffer. Never touches the
    database: a full buffer wakes the writer thread."""
    global _visits_pending
    with _visits_lock:
        _visits[(org_id, column, local_date())] += 1
        _visits_pending += 1
        # the view that fills the buffer wakes the thread, not every view after it: a failed write puts its views
        # back, and the buffer stays full until the thread's next try (one every VISIT_FLUSH_SECONDS)
        full = _visits_pending == VISIT_FLUSH_EVERY
        flusher = _flusher or _start_flusher()
    if full and flusher is not None:
        flusher.wake.set()


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


def column_visits_stop(timeout: float = VISIT_EXIT_WAIT_SECONDS) -> None:
    """Stop this process's writer thread after its last write, then write what is still buffered (at exit;
    tests). The next view counted starts a new thread (but at exit)."""
    global _flusher
    with _visits_lock:
        flusher, _flusher = _flusher, None
    if flusher is not None and not flusher.stop(timeout):
        log.warning("page-view writer still busy after %s s", timeout)
    column_visits_flush()


def _flush_at_exit() -> None:
    global _exiting
    _exiting = True
    with contextlib.suppress(Exception):  # at exit there is nobody left to tell
        column_visits_stop()


def _forget_after_fork() -> None:
    """In a process just forked (gunicorn's preloaded master, Celery's prefork pool): the parent's buffer is the
    parent's to write (a copy written here would count twice), its lock may have been held at the fork, and its
    thread does not exist here. Start afresh: the first view counted here starts this process's own thread."""
    global _visits, _visits_lock, _visits_pending, _flusher
    _visits = Counter()
    _visits_lock = threading.Lock()
    _visits_pending = 0
    _flusher = None


atexit.register(_flush_at_exit)
os.register_at_fork(after_in_child=_forget_after_fork)
