"""Importer throughput (HTML and text reports per second) against reading+decoding alone, plus accuracy.

Standalone: ``python bench/bench_importer.py [--full]``. From ``bench/run.py``: ``run(full=...) -> dict``
with ``reports_per_s`` (read, normalise, split, extract, check), ``baseline_per_s`` (read and decode the
same files only), and the accuracy on the labelled set of real report layouts
(gongkai/reports/tests/importing/fixtures/real) plus the five seeds.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "gongkai" / "reports" / "tests" / "importing" / "fixtures" / "real"


def _corpus(count: int, seed: int = 20261122) -> list[tuple[str, bytes]]:
    """HTML (UTF-8 and GBK) and flattened-text reports with varied figures, rendered from the formats."""
    from gongkai.reports import definitions as defs
    from gongkai.reports.tests.importing import synth

    rng = random.Random(seed)
    files: list[tuple[str, bytes]] = []
    for n in range(count):
        fmt = "2019" if n % 2 else "2021"
        year = 2020 if fmt == "2019" else 2021 + n % 4
        doc = defs.empty_document(f"测试{n}区", year, fmt, "unknown", fill=0)
        for row in doc["table3"]["rows"].values():
            row[:6] = [rng.choice((0, 0, 0, 1, 2, 5, 17)) for _ in range(6)]
            row[6] = sum(row[:6])
        doc["sections"] = {"一": "本年度工作情况。" * 40, "五": "存在问题。" * 20, "六": "无。"}
        style = n % 4
        if style == 0:
            files.append((f"r{n}.html", synth.to_html(doc)))
        elif style == 1:
            files.append((f"r{n}.html", synth.to_html(doc, encoding="gbk")))
        elif style == 2:
            files.append((f"r{n}.txt", synth.to_text(doc, "pipe").encode()))
        else:
            files.append((f"r{n}.txt", synth.to_text(doc, "spaced").encode("gb18030")))
    return files


def _rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else float("inf")


def accuracy() -> dict[str, Any]:
    """Cell accuracy and finding precision/recall on the labelled real layouts, seed 001 and injected errors."""
    from gongkai.reports import definitions as defs
    from gongkai.reports.importing.pipeline import import_bytes, import_path
    from gongkai.reports.importing.scoring import Score
    from gongkai.reports.tests.importing.seed_001_expected import TABLE2, TABLE3_ROWS, TABLE4

    score = Score()
    labels = json.loads((REAL / "labels.json").read_text(encoding="utf-8"))
    for name, label in sorted(labels.items()):
        [doc] = import_path(REAL / name)
        score.add_cells(name, doc, label["cells"])
        score.add_findings(doc, label["errors"])
        # The same report with one figure changed must be flagged (an injected inconsistency).
        text = (REAL / name).read_text(encoding="utf-8")
        for key, value in label["cells"].items():
            if key.startswith("table3:") and key.endswith(":总计") and isinstance(value, int) and value > 0:
                changed = text.replace(f"| {value} |", f"| {value + 1} |", 1)
                if changed != text:
                    [bad] = import_bytes(changed.encode(), name)
                    score.add_findings(bad, [*label["errors"], "table3_row_total"])
                break
    seed = next((ROOT.parent / "shared" / "seeds").glob("001_*.txt"), None) or next(
        Path("/work/shared/seeds").glob("001_*.txt")
    )
    [doc] = import_path(seed)
    expected: dict[str, Any] = {}
    for item, rows in TABLE2.items():
        for row, cells in rows.items():
            expected.update({f"table2:{item}/{row}:{c}": v for c, v in cells.items()})
    for row, values in TABLE3_ROWS.items():
        expected.update({f"table3:{row}:{c}": v for c, v in zip(defs.TABLE3_COLUMNS, values, strict=True)})
    for group, cells in TABLE4.items():
        expected.update({f"table4:{group}:{c}": v for c, v in cells.items()})
    score.add_cells("seed_001", doc, expected)
    score.add_findings(doc, [])
    _injected(score)
    result = score.as_dict()
    result["wrong_cells"] = [list(w) for w in score.wrong[:20]]
    return result


def _injected(score: Any, count: int = 24, seed: int = 7) -> None:
    """Seed 001's figures with one 表三/表四 cell changed, published as HTML, text or Word: each change must
    be flagged by an error naming that cell, and nothing else may be flagged."""
    import copy

    from gongkai.reports import definitions as defs
    from gongkai.reports.importing.pipeline import import_bytes
    from gongkai.reports.tests.importing import synth
    from gongkai.reports.tests.importing.seed_001_expected import TABLE2, TABLE3_ROWS, TABLE4

    rng = random.Random(seed)
    base: dict[str, Any] = {
        "unit": "洛江区",
        "year": 2020,
        "format": "2019",
        "sections": {"一": "x", "五": "y", "六": "无。"},
        "table2": TABLE2,
        "table3": {"columns": list(defs.TABLE3_COLUMNS), "rows": TABLE3_ROWS},
        "table4": TABLE4,
    }
    makers = [
        lambda d: ("x.html", synth.to_html(d)),
        lambda d: ("x.txt", synth.to_text(d, "pipe").encode()),
        lambda d: ("x.txt", synth.to_text(d, "spaced").encode()),
        lambda d: ("x.docx", synth.to_docx(d)),
    ]
    for n in range(count):
        doc = copy.deepcopy(base)
        if n % 3 == 2:
            group = rng.choice(defs.TABLE4_GROUPS)
            column = rng.choice(defs.TABLE4_COLUMNS)
            doc["table4"][group][column] += 1
            key = f"table4:{group}:{column}"
        else:
            row = rng.choice(list(TABLE3_ROWS))
            col = rng.randrange(7)
            doc["table3"]["rows"][row][col] += 1
            key = f"table3:{row}:{defs.TABLE3_COLUMNS[col]}"
        name, data = makers[n % len(makers)](doc)
        [got] = import_bytes(data, name)
        errors = [f for f in got["findings"] if f["severity"] == "error"]
        hits = [f for f in errors if key in f["cells"]]
        score.true_positive += 1 if hits else 0
        score.false_negative += 0 if hits else 1
        score.false_positive += sum(1 for f in errors if key not in f["cells"])


def run(full: bool = False) -> dict[str, Any]:
    """Reports per second for HTML/text (import + check) and for reading+decoding alone."""
    from gongkai.reports.importing.pipeline import import_bytes
    from gongkai.reports.importing.readers import read_bytes

    files = _corpus(400 if full else 120)
    for name, data in files[:8]:  # warm-up: imports, OpenCC dictionaries
        import_bytes(data, name)

    start = time.perf_counter()
    reports = 0
    for name, data in files:
        reports += len(import_bytes(data, name))
    per_s = _rate(reports, time.perf_counter() - start)

    start = time.perf_counter()
    for name, data in files:
        read_bytes(data, name)
    baseline = _rate(len(files), time.perf_counter() - start)

    return {"reports_per_s": per_s, "baseline_per_s": baseline, "files": len(files), **accuracy()}


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    print(json.dumps(run(full="--full" in sys.argv), ensure_ascii=False, indent=1))
