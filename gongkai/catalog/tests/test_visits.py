"""The page-view buffer (catalog/visits.py): one write order, its writer thread (never the request), a failed
write kept, exact counts from many threads, and a forked process starting afresh."""

from __future__ import annotations

import contextlib
import json
import os
import re
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import OperationalError, connection, connections
from django.test.utils import CaptureQueriesContext

from gongkai.catalog import visits
from gongkai.catalog.models import ColumnVisit
from gongkai.catalog.visits import upsert_sql
from gongkai.orgs.models import Organisation
from gongkai.orgs.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_a_flush_writes_its_rows_in_one_order_whatever_the_order_of_the_views(monkeypatch):
    # Given views buffered newest organisation first (two processes would buffer them in any order)
    monkeypatch.setattr(visits, "VISIT_FLUSH_SECONDS", 3600.0)
    orgs = [OrganisationFactory() for _ in range(4)]
    for org in reversed(orgs):
        for column in ("zhidu", "fdzdgknr"):
            visits.column_visit_count(org.pk, column)
    # When they are written
    with CaptureQueriesContext(connection) as queries:
        assert visits.column_visits_flush() == 8
    # Then in one statement, rows in (organisation, column) order, so concurrent flushes lock them in the same
    # order and wait for each other instead of deadlocking (two nodes under load did: BENCHMARKS.md)
    (insert,) = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("INSERT")]
    rows = [(int(o), c) for o, c in re.findall(r"\((\d+), '(\w+)', [^,]+, 1\)", insert)]
    assert len(rows) == 8 and rows == sorted(rows)
    assert ColumnVisit.objects.filter(count=1).count() == 8
    # And a second flush adds to the rows
    visits.column_visit_count(orgs[0].pk, "zhidu")
    visits.column_visits_flush()
    assert ColumnVisit.objects.get(org=orgs[0], column="zhidu").count == 2


