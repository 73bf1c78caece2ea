"""Throughput of add_workdays (precomputed table) against a naive day-by-day loop over the same calendar.

Standalone: ``python bench/bench_workdays.py [--full]`` (sets up Django and migrates a scratch SQLite
database under var/ unless DATABASE_URL is set). From ``bench/run.py``: ``run(full=...) -> dict``.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _pairs(count: int, seed: int = 20261122) -> list[tuple[dt.date, int]]:
    """Receipt dates over 2019–2026 and periods of 1–40 working days (补正 7, 答复 20, 延期 40)."""
    rng = random.Random(seed)
    first = dt.date(2019, 1, 1).toordinal()
    last = dt.date(2026, 10, 31).toordinal()
    return [(dt.date.fromordinal(rng.randint(first, last)), rng.randint(1, 40)) for _ in range(count)]


def naive_add_workdays(day: dt.date, n: int, holidays: set[dt.date], makeups: set[dt.date]) -> dt.date:
    """The baseline: step one day at a time, test each day against the override sets."""
    one = dt.timedelta(days=1)
    while n > 0:
        day += one
        if day in makeups or (day.weekday() < 5 and day not in holidays):
            n -= 1
    return day


def _rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else float("inf")


def run(full: bool = False) -> dict[str, Any]:
    """Measure calls per second; Django must be set up and the database migrated."""
    from gongkai.workdays.arithmetic import add_workdays, get_table, invalidate
    from gongkai.workdays.models import DayKind

    invalidate()
    table = get_table()  # build once, outside the timed loop (as every process does on first use)
    holidays = {d for d, o in table.overrides.items() if o.kind == DayKind.HOLIDAY}
    makeups = {d for d, o in table.overrides.items() if o.kind == DayKind.MAKEUP}

    fast_pairs = _pairs(2_000_000 if full else 300_000)
    naive_pairs = fast_pairs[: (100_000 if full else 20_000)]

    # The two must agree before their speeds are worth comparing.
    for day, n in naive_pairs[:5000]:
        assert add_workdays(day, n) == naive_add_workdays(day, n, holidays, makeups), (day, n)

    best_fast = 0.0
    for _ in range(3):
        start = time.perf_counter()
        for day, n in fast_pairs:
            add_workdays(day, n)
        best_fast = max(best_fast, _rate(len(fast_pairs), time.perf_counter() - start))

    start = time.perf_counter()
    for day, n in naive_pairs:
        naive_add_workdays(day, n, holidays, makeups)
    naive = _rate(len(naive_pairs), time.perf_counter() - start)

    build_start = time.perf_counter()
    invalidate()
    get_table()
    build_ms = (time.perf_counter() - build_start) * 1000
    return {
        "add_workdays_per_s": best_fast,
        "baseline_naive_per_s": naive,
        "table_build_ms": build_ms,
        "calls": len(fast_pairs),
    }


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from bench.db import setup_in_process

    setup_in_process()
    result = run(full="--full" in sys.argv)
    print(
        f"add_workdays:       {result['add_workdays_per_s']:>12,.0f} calls/s ({result['calls']:,} calls, best of 3)"
    )
    print(f"naive day-by-day:   {result['baseline_naive_per_s']:>12,.0f} calls/s")
    print(f"speed-up:           {result['add_workdays_per_s'] / result['baseline_naive_per_s']:>12.1f}×")
    print(f"table build:        {result['table_build_ms']:>12.1f} ms")


if __name__ == "__main__":
    main()
