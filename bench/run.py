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
        )  # fmt: skip
    }


SUITES: dict[str, Callable[[bool], dict[str, Metric]]] = {"workdays": _workdays}


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--full", action="store_true", help="full sizes (make bench)")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ.setdefault(
        "DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}"
    )  # never the demo database
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    metrics: dict[str, Any] = {}
    for name, suite in SUITES.items():
        print(f"== {name}")
        for key, metric in suite(args.full).items():
            metrics[key] = asdict(metric)
            print(f"   {key}: {metric.value} {metric.unit} (baseline {metric.baseline}, ×{metric.ratio}) "
                  f"target {metric.target}: {'met' if metric.target_met else 'MISSED'}")  # fmt: skip
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
    doc = {"machine": _machine(), "mode": "full" if args.full else "small", "commit": commit.stdout.strip(),
           "metrics": metrics}  # fmt: skip
    RESULTS.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    rows = ["| metric | value | unit | baseline | ratio | target | met |", "|---|---|---|---|---|---|---|"]
    rows += [
        f"| {k} | {m['value']} | {m['unit']} | {m['baseline']} | {m['ratio']} | {m['target']} | "
        f"{'yes' if m['target_met'] else 'no'} |"
        for k, m in metrics.items()
    ]
    table = "\n".join(
        [BEGIN, f"Machine: {doc['machine']}; mode: {doc['mode']}; commit {doc['commit']}.", "", *rows, END]
    )
    text = REPORT.read_text() if REPORT.exists() else "# Benchmarks\n\n" + BEGIN + "\n" + END + "\n"
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    REPORT.write_text(head + table + tail)
    print(f"wrote {RESULTS.relative_to(ROOT)} and {REPORT.name}")


if __name__ == "__main__":
    main()