def wait_for(predicate: Callable[[], Any], what: str, limit: float = 30) -> Any:
    """Poll until the writer thread has done something (no speed is asserted: bench/ measures that). On SQLite
    (one shared in-memory database) a read while the thread writes finds the table locked: not yet; and the
    thread's write then fails and is retried, as any failed write is."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        with contextlib.suppress(OperationalError):
            if value := predicate():
                return value
        time.sleep(0.01)
    raise AssertionError(f"timed out waiting for {what}")


def counts(org: Organisation) -> dict[str, int]:
    return {v.column: v.count for v in ColumnVisit.objects.filter(org=org)}


@pytest.fixture
def writer(monkeypatch, transactional_db):
    """The writer thread on (off in the other tests: conftest.py), over a committed database its own connection
    sees; stopped before the database is emptied, with nothing left to write."""
    monkeypatch.setattr(visits, "VISIT_FLUSH_IN_BACKGROUND", True)
    yield
    visits.column_visits_discard()
    visits.column_visits_stop()


class ConnectionSpy:
    """``django.db.connections`` as the writer thread sees it, noting which threads closed their connections."""

    def __init__(self) -> None:
        self.closed_by: list[str] = []

    def close_all(self) -> None:
        self.closed_by.append(threading.current_thread().name)
        connections.close_all()


@pytest.fixture
def spy(monkeypatch) -> ConnectionSpy:
    spy = ConnectionSpy()
    monkeypatch.setattr(visits, "connections", spy)
    return spy


def count_without_a_query(org: Organisation, views: int) -> None:
    """``views`` views of the 制度 column, asserting that counting them queried nothing."""
    with CaptureQueriesContext(connection) as queries:
        for _ in range(views):
            visits.column_visit_count(org.pk, "zhidu")
    assert len(queries) == 0


def test_the_writer_thread_writes_every_interval_on_a_connection_it_closes(writer, spy, monkeypatch):
    # Given a short interval, and far fewer views than would wake the thread early
    monkeypatch.setattr(visits, "VISIT_FLUSH_SECONDS", 0.05)
    monkeypatch.setattr(visits, "VISIT_FLUSH_EVERY", 10_000)
    org = OrganisationFactory()
    # When three views are counted: the counting itself queries nothing
    count_without_a_query(org, 3)
    # Then the thread writes them once the interval has passed, without being woken, and closes its connection
    wait_for(lambda: counts(org) == {"zhidu": 3}, "the interval's write")
    assert visits._flusher is not None and not visits._flusher.wake.is_set()
    wait_for(lambda: "gongkai-page-views" in spy.closed_by, "the thread to close its connection")
    assert set(spy.closed_by) == {"gongkai-page-views"}


def test_a_full_buffer_wakes_the_writer_thread_instead_of_writing_in_the_request(writer, spy, monkeypatch):
    # Given an interval that never passes in this test, and a buffer full at 3 views
    monkeypatch.setattr(visits, "VISIT_FLUSH_SECONDS", 3600.0)
    monkeypatch.setattr(visits, "VISIT_FLUSH_EVERY", 3)
    org = OrganisationFactory()
    # When three views fill it: counting them, the third too, queries nothing
    count_without_a_query(org, 3)
    # Then the thread, woken, writes all three as one row (then closes its connection: read after that, so the
    # write is not disturbed by a read, with no interval to retry it)
    wait_for(lambda: spy.closed_by, "the woken write")
    assert counts(org) == {"zhidu": 3}


def refuse_writes(monkeypatch) -> None:
    monkeypatch.setattr(visits, "upsert_sql", lambda rows: "INSERT INTO no_such_table VALUES (1)")


def test_a_failed_write_keeps_the_views_and_the_thread_writes_them_later(writer, monkeypatch, caplog):
    org = OrganisationFactory()
    monkeypatch.setattr(visits, "VISIT_FLUSH_SECONDS", 0.05)
    monkeypatch.setattr(visits, "VISIT_FLUSH_EVERY", 1)  # the first view wakes the thread
    # Given a database that refuses the write
    refuse_writes(monkeypatch)
    visits.column_visit_count(org.pk, "zhidu")
    wait_for(lambda: "kept for the next flush" in caplog.text, "the failed write")
    # When the database takes writes again, another view is counted, and the interval passes
    monkeypatch.setattr(visits, "upsert_sql", upsert_sql)
    visits.column_visit_count(org.pk, "zhidu")
    # Then both views are written, once each
    wait_for(lambda: counts(org) == {"zhidu": 2}, "the retried write")
    visits.column_visits_stop()
    assert counts(org) == {"zhidu": 2}


class Tries:
    """``column_visits_flush``, counting the writer thread's tries."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> int:
        self.count += threading.current_thread().name == "gongkai-page-views"
        return upsert_flush()


upsert_flush = visits.column_visits_flush


def test_after_a_failed_write_views_do_not_wake_the_thread_until_the_interval_has_passed(writer, monkeypatch):
    # Given a database that refuses the write, an interval that never passes in this test, a buffer full at 1 view
    org = OrganisationFactory()
    monkeypatch.setattr(visits, "VISIT_FLUSH_SECONDS", 3600.0)
    monkeypatch.setattr(visits, "VISIT_FLUSH_EVERY", 1)
    monkeypatch.setattr(visits, "column_visits_flush", tries := Tries())
    refuse_writes(monkeypatch)
    visits.column_visit_count(org.pk, "zhidu")  # fills the buffer: wakes the thread, whose write fails
    wait_for(lambda: tries.count == 1 and visits._visits_pending == 1, "the failed write")
    # When the site goes on counting views (each used to wake the thread: a connection try and a traceback each)
    for _ in range(20):
        visits.column_visit_count(org.pk, "zhidu")
        time.sleep(0.02)
    # Then none woke it: the buffer stayed full and the thread waits out its interval
    flusher = visits._flusher
    assert flusher is not None and not flusher.wake.is_set() and tries.count == 1
    # and once the database is back, its last write takes them all, once each
    monkeypatch.setattr(visits, "upsert_sql", upsert_sql)
    visits.column_visits_stop()
    assert tries.count == 2 and counts(org) == {"zhidu": 21}


