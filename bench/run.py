"""Run the benchmarks and write bench/results.json and the table in BENCHMARKS.md.

`python -m bench.run` (make bench-small, ≤ 2 minutes) or `python -m bench.run --full` (make bench).
Each metric is compared with a baseline measured in the same run, because these machines are noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"
REPORT = ROOT / "BENCHMARKS.md"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


@dataclass
class Metric:
    value: float
    unit: str
    baseline: float | None
    ratio: float | None
    target: str
    target_met: bool


def _workdays(full: bool) -> dict[str, Metric]:
    from bench.bench_workdays import run

    r = run(full=full)
    value, base = r["add_workdays_per_s"], r["baseline_naive_per_s"]
    return {
        "add_workdays_per_s": Metric(
            value=round(value),
            unit="calls/s",
            baseline=round(base),
            ratio=round(value / base, 1),
            target=">= 1000000",
            target_met=value >= 1_000_000,
        )
    }


VENDORS: list[str] = ["sqlite", "postgresql"]  # --db narrows it
DB_SUITES: list[str] = []  # --only narrows what the child runs (empty: all of bench/child.py's suites)
_DB_RESULTS: dict[tuple[str, bool], dict[str, Any]] = {}


def _db_results(vendor: str, full: bool) -> dict[str, Any]:
    """Raw results of every database suite on one database, from one child process (bench/child.py)."""
    key = (vendor, full)
    if key not in _DB_RESULTS:
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as tmp:
            out = Path(tmp.name)
        cmd = [sys.executable, "-m", "bench.child", "--db", vendor, "--out", str(out)] + (
            ["--full"] if full else []
        )
        if DB_SUITES:
            cmd += ["--suites", ",".join(DB_SUITES)]
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
        proc = subprocess.run(cmd, cwd=ROOT, env=env, check=False)  # noqa: S603 (our own module)
        try:
            _DB_RESULTS[key] = (
                json.loads(out.read_text()) if proc.returncode == 0 else {"_error": proc.returncode}
            )
        except (OSError, ValueError):
            _DB_RESULTS[key] = {"_error": proc.returncode}
        out.unlink(missing_ok=True)
    return _DB_RESULTS[key]


def _ratio(a: float, b: float | None) -> float | None:
    return round(a / b, 2) if b else None


def _failed(name: str, vendor: str, raw: dict[str, Any]) -> dict[str, Metric]:
    why = raw.get("error") or f"child exited {raw.get('_error')}"
    print(f"   {vendor} {name}: FAILED ({why})")
    return {f"{vendor}.{name}_error": Metric(value=1, unit="error", baseline=None, ratio=None,
                                             target="runs", target_met=False)}  # fmt: skip


def _per_db(
    name: str, convert: Callable[[dict[str, Any]], dict[str, Metric]]
) -> Callable[[bool], dict[str, Metric]]:
    def suite(full: bool) -> dict[str, Metric]:
        out: dict[str, Metric] = {}
        for vendor in VENDORS:
            raw = _db_results(vendor, full).get(name)
            if not isinstance(raw, dict) or "error" in raw:
                out.update(_failed(name, vendor, raw if isinstance(raw, dict) else _db_results(vendor, full)))
                continue
            out.update({f"{vendor}.{k}": m for k, m in convert(raw).items()})
        return out

    return suite


def _report(r: dict[str, Any]) -> dict[str, Metric]:
    """compute_report(city, scope tree) vs the hand-written GROUP BY SQL: ≤ 0.5 s and ≤ 1.5 × SQL."""
    med, p = r["report_median_s"], r["report_p95_s"]
    return {
        "report_median_s": Metric(round(med, 4), "s", round(r["sql_median_s"], 4), _ratio(med, r["sql_median_s"]),
                                  "<= 0.5 s and <= 1.5x SQL",
                                  med <= 0.5 and med <= 1.5 * r["sql_median_s"]),
        "report_p95_s": Metric(round(p, 4), "s", round(r["sql_p95_s"], 4), _ratio(p, r["sql_p95_s"]), "<= 0.5 s",
                               p <= 0.5),
    }  # fmt: skip


def _search(r: dict[str, Any]) -> dict[str, Metric]:
    """search_items vs LIKE '%…%' on the same table: ratio = LIKE time / search time (speed-up), ≥ 100."""
    out = {}
    for stat in ("median", "p95"):
        v, base = r[f"search_{stat}_s"] * 1000, r[f"like_{stat}_s"] * 1000
        speedup = round(base / v, 1) if v else None
        out[f"search_vs_like_{stat}_ms"] = Metric(round(v, 2), "ms", round(base, 2), speedup,
                                                  "speed-up >= 100x" + (" and <= 50 ms" if stat == "p95" else ""),
                                                  bool(speedup and speedup >= 100 and (stat != "p95" or v <= 50)))  # fmt: skip
    return out


PAGE_TARGET_MS = {"list_city": 25, "list_org": 25, "item": 25, "search": 50}


def _pages(r: dict[str, Any]) -> dict[str, Metric]:
    """Pages through gunicorn vs /bench/trivial/ on the same stack: p95 ≤ 25 ms (search ≤ 50 ms), no errors."""
    out = {}
    trivial = r["trivial"]
    for kind, target in PAGE_TARGET_MS.items():
        k = r[kind]
        for stat in ("median", "p95"):
            v, base = k[f"{stat}_s"] * 1000, trivial[f"{stat}_s"] * 1000
            met = k["errors"] == 0 and (stat == "median" or v <= target)
            out[f"page_{kind}_{stat}_ms"] = Metric(round(v, 2), "ms", round(base, 2), _ratio(v, base),
                                                   f"<= {target} ms" if stat == "p95" else "0 errors", met)  # fmt: skip
    return out


CACHED_RATIO = 3.0  # cached pages' p95 within 3 × the trivial view's, on the same stack, in the same run
THROUGHPUT_SHARE = 0.5  # cached pages over two nodes: at least half the trivial view's requests per second


def _cached_pages(r: dict[str, Any]) -> dict[str, Metric]:
    """Cached public pages under wrk (bench/bench_wrk.py) against the trivial view on the same nodes; the cold
    path with the cache on (every generation bumped before each request) keeps the page targets."""
    out: dict[str, Metric] = {}
    errors = sum(v.get("errors", 0) for v in r.values() if isinstance(v, dict))

    def p95_vs(name: str, run: str, trivial: str) -> None:
        v, base = r[run]["p95_s"] * 1000, r[trivial]["p95_s"] * 1000
        out[name] = Metric(round(v, 2), "ms", round(base, 2), _ratio(v, base), f"<= {CACHED_RATIO:g}x trivial p95",
                           r[run]["errors"] == 0 and v <= CACHED_RATIO * base)  # fmt: skip

    for kind in ("list", "item", "column"):
        p95_vs(f"cached_{kind}_p95_ms", f"cached_{kind}_one", "trivial_one")
    p95_vs("cached_two_nodes_p95_ms", "cached_two", "trivial_two")
    trivial_rps = max(r["trivial_one"]["rps"], r["trivial_two"]["rps"])
    for name, run in (("cached_two_nodes_rps", "cached_two"), ("cached_one_node_rps", "cached_one")):
        v = r[run]["rps"]
        target = f">= {THROUGHPUT_SHARE:g}x trivial" if run == "cached_two" else "(recorded)"
        met = r[run]["errors"] == 0 and (run != "cached_two" or v >= THROUGHPUT_SHARE * trivial_rps)
        out[name] = Metric(round(v, 1), "req/s", round(trivial_rps, 1), _ratio(v, trivial_rps), target, met)
    out["trivial_two_nodes_rps"] = Metric(round(r["trivial_two"]["rps"], 1), "req/s",
                                          round(r["trivial_one"]["rps"], 1),
                                          _ratio(r["trivial_two"]["rps"], r["trivial_one"]["rps"]),
                                          "(recorded; baseline: one node)", True)  # fmt: skip
    for kind in ("list", "item"):  # baseline: the same pages rendered without the cache, interleaved
        c = r[f"cold_{kind}"]
        v, base = c["p95_s"] * 1000, c["live_p95_s"] * 1000
        out[f"cold_cached_{kind}_p95_ms"] = Metric(round(v, 2), "ms", round(base, 2), _ratio(v, base),
                                                   "<= 25 ms (baseline: uncached)", c["errors"] == 0 and v <= 25)  # fmt: skip
    mem = r.get("memory", {})
    out["cached_copy_bytes"] = Metric(round(mem.get("mean_bytes", 0)), f"bytes ({mem.get('copies', 0)} copies)",
                                      None, None, "(recorded)", True)  # fmt: skip
    out["cached_pages_errors"] = Metric(errors, "responses", None, None, "== 0", errors == 0)
    return out


def _submissions(r: dict[str, Any]) -> dict[str, Metric]:
    """200 concurrent public form submissions through gunicorn: 0 failed, 0 lost (DB rows vs acknowledged)."""
    return {
        "submissions_failed": Metric(r["failed"], f"of {r['clients']}", None, None, "== 0", r["failed"] == 0),
        "submissions_lost": Metric(r["lost"], f"of {r['acknowledged']} acknowledged", None, None, "== 0",
                                   r["lost"] == 0 and r["unacknowledged_stored"] == 0),
        "submissions_median_s": Metric(round(r["median_s"], 3), "s", None, None, "(recorded)", True),
        "submissions_p95_s": Metric(round(r["p95_s"], 3), "s", None, None, "(recorded)", True),
    }  # fmt: skip


def _importer(full: bool) -> dict[str, Metric]:
    """Reports imported per second and the importer's measured accuracy (bench/bench_importer.py)."""
    from bench.bench_importer import run

    r = run(full=full)
    value, base = float(r["reports_per_s"]), float(r["baseline_per_s"])
    accuracy, recall = float(r["cell_accuracy"]), float(r["finding_recall"])
    return {
        "importer_reports_per_s": Metric(round(value, 1), "reports/s", round(base, 1), _ratio(value, base),
                                         ">= 50", value >= 50),
        "importer_cell_accuracy": Metric(round(accuracy, 4), "ratio", None, None, ">= 0.99", accuracy >= 0.99),
        "importer_finding_recall": Metric(round(recall, 4), "ratio", None, None, "= 1.0", recall == 1.0),
    }  # fmt: skip


