"""The page-view buffer under several processes (catalog/visits.py): one write order, and no failed page."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gongkai.catalog import visits
from gongkai.catalog.models import ColumnVisit
from gongkai.catalog.selectors import column_visits
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


def test_a_failed_write_does_not_fail_the_page_view(client, monkeypatch):
    org = OrganisationFactory()
    monkeypatch.setattr(visits, "VISIT_FLUSH_EVERY", 1)  # every view writes

    monkeypatch.setattr(visits, "upsert_sql", lambda rows: "INSERT INTO no_such_table VALUES (1)")
    assert client.get(f"/gk/{org.code}/zhidu/").status_code == 200
    monkeypatch.undo()
    monkeypatch.setattr(visits, "VISIT_FLUSH_SECONDS", 3600.0)
    visits.column_visits_flush()
    assert column_visits([org.pk], timezone.localdate().year) == {"zhidu": 1}
