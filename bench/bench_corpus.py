"""Score the current importer on the labelled corpus of real reports (bench/corpus, issue #15).

    python -m bench.bench_corpus [--no-write] [--details]     (make bench-importer; also part of make bench)

For every file in bench/corpus/files that has a label, the importer (``pipeline.import_path``) reads it as a user's
upload would, and its document is compared with the label (the best-matching document when it finds several):

- cells exact: every labelled cell of 表二/表三/表四 (null and text cells count too) equal to the label; a number
  equals a number of the same value, a text the same text (stripped), null only null. A table the label has and
  the importer did not find counts all its cells as not read; a file the importer refuses (e.g. .doc, a scan) the
  same — 0 cells read, never skipped.
- rows exact: every cell of the row equal (表二 item/row, 表三 row, 表四 group).
- tables found: tables the label has that the importer returned (not null).
- inconsistencies flagged: labelled inconsistencies with an error or warning finding naming one of their cells.
- false alarms: error findings the label contradicts — a sum error (table3_row_total, table3_results_total,
  table3_identity, table4_total) naming no labelled inconsistency's cell; format_wrong_for_year where the label's
  format is that of its year; table_missing for a table the label has; cell_missing/row_missing where the label has
  the cell; cell_blank where the label has a value; cell_not_number where the label has a number; cell_negative /
  cell_not_integer where the label's number is not. Errors the label cannot judge (published_late, section_missing,
  text_table_mismatch, …) are counted as ``errors_unjudged``; import_* (a file refused) is not an alarm.
  ``errors_on_consistent`` counts every error finding (but import_*) on reports whose label records no inconsistency.
- silently wrong cells: value ≠ label and no finding names the cell (the cell, its row ``table3:<row>``, or its
  table ``table3``); a refused file (import_unreadable) is loud, so its cells are not silent.

Figures per report, then per half (bench/corpus/split.json; a provisional split computed by split.py while it is
not written yet), per shape, per format and per half × shape. ``target_met``: on the test half ≥ 99 % cells exact,
0 silently wrong cells, 0 false alarms. Per-report figures are kept for the dev half only: the test half is scored,
never looked into. Writes ``importer_corpus`` into bench/results.json and the table between the corpus markers of
BENCHMARKS.md (``--no-write``: print only).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "bench" / "corpus"
RESULTS = ROOT / "bench" / "results.json"
REPORT = ROOT / "BENCHMARKS.md"
BEGIN, END = "<!-- corpus:begin -->", "<!-- corpus:end -->"
TARGET = {"test_cells_exact": 0.99, "test_silently_wrong": 0, "test_false_alarms": 0}
CELL_CODES = frozenset(
    {"cell_missing", "row_missing", "cell_blank", "cell_not_number", "cell_negative", "cell_not_integer"}
)
TABLES = ("table2", "table3", "table4")
COUNTS = (
    "reports", "refused", "cells", "cells_exact", "rows", "rows_exact", "tables", "tables_found",
    "inconsistencies", "inconsistencies_flagged", "false_alarms", "errors_on_consistent", "errors_unjudged",
    "silently_wrong",
)  # fmt: skip

_MISSING = object()


def _corpus_modules() -> tuple[Any, Any]:
    sys.path.insert(0, str(CORPUS))
    import check_labels
    import split

    return check_labels, split


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def same(got: Any, want: Any) -> bool:
    if want is None:
        return got is None
    if _is_number(want):
        return _is_number(got) and Decimal(str(got)) == Decimal(str(want))
    if isinstance(want, str):
        return isinstance(got, str) and got.strip() == want.strip()
    return False


def _lookup(doc: dict[str, Any], ref: Any) -> Any:
    from gongkai.reports import definitions as defs

    try:
        return defs.cell_value(doc, ref)
    except (KeyError, IndexError, TypeError, ValueError, AttributeError):
        return _MISSING


def is_refused(doc: dict[str, Any]) -> bool:
    """The file was refused (unreadable, an error, or "not a report"): no figure is claimed, the user is told, so
    none of its cells is silently wrong."""
    findings = doc.get("findings") or []
    return (
        bool(doc.get("error"))
        or doc.get("kind") == "not_a_report"
        or any(f.get("code") in ("import_unreadable", "not_a_report") for f in findings)
    )


def _row_of(ref: Any) -> str:
    return f"{ref.table}:{ref.row}"


def _labelled_cells(cl: Any, label: dict[str, Any]) -> list[Any]:
    """Every cell of the tables the label has (表二/表三/表四 of its format)."""
    refs = cl.cell_refs(label["format"], cl.single_other_row(label))
    return [r for r in refs if label.get(r.table) is not None]


def _false_alarm(
    finding: dict[str, Any], label: dict[str, Any], refs: dict[str, Any], inconsistent: set[str]
) -> bool:
    """Whether the label contradicts this error finding; LookupError when the label cannot judge its code."""
    from gongkai.reports import definitions as defs
    from gongkai.reports.importing.pipeline import SUM_CODES

    code, cells = finding.get("code", ""), list(finding.get("cells") or [])
    if code in SUM_CODES:
        return not (set(cells) & inconsistent)
    if code == "format_wrong_for_year":
        year = label.get("year")
        return isinstance(year, int) and defs.format_for_year(year) == label.get("format")
    if code == "table_missing":
        return any(label.get(c) is not None for c in cells if c in TABLES)
    if code in CELL_CODES:
        for key in cells:
            ref = refs.get(key)
            if ref is None:  # a whole row (row_missing names "table3:<row>")
                rows = [r for r in refs.values() if _row_of(r) == key]
                if rows and code in ("row_missing", "cell_missing"):
                    return True
                continue
            want = defs.cell_value(label, ref)
            if code in ("cell_missing", "row_missing"):
                return True
            if code == "cell_blank" and want is not None:
                return True
            if code == "cell_not_number" and _is_number(want):
                return True
            if code == "cell_negative" and not (_is_number(want) and want < 0):
                return True
            if code == "cell_not_integer" and not (_is_number(want) and want != int(want)):
                return True
        return False
    raise LookupError(code)


def score_report(cl: Any, label: dict[str, Any]) -> dict[str, Any]:
    """One corpus file through the importer, compared with its label."""
    from gongkai.reports.importing.pipeline import import_path

    path = CORPUS / "files" / label["file"]
    started = time.perf_counter()
    docs = import_path(path)
    seconds = time.perf_counter() - started
    cells = _labelled_cells(cl, label)
    refs = {r.key: r for r in cells}

    def exact(doc: dict[str, Any]) -> int:
        return sum(same(_lookup(doc, r), cl.value(label, r)) for r in cells)

    doc = max(docs, key=exact)
    findings = list(doc.get("findings") or [])
    refused = is_refused(doc)
    mentioned: set[str] = set()
    for f in findings:
        mentioned.update(f.get("cells") or [])
    wrong = [r for r in cells if not same(_lookup(doc, r), cl.value(label, r))]
    wrong_keys = {r.key for r in wrong}
    silent = [r for r in wrong if not refused and not ({r.key, _row_of(r), r.table} & mentioned)]
    rows: dict[str, bool] = {}
    for r in cells:
        row = f"{r.table}:{r.row}"
        rows[row] = rows.get(row, True) and r.key not in wrong_keys
    index = cl.cell_index(label["format"], cl.single_other_row(label))
    incs = []
    for inc in label.get("inconsistencies") or []:
        incs.append({index[c].key for c in inc.get("cells", []) if c in index})
    inconsistent = set().union(*incs) if incs else set()
    flagged = 0
    for keys in incs:
        flagged += any(
            f.get("severity") in ("error", "warning") and keys & set(f.get("cells") or []) for f in findings
        )
    alarms = unjudged = on_consistent = 0
    alarm_codes: dict[str, int] = defaultdict(int)
    for f in findings:
        if f.get("severity") != "error" or str(f.get("code", "")).startswith("import_"):
            continue
        on_consistent += not incs
        try:
            if _false_alarm(f, label, refs, inconsistent):
                alarms += 1
                alarm_codes[f["code"]] += 1
        except LookupError:
            unjudged += 1
    present = [t for t in TABLES if label.get(t) is not None]
    return {
        "id": label["id"],
        "shape": label["shape"],
        "format": label["format"],
        "derived": bool(label.get("derived")),
        "documents": len(docs),
        "seconds": round(seconds, 3),
        "reports": 1,
        "refused": int(refused),
        "cells": len(cells),
        "cells_exact": len(cells) - len(wrong),
        "rows": len(rows),
        "rows_exact": sum(rows.values()),
        "tables": len(present),
        "tables_found": sum(doc.get(t) is not None for t in present),
        "inconsistencies": len(incs),
        "inconsistencies_flagged": flagged,
        "false_alarms": alarms,
        "false_alarm_codes": dict(alarm_codes),
        "errors_on_consistent": on_consistent,
        "errors_unjudged": unjudged,
        "silently_wrong": len(silent),
        "wrong_cells": [[r.key, cl.value(label, r), _jsonable(_lookup(doc, r))] for r in wrong],
    }


def _jsonable(v: Any) -> Any:
    return "<missing>" if v is _MISSING else v


def aggregate(reports: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {k: sum(r[k] for r in reports) for k in COUNTS}
    seconds = sum(r["seconds"] for r in reports)
    out["reports_per_s"] = round(len(reports) / seconds, 1) if seconds else None  # import + check, wall clock
    out["cells_exact_ratio"] = round(out["cells_exact"] / out["cells"], 4) if out["cells"] else None
    out["rows_exact_ratio"] = round(out["rows_exact"] / out["rows"], 4) if out["rows"] else None
    return out


def halves(split_mod: Any, ids: list[str]) -> tuple[dict[str, str], str]:
    """id → "dev"/"test" from split.json, or a provisional split while split.json is not written."""
    split = split_mod.load_split()
    status = "split.json"
    if split is None:
        split = split_mod.assign(split_mod.metadata())
        status = "provisional (split.json not written yet)"
    half_of = {i: h for h in ("dev", "test") for i in split.get(h, [])}
    missing = [i for i in ids if i not in half_of]
    if missing:
        status += f"; not in the split, scored as 'unsplit': {' '.join(missing)}"
    return {i: half_of.get(i, "unsplit") for i in ids}, status


def run(full: bool = False, only: str | None = None) -> dict[str, Any]:  # noqa: ARG001 - same corpus in both modes
    """Score every labelled corpus file; figures per half, shape, format and half × shape, with target_met.

    ``only="dev"`` scores the development half alone (working on the importer must not score the test half)."""
    cl, split_mod = _corpus_modules()
    for name in ("gongkai.reports.importing", "gongkai.reports.importing.pipeline"):  # "not read: …" per file
        logging.getLogger(name).setLevel(logging.WARNING)
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # font warnings on Chromium's PDFs
    ids = [i for i in cl.all_ids() if (CORPUS / "files" / cl.load(i).get("file", "")).is_file()]
    half_of, status = halves(split_mod, ids)
    if only:
        ids = [i for i in ids if half_of[i] == only]
    started = time.perf_counter()
    reports = []
    for i in ids:
        r = score_report(cl, cl.load(i))
        r["half"] = half_of[i]
        reports.append(r)
    groups: dict[str, dict[str, list[dict[str, Any]]]] = {
        "half": defaultdict(list),
        "shape": defaultdict(list),
        "format": defaultdict(list),
        "half_shape": defaultdict(list),
    }
    for r in reports:
        groups["half"][r["half"]].append(r)
        groups["shape"][r["shape"]].append(r)
        groups["format"][r["format"]].append(r)
        groups["half_shape"][f"{r['half']}/{r['shape']}"].append(r)
    test = aggregate([r for r in reports if r["half"] == "test"])
    met = {
        "test_cells_exact": (test["cells_exact_ratio"] or 0) >= TARGET["test_cells_exact"],
        "test_silently_wrong": test["silently_wrong"] == TARGET["test_silently_wrong"],
        "test_false_alarms": test["false_alarms"] == TARGET["test_false_alarms"],
    }
    return {
        "split": status,
        "seconds": round(time.perf_counter() - started, 1),
        "target": ">= 99 % cells exact on the test half, 0 silently wrong cells, 0 false error findings",
        "target_met": all(met.values()) and test["reports"] > 0,
        "targets": met,
        "all": aggregate(reports),
        **{name: {k: aggregate(v) for k, v in sorted(g.items())} for name, g in groups.items()},
        "dev_reports": [
            {k: v for k, v in r.items() if k != "wrong_cells"} for r in reports if r["half"] == "dev"
        ],
        "_wrong_cells_dev": {r["id"]: r["wrong_cells"] for r in reports if r["half"] == "dev"},
    }


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:.1f} %" if b else "—"


def table(result: dict[str, Any]) -> str:
    head = (
        "| half | shape | reports | refused | cells exact | rows exact | tables found | inconsistencies flagged | "
        "false alarms | silently wrong | reports/s |"
    )
    lines = [head, "|---|---|---|---|---|---|---|---|---|---|---|"]

    def line(half: str, shape: str, a: dict[str, Any]) -> str:
        return (
            f"| {half} | {shape} | {a['reports']} | {a['refused']} | {a['cells_exact']}/{a['cells']} "
            f"({_pct(a['cells_exact'], a['cells'])}) | {a['rows_exact']}/{a['rows']} | {a['tables_found']}/"
            f"{a['tables']} | {a['inconsistencies_flagged']}/{a['inconsistencies']} | {a['false_alarms']} | "
            f"{a['silently_wrong']} | {a['reports_per_s'] if a['reports_per_s'] is not None else '—'} |"
        )

    for key, agg in result["half_shape"].items():
        half, shape = key.split("/", 1)
        lines.append(line(half, shape, agg))
    for half, agg in result["half"].items():
        lines.append(line(f"**{half}**", "all", agg))
    for fmt, agg in result["format"].items():
        lines.append(line("all", f"format {fmt}", agg))
    lines.append(line("**all**", "all", result["all"]))
    return "\n".join(lines)


def write(result: dict[str, Any]) -> None:
    """importer_corpus into bench/results.json (other keys kept) and the corpus table into BENCHMARKS.md."""
    stored = {k: v for k, v in result.items() if not k.startswith("_")}
    doc = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    doc["importer_corpus"] = stored
    RESULTS.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    block = "\n".join(
        [
            BEGIN,
            f"Importer on the labelled corpus (`make bench-importer`, bench/corpus; split: {result['split']}). "
            f"Target: {result['target']} — {'met' if result['target_met'] else 'not met'}.",
            "",
            table(result),
            END,
        ]
    )
    text = REPORT.read_text() if REPORT.exists() else "# Benchmarks\n"
    if BEGIN in text:
        head, _, rest = text.partition(BEGIN)
        _, _, tail = rest.partition(END)
        text = head + block + tail
    else:
        text = (
            text.rstrip("\n")
            + "\n\n## Importer on the real-report corpus\n\n"
            + "What the figures mean, the labels and the split: bench/corpus/README.md. The test half is only ever "
            + "scored, never opened while working on the importer.\n\n"
            + block
            + "\n"
        )
    REPORT.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--no-write", action="store_true", help="print only; leave results.json and BENCHMARKS.md"
    )
    parser.add_argument("--details", action="store_true", help="print the wrong cells of dev-half reports")
    parser.add_argument(
        "--dev-only", action="store_true", help="score the development half only (implies --no-write)"
    )
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()  # no database is used
    result = run(only="dev" if args.dev_only else None)
    print(table(result))
    print(
        f"split: {result['split']}; {result['seconds']} s; target_met: {result['target_met']} {result['targets']}"
    )
    if args.details:
        for r in result["dev_reports"]:
            wrong = result["_wrong_cells_dev"][r["id"]]
            print(f"\n{r['id']} {r['shape']} {r['format']}: {r['cells_exact']}/{r['cells']} cells exact, "
                  f"{r['false_alarms']} false alarms {r['false_alarm_codes']}, {r['silently_wrong']} silent")  # fmt: skip
            for key, want, got in wrong[:40]:
                print(f"   {key}: label {want!r}, importer {got!r}")
    if not (args.no_write or args.dev_only):
        write(result)
        print(f"wrote importer_corpus into {RESULTS.relative_to(ROOT)} and {REPORT.name}")


if __name__ == "__main__":
    main()
