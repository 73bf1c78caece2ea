"""Before/after of proposed app changes, measured on the benchmark data WITHOUT editing app code.

``python -m bench.experiments --db sqlite|postgresql [--size full] [--only list,item,search]`` (the dataset
must be loaded: run bench.run first).
Each experiment swaps one function at runtime (and, where proposed, adds an index for the duration of the
experiment, dropped afterwards), checks that the result is unchanged, and prints median/p95 before and after.
These are proposals for the owning engineers (BENCHMARKS.md, "Findings"), not patches; an adopted proposal's
experiment is removed (the report's one-GROUP-BY 表二 query is now ``catalog.selectors.regulation_figures``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _time(fn: Callable[[], Any], reps: int) -> tuple[float, float, Any]:
    from bench.stats import median, p95

    result = fn()
    samples = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t)
    return median(samples), p95(samples), result


@contextmanager
def _index(sql_create: str, name: str) -> Any:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(sql_create)
        cur.execute("ANALYZE")
    try:
        yield
    finally:
        with connection.cursor() as cur:
            cur.execute(f"DROP INDEX IF EXISTS {name}")


def public_years_probing(org_ids: Iterable[int], *, version: object = "") -> list[int]:
    """Proposed gongkai.catalog.selectors.public_years: MIN/MAX, then one EXISTS per year (no per-row trunc)."""
    from django.db.models import Max, Min
    from django.utils import timezone

    from gongkai.catalog.selectors import public_items

    qs = public_items(org_ids=org_ids).order_by()
    b = qs.aggregate(first=Min("published_at"), last=Max("published_at"))
    if b["first"] is None:
        return []
    tz = timezone.get_current_timezone()
    first, last = timezone.localtime(b["first"]).year, timezone.localtime(b["last"]).year
    return [
        y for y in range(last, first - 1, -1)
        if qs.filter(published_at__gte=dt.datetime(y, 1, 1, tzinfo=tz),
                     published_at__lt=dt.datetime(y + 1, 1, 1, tzinfo=tz)).exists()
    ]  # fmt: skip


def list_page_experiment(reps: int) -> None:
    from django.db import connection
    from django.test import Client

    from bench.generate import current
    from gongkai.catalog import selectors
    from gongkai.orgs.models import Organisation
    from gongkai.orgs.selectors import org_subtree

    city = Organisation.objects.get(code=current().city_code)
    ids = list(org_subtree(city).values_list("pk", flat=True))
    client = Client(HTTP_HOST="127.0.0.1")
    path = f"/gk/{city.code}/xxgk/"
    years_before = _time(lambda: selectors.public_years(ids), reps)
    years_after = _time(lambda: public_years_probing(ids), reps)
    assert years_before[2] == years_after[2], (years_before[2], years_after[2])
    page_before = _time(lambda: client.get(path).status_code, reps)
    original = selectors.public_years
    selectors.public_years = public_years_probing  # type: ignore[assignment]  # the probe takes fewer options
    try:
        page_after = _time(lambda: client.get(path).status_code, reps)
        idx = "bench_exp_item_status_pub"
        with _index(f"CREATE INDEX {idx} ON catalog_item (status, published_at)", idx):
            page_indexed = _time(lambda: client.get(path).status_code, reps)
    finally:
        selectors.public_years = original
    ms = lambda r: f"{r[0] * 1000:.1f}/{r[1] * 1000:.1f} ms"  # noqa: E731
    print(
        f"[{connection.vendor}] public_years(city tree): as is {ms(years_before)}, MIN/MAX + EXISTS {ms(years_after)}"
    )
    print(f"[{connection.vendor}] city list page (in-process): as is {ms(page_before)}, with the new public_years "
          f"{ms(page_after)}, + index (status, published_at) {ms(page_indexed)}")  # fmt: skip


def item_page_experiment(reps: int) -> None:
    """The item page writes a ColumnVisit counter on every GET (INSERT OR IGNORE + UPDATE): what does it cost?"""
    import random

    from django.db import connection
    from django.test import Client

    from gongkai.catalog.models import Item
    from gongkai.portal import catalog_views

    ids = list(Item.objects.filter(status="published").order_by("pk").values_list("pk", "org__code")[:5000])
    paths = [f"/gk/{code}/xxgk/{pk}/" for pk, code in random.Random(3).sample(ids, 50)]
    client = Client(HTTP_HOST="127.0.0.1")

    def pages() -> None:
        for p in paths:
            assert client.get(p).status_code == 200

    before = _time(pages, max(3, reps // 3))
    original = catalog_views.column_visit_record
    catalog_views.column_visit_record = lambda **kw: None
    try:
        after = _time(pages, max(3, reps // 3))
    finally:
        catalog_views.column_visit_record = original
    n = len(paths)
    print(
        f"[{connection.vendor}] item page (in-process, mean of {n}): as is {before[0] * 1000 / n:.1f} ms; "
        f"without the per-view counter write {after[0] * 1000 / n:.1f} ms"
    )


def search_experiment(reps: int) -> None:
    from django.db import connection

    from bench.generate import SEARCH_QUERIES
    from gongkai.catalog.selectors import search_items

    if connection.vendor != "postgresql":
        return

    def all_queries() -> list[int]:
        return [search_items(q).total for q in SEARCH_QUERIES]

    before = _time(all_queries, reps)
    with connection.cursor() as cur:
        cur.execute("SET random_page_cost = 1.1")  # SSD storage; the default 4 assumes spinning disks
    after = _time(all_queries, reps)
    with connection.cursor() as cur:
        cur.execute("RESET random_page_cost")
    assert before[2] == after[2]
    n = len(SEARCH_QUERIES)
    print(
        f"[postgresql] {n} searches: random_page_cost 4 (default) median {before[0] * 1000 / n:.1f} ms/query; "
        f"random_page_cost 1.1: {after[0] * 1000 / n:.1f} ms/query"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=("sqlite", "postgresql"), required=True)
    parser.add_argument("--reps", type=int, default=9)
    parser.add_argument("--size", choices=("small", "full"), default="small")
    parser.add_argument("--only", default="report,list,item,search")
    args = parser.parse_args()
    only = set(args.only.split(","))
    sys.path.insert(0, str(ROOT))
    from bench import db

    os.environ["DATABASE_URL"] = db.database_url(args.db, args.size)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    for name, experiment in (("list", list_page_experiment), ("item", item_page_experiment),
                             ("search", search_experiment)):  # fmt: skip
        if name in only:
            experiment(args.reps)


if __name__ == "__main__":
    main()
