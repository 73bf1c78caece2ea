"""The city's annual report (scope tree) via gongkai.reports.compute against hand-written SQL, one GROUP BY per table.

The baseline reads the same rows the report counts: 表三 from applications, 表四 from remedy cases, 表二
(规章 / 行政规范性文件) from catalogue items, each a single GROUP BY over the city's subtree. Its figures must
equal the report's before either is timed.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.db import connection
from django.utils import timezone

from bench.generate import REPORT_YEAR, current
from bench.stats import median, p95


def _sql_baseline(path: str, year: int) -> dict[str, Any]:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    tz = timezone.get_default_timezone()
    ts_start = connection.ops.adapt_datetimefield_value(dt.datetime(year, 1, 1, tzinfo=tz))
    ts_next = connection.ops.adapt_datetimefield_value(dt.datetime(year + 1, 1, 1, tzinfo=tz))
    ts_end = connection.ops.adapt_datetimefield_value(dt.datetime(year, 12, 31, 23, 59, 59, tzinfo=tz))
    d = connection.ops.adapt_datefield_value
    like = path.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    out: dict[str, Any] = {}
    with connection.cursor() as cur:
        cur.execute(
            "SELECT a.applicant_type, a.outcome,"
            " SUM(CASE WHEN a.received_on >= %s THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN a.received_on < %s THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN a.closed_on <= %s THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN a.closed_on IS NULL OR a.closed_on > %s THEN 1 ELSE 0 END)"
            " FROM applications_application a JOIN orgs_organisation o ON o.id = a.org_id"
            " WHERE o.path LIKE %s ESCAPE '\\' AND a.received_on <= %s AND (a.closed_on IS NULL OR a.closed_on >= %s)"
            " GROUP BY a.applicant_type, a.outcome",
            [d(start), d(start), d(end), d(end), like, d(end), d(start)],
        )
        out["table3"] = cur.fetchall()
        cur.execute(
            "SELECT r.kind,"
            " SUM(CASE WHEN r.closed_on IS NOT NULL AND r.closed_on <= %s AND r.result = 'upheld' THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN r.closed_on IS NOT NULL AND r.closed_on <= %s AND r.result = 'corrected' THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN r.closed_on IS NOT NULL AND r.closed_on <= %s AND r.result = 'other' THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN r.closed_on IS NULL OR r.closed_on > %s THEN 1 ELSE 0 END)"
            " FROM applications_remedycase r JOIN orgs_organisation o ON o.id = r.org_id"
            " WHERE o.path LIKE %s ESCAPE '\\' AND r.filed_on >= %s AND r.filed_on <= %s GROUP BY r.kind",
            [d(end), d(end), d(end), d(end), like, d(start), d(end)],
        )
        out["table4"] = cur.fetchall()
        cur.execute(
            "SELECT i.doc_kind,"
            " SUM(CASE WHEN i.published_at >= %s AND i.published_at < %s THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN i.repealed_on >= %s AND i.repealed_on <= %s THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN i.published_at <= %s AND (i.repealed_on IS NULL OR i.repealed_on > %s) THEN 1 ELSE 0 END)"
            " FROM catalog_item i JOIN orgs_organisation o ON o.id = i.org_id"
            " WHERE o.path LIKE %s ESCAPE '\\' AND i.doc_kind IN ('regulation', 'normative')"
            " AND i.status IN ('published', 'repealed') AND i.published_at IS NOT NULL GROUP BY i.doc_kind",
            [ts_start, ts_next, d(start), d(end), ts_end, d(end), like],
        )
        out["table2"] = cur.fetchall()
    return out


def _check_same(doc: dict[str, Any], sql: dict[str, Any]) -> None:
    """The baseline must compute the report's figures, else comparing their speed means nothing."""
    from gongkai.reports.definitions import CARRIED_IN, CARRIED_OUT, RECEIVED, RESULTS_TOTAL

    rows = doc["table3"]["rows"]
    got = {
        RECEIVED: sum(r[2] for r in sql["table3"]),
        CARRIED_IN: sum(r[3] for r in sql["table3"]),
        RESULTS_TOTAL: sum(r[4] for r in sql["table3"]),
        CARRIED_OUT: sum(r[5] for r in sql["table3"]),
    }
    for key, total in got.items():
        if rows[key][-1] != total:
            raise AssertionError(f"report {key} 总计 {rows[key][-1]} != SQL {total}")
    t4 = sum(row["总计"] for row in doc["table4"].values())
    if t4 != sum(sum(r[1:]) for r in sql["table4"]):
        raise AssertionError(f"report 表四 总计 {t4} != SQL {sum(sum(r[1:]) for r in sql['table4'])}")
    t2 = doc["table2"]["第二十条第（一）项"]
    sql2 = {row[0]: tuple(row[1:]) for row in sql["table2"]}
    for kind, label in (("regulation", "规章"), ("normative", "行政规范性文件")):
        want = tuple(sql2.get(kind, (0, 0, 0)))
        have = (t2[label]["本年制发件数"], t2[label]["本年废止件数"], t2[label]["现行有效件数"])
        if tuple(int(x or 0) for x in have) != tuple(int(x or 0) for x in want):
            raise AssertionError(f"report 表二 {label} {have} != SQL {want}")


def run(full: bool = False) -> dict[str, Any]:
    """Median/p95 seconds of compute_report(city, REPORT_YEAR, scope=tree) and of the SQL baseline."""
    from gongkai.orgs.models import Organisation
    from gongkai.reports.compute import compute_report
    from gongkai.reports.models import Scope

    city = Organisation.objects.get(code=current().city_code)
    reps = 9 if full else 15
    report = compute_report(city, REPORT_YEAR, scope=Scope.TREE)  # warm: caches, connection, plans
    sql = _sql_baseline(city.path, REPORT_YEAR)
    _check_same(report.doc, sql)
    timings: dict[str, list[float]] = {"report": [], "sql": []}
    for _ in range(reps):  # interleaved, so a noisy neighbour hits both alike
        t = time.perf_counter()
        compute_report(city, REPORT_YEAR, scope=Scope.TREE)
        timings["report"].append(time.perf_counter() - t)
        t = time.perf_counter()
        _sql_baseline(city.path, REPORT_YEAR)
        timings["sql"].append(time.perf_counter() - t)
    from gongkai.reports.definitions import RECEIVED

    received = report.doc["table3"]["rows"]
    return {
        "report_median_s": median(timings["report"]),
        "report_p95_s": p95(timings["report"]),
        "sql_median_s": median(timings["sql"]),
        "sql_p95_s": p95(timings["sql"]),
        "reps": reps,
        "received": received[RECEIVED][-1],
    }