def test_an_outage_is_logged_with_its_traceback_once_then_in_one_line_and_its_end(
    writer, monkeypatch, caplog
):
    # Given a database that refuses the writes the thread tries every interval
    org = OrganisationFactory()
    monkeypatch.setattr(visits, "VISIT_FLUSH_SECONDS", 0.02)
    refuse_writes(monkeypatch)
    visits.column_visit_count(org.pk, "zhidu")
    failed = lambda: [r for r in caplog.records if "kept for the next flush" in r.getMessage()]  # noqa: E731
    wait_for(lambda: len(failed()) >= 3, "three failed writes")
    # When the database is back
    monkeypatch.setattr(visits, "upsert_sql", upsert_sql)
    wait_for(lambda: counts(org) == {"zhidu": 1}, "the write after the outage")
    visits.column_visits_stop()
    # Then the first failure carries the traceback, the later ones a line each, and the recovery is logged
    first, *later = failed()
    assert first.exc_info and not any(r.exc_info for r in later)
    assert "2 tries in a row" in later[0].getMessage()
    assert any("written again (1 views)" in r.getMessage() for r in caplog.records)


def test_views_counted_from_many_threads_while_the_thread_writes_are_all_written_once(writer, monkeypatch):
    # Given a thread writing as often as it can, and views counted from 8 request threads at once
    monkeypatch.setattr(visits, "VISIT_FLUSH_SECONDS", 0.001)
    monkeypatch.setattr(visits, "VISIT_FLUSH_EVERY", 7)
    orgs = [OrganisationFactory() for _ in range(3)]
    columns = ("zhidu", "fdzdgknr")
    start = threading.Barrier(8)

    def requests(n: int) -> None:
        start.wait()
        for i in range(300):
            visits.column_visit_count(orgs[(n + i) % 3].pk, columns[i % 2])

    threads = [threading.Thread(target=requests, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # When the thread is stopped (its last write, then what is left)
    visits.column_visits_stop()
    # Then every view is in the table exactly once: 8 × 300 over 3 organisations and 2 columns
    assert {o.pk: counts(o) for o in orgs} == {o.pk: {"zhidu": 400, "fdzdgknr": 400} for o in orgs}


def test_a_forked_process_starts_its_own_thread_and_does_not_inherit_the_buffer(monkeypatch):
    # Given a process counting views with its writer thread running (as gunicorn's preloaded master or a Celery
    # parent might), which forks while another of its threads holds the buffer's lock
    monkeypatch.setattr(visits, "VISIT_FLUSH_IN_BACKGROUND", True)
    monkeypatch.setattr(visits, "VISIT_FLUSH_SECONDS", 3600.0)
    visits.column_visit_count(1, "zhidu")
    parent_thread = visits._flusher.thread if visits._flusher else None
    assert parent_thread is not None and parent_thread.is_alive()
    read, write = os.pipe()
    with visits._visits_lock:
        pid = os.fork()
        if pid == 0:  # the child: report what it sees, never return into pytest
            code = 1
            try:
                seen = {"buffer": dict(visits._visits), "pending": visits._visits_pending}
                seen["no thread"] = visits._flusher is None
                visits.column_visit_count(2, "zhidu")  # would hang on an inherited, held lock
                child = visits._flusher
                seen["own thread"] = (
                    child is not None and child.thread.is_alive() and child.thread is not parent_thread
                )
                seen["after"] = [[k[0], k[1], n] for k, n in visits._visits.items()]
                os.write(write, json.dumps(seen).encode())
                code = 0
            finally:
                os._exit(code)  # no at-exit flush: this child has no database
    os.close(write)
    with os.fdopen(read) as pipe:
        seen = json.loads(pipe.read() or "{}")
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    # Then the child started with an empty buffer and no thread, counted only its own view, on its own thread
    assert seen == {
        "buffer": {},
        "pending": 0,
        "no thread": True,
        "own thread": True,
        "after": [[2, "zhidu", 1]],
    }
    # And the parent still holds its view (its to write) and its thread
    assert [(k[0], n) for k, n in visits._visits.items()] == [(1, 1)]
    assert visits._flusher is not None and visits._flusher.thread is parent_thread
