"""Derived variants of the development half's reports (issue #16), scored against their own labels.

    python -m bench.bench_variants [--seeds N] [--details]             the pdf_layout imitation (below)
    python -m bench.bench_variants --real [pdf|md|pdf,md] [--details]  made with real tools (bench/real_variants*.py)

Default: each real one-line/text report of the dev half laid out as a PDF text extractor gives its print
(tests/importing/layout.py). ``--real``: the dev reports printed to PDF by LibreOffice, WeasyPrint, Chromium and
WeasyPrint on A5 pages with page headers/footers and repeated table headers, and read back by pdftotext (with and
without -layout), pypdf, pdfminer.six, pdfplumber (with and without layout), pypdfium2 and the importer's PDF
reader (bench/real_pdf.py); converted to Markdown by pandoc (pipe, grid, HTML tables), html2text and the
placeholder-header block shape, and by markdownify, markitdown (HTML, DOCX, PDF) and pymupdf4llm when installed
(bench/real_variants_md.py); figures per family.

Only dev-half files are read (bench/corpus/split.json "dev"); the test half is never opened. Prints cells exact,
silently wrong cells (wrong and named by no warning) and error findings per variant.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import random
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "bench" / "corpus"


Totals = dict[str, dict[str, int]]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seeds", type=int, default=3, help="variants per report")
    parser.add_argument("--details", action="store_true", help="print the wrong cells")
    parser.add_argument("--real", default="", help="variants made with real tools: pdf, md or pdf,md")
    parser.add_argument("--dump", default="", help="with --real: write each variant's file into this folder")
    parser.add_argument("--only", default="", help="only these dev reports (comma-separated ids)")
    parser.add_argument("--family", default="", help="with --real: only the families whose name holds this")
    return parser


def score(
    cl: Any, label: dict[str, Any], data: bytes, name: str, totals: dict[str, int], details: str | None
) -> None:
    """One variant through the importer, compared with the label of the dev report it was made from."""
    from bench import bench_corpus as bc
    from gongkai.reports.importing.pipeline import import_bytes

    cells = bc._labelled_cells(cl, label)  # noqa: SLF001 - the scorer's own cell list
    docs = import_bytes(data, name)
    doc = max(docs, key=lambda d: sum(bc.same(bc._lookup(d, r), cl.value(label, r)) for r in cells))  # noqa: SLF001
    named: set[str] = set()
    for f in doc.get("findings") or []:
        if f.get("severity") in ("error", "warning"):
            named.update(f.get("cells") or [])
    wrong = [r for r in cells if not bc.same(bc._lookup(doc, r), cl.value(label, r))]  # noqa: SLF001
    refused = bc.is_refused(doc)
    silent = [r for r in wrong if not refused and not ({r.key, bc._row_of(r), r.table} & named)]  # noqa: SLF001
    errors = [f["code"] for f in doc.get("findings") or [] if f.get("severity") == "error"]
    totals["variants"] += 1
    totals["cells"] += len(cells)
    totals["exact"] += len(cells) - len(wrong)
    totals["silent"] += len(silent)
    totals["errors"] += len(errors)
    if details is not None and (wrong or errors):
        print(
            f"{label['id']} {details}: {len(cells) - len(wrong)}/{len(cells)}, silent {len(silent)}, {errors}"
            + (" (refused: not a report, or unreadable)" if refused else "")
        )
        for r in sorted(wrong, key=lambda r: r not in silent)[:12]:
            mark = "SILENT" if r in silent else "warned"
            print(f"   {mark} {r.key}: label {cl.value(label, r)!r}, importer {bc._lookup(doc, r)!r}")  # noqa: SLF001


def _real(cl: Any, dev: list[str], args: argparse.Namespace, totals: Totals) -> None:
    from bench import real_variants as rv

    have = rv.tools()
    print("tools:", " ".join(f"{k}{'' if v else ' (missing: skipped)'}" for k, v in have.items()))
    for v in rv.variants(cl, dev, have, set(args.real.split(","))):
        if args.family and args.family not in v.family:
            continue
        if args.dump:
            folder = Path(args.dump)
            folder.mkdir(parents=True, exist_ok=True)
            safe = "".join(c if c.isalnum() else "_" for c in v.family)
            digest = hashlib.sha256(v.data).hexdigest()[:6]  # one report may have several sources per family
            (folder / f"{v.ident}-{safe}-{digest}{Path(v.name).suffix}").write_bytes(v.data)
        score(cl, cl.load(v.ident), v.data, v.name, totals[v.family], v.family if args.details else None)
    print(rv.family_table(totals))


def _layout(cl: Any, dev: list[str], args: argparse.Namespace, totals: Totals) -> None:
    from gongkai.reports.importing.readers_text import decode_bytes
    from gongkai.reports.tests.importing.layout import pdf_layout

    for ident in dev:
        label = cl.load(ident)
        if label.get("derived") or label["shape"] not in ("one_line_text", "markdown"):
            continue
        text, _ = decode_bytes((CORPUS / "files" / label["file"]).read_bytes())
        for seed in range(args.seeds):
            laid = pdf_layout(text, random.Random(f"{ident}:{seed}"))
            tag = f"seed {seed}" if args.details else None
            score(cl, label, laid.encode(), f"{ident}-{seed}.txt", totals["pdf_layout"], tag)
    t = totals["pdf_layout"]
    print(
        f"pdf_layout variants of dev reports: {t['variants']}, cells exact {t['exact']}/{t['cells']} "
        f"({100 * t['exact'] / max(t['cells'], 1):.1f} %), silently wrong {t['silent']}, "
        f"error findings {t['errors']}"
    )


def main() -> None:
    args = _parser().parse_args()
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(CORPUS))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    for name, level in (
        ("gongkai.reports.importing", logging.ERROR),
        ("gongkai.reports.importing.pipeline", logging.ERROR),
        ("weasyprint", logging.CRITICAL),
        ("pdfminer", logging.ERROR),
    ):
        logging.getLogger(name).setLevel(level)
    import check_labels as cl

    dev = json.loads((CORPUS / "split.json").read_text())["dev"]
    if args.only:
        dev = [i for i in dev if i in args.only.split(",")]
    totals: Totals = defaultdict(lambda: {"variants": 0, "cells": 0, "exact": 0, "silent": 0, "errors": 0})
    started = time.perf_counter()
    (_real if args.real else _layout)(cl, dev, args, totals)
    seconds = time.perf_counter() - started
    print(f"{seconds:.1f} s, {sum(t['variants'] for t in totals.values()) / seconds:.1f} variants/s")


if __name__ == "__main__":
    main()
