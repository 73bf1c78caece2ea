"""Derived variants of the development half's reports (issue #16): each real one-line/text report of the dev half
laid out as a PDF text extractor gives its print (tests/importing/layout.py), scored against its own label.

    python -m bench.bench_variants [--seeds N] [--details]

Only dev-half files are read (bench/corpus/split.json "dev"); the test half is never opened. Prints cells exact,
silently wrong cells (wrong and named by no warning) and error findings per variant.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "bench" / "corpus"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seeds", type=int, default=3, help="variants per report")
    parser.add_argument("--details", action="store_true", help="print the wrong cells")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(CORPUS))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    logging.getLogger("gongkai.reports.importing").setLevel(logging.ERROR)
    logging.getLogger("gongkai.reports.importing.pipeline").setLevel(logging.ERROR)
    import check_labels as cl

    from bench import bench_corpus as bc
    from gongkai.reports.importing.pipeline import import_bytes
    from gongkai.reports.importing.readers_text import decode_bytes
    from gongkai.reports.tests.importing.layout import pdf_layout

    dev = json.loads((CORPUS / "split.json").read_text())["dev"]
    totals = {"variants": 0, "cells": 0, "exact": 0, "silent": 0, "errors": 0}
    started = time.perf_counter()
    for ident in dev:
        label = cl.load(ident)
        if label.get("derived") or label["shape"] not in ("one_line_text", "markdown"):
            continue
        text, _ = decode_bytes((CORPUS / "files" / label["file"]).read_bytes())
        cells = bc._labelled_cells(cl, label)  # noqa: SLF001 - the scorer's own cell list
        for seed in range(args.seeds):
            laid = pdf_layout(text, random.Random(f"{ident}:{seed}"))
            docs = import_bytes(laid.encode(), f"{ident}-{seed}.txt")
            doc = max(docs, key=lambda d: sum(bc.same(bc._lookup(d, r), cl.value(label, r)) for r in cells))  # noqa: SLF001, B023
            named: set[str] = set()
            for f in doc.get("findings") or []:
                if f.get("severity") in ("error", "warning"):
                    named.update(f.get("cells") or [])
            wrong = [r for r in cells if not bc.same(bc._lookup(doc, r), cl.value(label, r))]  # noqa: SLF001
            silent = [r for r in wrong if not ({r.key, bc._row_of(r), r.table} & named)]  # noqa: SLF001
            errors = [f["code"] for f in doc.get("findings") or [] if f.get("severity") == "error"]
            totals["variants"] += 1
            totals["cells"] += len(cells)
            totals["exact"] += len(cells) - len(wrong)
            totals["silent"] += len(silent)
            totals["errors"] += len(errors)
            if args.details and (wrong or errors):
                print(
                    f"{ident} seed {seed}: {len(cells) - len(wrong)}/{len(cells)}, silent {len(silent)}, {errors}"
                )
                for r in wrong[:12]:
                    mark = "SILENT" if r in silent else "warned"
                    print(f"   {mark} {r.key}: label {cl.value(label, r)!r}, importer {bc._lookup(doc, r)!r}")  # noqa: SLF001
    seconds = time.perf_counter() - started
    print(
        f"pdf_layout variants of dev reports: {totals['variants']}, cells exact {totals['exact']}/{totals['cells']} "
        f"({100 * totals['exact'] / max(totals['cells'], 1):.1f} %), silently wrong {totals['silent']}, "
        f"error findings {totals['errors']}, {totals['variants'] / seconds:.1f} variants/s"
    )


if __name__ == "__main__":
    main()