_CORPUS: dict[str, Any] = {}


def _importer_corpus(full: bool) -> dict[str, Metric]:
    """The importer on the labelled corpus of real reports (bench/bench_corpus.py): the test half's figures."""
    from bench.bench_corpus import aggregate, run

    r = run(full=full)
    _CORPUS.clear()
    _CORPUS.update(r)
    test, dev = r["half"].get("test") or aggregate([]), r["half"].get("dev") or aggregate([])
    cells, silent, alarms = test["cells_exact_ratio"] or 0.0, test["silently_wrong"], test["false_alarms"]
    return {
        "importer_corpus_test_cells_exact": Metric(cells, "ratio", None, None, ">= 0.99", cells >= 0.99),
        "importer_corpus_test_silently_wrong": Metric(silent, "cells", None, None, "== 0", silent == 0),
        "importer_corpus_test_false_alarms": Metric(alarms, "findings", None, None, "== 0", alarms == 0),
        "importer_corpus_dev_cells_exact": Metric(dev["cells_exact_ratio"] or 0.0, "ratio", None, None,
                                                  "(recorded)", True),
    }  # fmt: skip


SUITES: dict[str, Callable[[bool], dict[str, Metric]]] = {
    "workdays": _workdays,
    "importer": _importer,
    "importer_corpus": _importer_corpus,
    "report": _per_db("report", _report),
    "search": _per_db("search", _search),
    "pages": _per_db("pages", _pages),
    "cached_pages": _per_db("cached_pages", _cached_pages),
    "submissions": _per_db("submissions", _submissions),
}


