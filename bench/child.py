"""One database's share of a benchmark run: ``python -m bench.child --db sqlite|postgresql [--full] --out FILE``.

Sets DATABASE_URL to the benchmark database of that vendor and size, loads the dataset if it is not there
yet (bench/db.py), runs the database suites and writes their raw results as JSON. bench/run.py calls it once
per database, so each process has one default connection, as the app code expects.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_SUITES = {  # suite → module with run(full) -> dict
    "report": "bench.bench_report",
    "search": "bench.bench_search",
    "pages": "bench.bench_pages",
    "cached_pages": "bench.bench_wrk",
    "submissions": "bench.bench_submissions",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=("sqlite", "postgresql"), required=True)
    parser.add_argument("--full", action="store_true")
    parser.add_argument("--suites", default=",".join(DB_SUITES))
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from bench import db

    size = "full" if args.full else "small"
    url = db.database_url(args.db, size)
    db.ensure_exists(url)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    os.environ.setdefault("GONGKAI_CONN_MAX_AGE", "60")
    import django

    django.setup()
    results: dict[str, object] = {}
    started = time.perf_counter()
    ds = db.prepare(url, size, log=lambda s: print(s, flush=True))
    results["_dataset"] = {
        "counts": getattr(ds, "counts", {}),
        "prepare_s": round(time.perf_counter() - started, 1),
    }
    for name in [s for s in args.suites.split(",") if s]:
        t = time.perf_counter()
        try:
            results[name] = importlib.import_module(DB_SUITES[name]).run(full=args.full)
        except Exception as exc:  # noqa: BLE001 (report the failure, run the other suites)
            traceback.print_exc()
            results[name] = {"error": f"{type(exc).__name__}: {exc}"}
        print(f"   [{args.db}] {name}: {time.perf_counter() - t:.1f} s", flush=True)
    Path(args.out).write_text(json.dumps(results, ensure_ascii=False, default=str))


if __name__ == "__main__":
    main()