def _machine() -> str:
    cpu = ""
    try:
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    except (OSError, StopIteration):
        cpu = platform.processor()
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GiB, Python {platform.python_version()}"


def _merge_earlier(doc: dict[str, Any], suites: list[str], db: str) -> None:
    """A run of some suites (``--only``, ``--db``) replaces their metrics in bench/results.json and keeps the
    others from the earlier run, saying which suites and commit each part comes from; the keys other tools write
    into the file (bench_corpus's ``importer_corpus``) are kept as they were."""
    try:
        earlier = json.loads(RESULTS.read_text())
    except (OSError, ValueError):
        return
    if earlier.get("mode") != doc["mode"]:
        return
    for key, value in earlier.items():  # what other tools keep here (bench_corpus's importer_corpus) stays
        doc.setdefault(key, value)
    kept = {k: v for k, v in earlier.get("metrics", {}).items() if k not in doc["metrics"]}
    doc["metrics"] = {**kept, **doc["metrics"]}
    doc["datasets"] = {**earlier.get("datasets", {}), **doc["datasets"]}
    runs = [r for r in earlier.get("runs", []) if isinstance(r, dict)] or [{"commit": earlier.get("commit")}]
    doc["runs"] = [*runs[-9:], {"commit": doc["commit"], "suites": suites, "db": db}]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--full", action="store_true", help="full sizes (make bench)")
    parser.add_argument(
        "--db", choices=("both", *VENDORS), default="both", help="databases of the database suites"
    )
    parser.add_argument("--only", default="", help="comma-separated suites (default: all)")
    args = parser.parse_args()
    if args.db != "both":
        VENDORS[:] = [args.db]
    only = {s for s in args.only.split(",") if s}
    from bench.child import DB_SUITES as CHILD_SUITES

    DB_SUITES[:] = [s for s in CHILD_SUITES if s in only]
    started = time.perf_counter()
    from bench.db import setup_in_process

    setup_in_process()
    metrics: dict[str, Any] = {}
    for name, suite in SUITES.items():
        if only and name not in only:
            continue
        print(f"== {name}", flush=True)
        for key, metric in suite(args.full).items():
            metrics[key] = asdict(metric)
            print(f"   {key}: {metric.value} {metric.unit} (baseline {metric.baseline}, ×{metric.ratio}) "
                  f"target {metric.target}: {'met' if metric.target_met else 'MISSED'}")  # fmt: skip
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True,
                           cwd=ROOT).stdout.strip()  # fmt: skip
    datasets = {f"{v}": r.get("_dataset", {}) for (v, _), r in _DB_RESULTS.items()}
    doc: dict[str, Any] = {"machine": _machine(), "mode": "full" if args.full else "small",
           "commit": commit.stdout.strip() + ("+uncommitted" if dirty else ""),
           "seconds": round(time.perf_counter() - started), "datasets": datasets, "metrics": metrics}  # fmt: skip
    if only or args.db != "both":
        _merge_earlier(doc, sorted(only) or ["all"], args.db)
        metrics, datasets = doc["metrics"], doc["datasets"]
    RESULTS.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    rows = ["| metric | value | unit | baseline | ratio | target | met |", "|---|---|---|---|---|---|---|"]
    rows += [
        f"| {k} | {m['value']} | {m['unit']} | {m['baseline']} | {m['ratio']} | {m['target']} | "
        f"{'yes' if m['target_met'] else 'no'} |"
        for k, m in metrics.items()
    ]
    sizes = "; ".join(f"{v}: {d.get('counts')}" for v, d in datasets.items())
    table = "\n".join(
        [BEGIN, f"Machine: {doc['machine']}; mode: {doc['mode']}; commit {doc['commit']}; run {doc['seconds']} s.",
         *([f"Datasets: {sizes}."] if sizes else []),
         *([f"Runs merged (oldest first): {doc['runs']}."] if doc.get("runs") else []), "", *rows, END]
    )  # fmt: skip
    text = REPORT.read_text() if REPORT.exists() else "# Benchmarks\n\n" + BEGIN + "\n" + END + "\n"
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    REPORT.write_text(head + table + tail)
    if _CORPUS:  # importer_corpus (per half, shape, format) into results.json, its table into BENCHMARKS.md
        from bench.bench_corpus import write

        write(_CORPUS)
    print(f"wrote {RESULTS.relative_to(ROOT)} and {REPORT.name}")


if __name__ == "__main__":
    main()
