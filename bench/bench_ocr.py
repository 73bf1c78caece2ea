"""OCR on the corpus's DEV-half scans and photos (issue #20): cells exact, wrong cells without a warning on the
cell, character accuracy, seconds per page (wall and CPU), for each engine / dpi / thread / segmentation setting.

    .venv/bin/python -m bench.bench_ocr [--engines tesseract,rapidocr] [--dpi 150,200,300] [--threads 1,2]
                                        [--psm 6] [--json out.json]

Only dev-half files of shape scan_pdf/photo are read (bench/corpus/split.json): the test half is never opened here;
its aggregate is what ``bench.bench_corpus`` prints. ``tesseract`` is the importer's engine (``importing.ocr``);
``rapidocr`` (rapidocr-onnxruntime, PP-OCRv4 models inside its wheel) is measured through the same layout and
pipeline when it is installed (``pip install rapidocr-onnxruntime==1.4.4``; not a project dependency).

Per page: wall seconds and CPU seconds of the OCR process (``resource.getrusage(RUSAGE_CHILDREN)`` around each
tesseract run; ``time.process_time`` for rapidocr, which runs in this process), rasterising (pdftoppm) apart. The
machine is shared, so CPU seconds are the figure to compare; wall seconds show the load. Character accuracy:
1 − edit distance / length between the recognised text and the text the derived file was printed from (its
``derived_from`` source, dev half too), both without spaces and punctuation; for a photo, which holds the pages up
to section 五 only, the source is cut where the recognised text ends. ``cell-warned``: of the wrong cells, those a
finding names by the cell itself (stricter than the scorer's "silently wrong", which also accepts the row or table).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHAPES = ("scan_pdf", "photo")
_ENGINES: dict[str, Any] = {}
_KEEP = re.compile(r"[\u3400-\u9fff0-9A-Za-z]")


def _rapidocr_images(images: list[Path], program: str) -> list[Any]:  # noqa: ARG001 - same signature as ocr
    from rapidocr_onnxruntime import RapidOCR

    from gongkai.reports.importing import ocr

    if "rapidocr" not in _ENGINES:
        _ENGINES["rapidocr"] = RapidOCR()
    engine = _ENGINES["rapidocr"]
    words = []
    for page, image in enumerate(images, start=1):
        found, _ = engine(str(image))
        boxes = []
        for points, text, score in found or []:
            xs, ys = [p[0] for p in points], [p[1] for p in points]
            boxes.append((int(min(xs)), int(min(ys)), int(max(xs)), int(max(ys)), text, float(score)))
        boxes.sort(key=lambda b: (b[1] + b[3]) / 2)
        line, centre = 0, None
        for x0, y0, x1, y1, text, score in boxes:
            middle = (y0 + y1) / 2
            if centre is None or abs(middle - centre) > 0.5 * (y1 - y0):
                line, centre = line + 1, middle
            words.append(ocr.Word(text, page, (x0, y0, x1, y1), round(score, 3), (1, 1, line)))
    return words


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class _Meter:
    """Wraps ``ocr.recognise`` / ``ocr.rasterise`` / ``ocr.ocr_images`` to time each page and keep the words."""

    def __init__(self, ocr: Any, engine: str) -> None:
        self.ocr, self.engine = ocr, engine
        self.pages: list[tuple[float, float]] = []
        self.raster: list[tuple[float, float]] = []
        self.words: list[Any] = []
        self.saved = (ocr.recognise, ocr.rasterise, ocr.ocr_images)

    def __enter__(self) -> _Meter:
        recognise, rasterise, ocr_images = self.saved

        def timed_recognise(image: Path, page: int, program: str) -> list[Any]:
            wall, cpu = time.perf_counter(), _children_cpu()
            words = recognise(image, page, program)
            self.pages.append((time.perf_counter() - wall, _children_cpu() - cpu))
            return words

        def timed_rasterise(*args: Any, **kwargs: Any) -> list[Path]:
            wall, cpu = time.perf_counter(), _children_cpu()
            pages = rasterise(*args, **kwargs)
            self.raster.append((time.perf_counter() - wall, _children_cpu() - cpu))
            return pages

        def rapid(images: list[Path], program: str) -> list[Any]:
            words = []
            for image in images:
                wall, cpu = time.perf_counter(), time.process_time()
                words += _rapidocr_images([image], program)
                self.pages.append((time.perf_counter() - wall, time.process_time() - cpu))
            return words

        def kept(images: list[Path], program: str) -> list[Any]:
            words = (ocr_images if self.engine == "tesseract" else rapid)(images, program)
            self.words = words
            return words

        self.ocr.recognise, self.ocr.rasterise, self.ocr.ocr_images = timed_recognise, timed_rasterise, kept
        return self

    def __exit__(self, *exc: object) -> None:
        self.ocr.recognise, self.ocr.rasterise, self.ocr.ocr_images = self.saved


def _compact(text: str) -> str:
    return "".join(_KEEP.findall(text))


def char_accuracy(recognised: str, source: str, *, prefix: bool) -> float:
    """1 − edit distance / source length, both compacted; ``prefix``: the source is cut where the recognised
    text's last characters are found in it (a photo of the first pages)."""
    from rapidfuzz.distance import Levenshtein
    from rapidfuzz.fuzz import partial_ratio_alignment

    got, want = _compact(recognised), _compact(source)
    if prefix and len(got) > 40:
        tail = got[-40:]
        window = want[max(0, len(got) - 2000) : len(got) + 2000]
        found = partial_ratio_alignment(tail, window)
        if found is not None:
            want = want[: max(0, len(got) - 2000) + found.dest_end]
    return 1 - Levenshtein.distance(got, want) / max(1, len(want))


def _source_text(label: dict[str, Any]) -> str | None:
    source = label.get("derived_from")
    if not source:
        return None
    files = sorted((ROOT / "bench" / "corpus" / "files").glob(f"{source}.*"))
    if not files:
        return None
    data = files[0].read_bytes()
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def measure(label: dict[str, Any], engine: str, cl: Any) -> dict[str, Any]:
    from bench import bench_corpus
    from gongkai.reports.importing import ocr, pipeline

    captured: list[list[dict[str, Any]]] = []
    original = pipeline.import_path

    def keep(path: Any, *args: Any, **kwargs: Any) -> list[dict[str, Any]]:
        docs = original(path, *args, **kwargs)
        captured.append(docs)
        return docs

    pipeline.import_path = keep
    try:
        with _Meter(ocr, engine) as meter:
            r = bench_corpus.score_report(cl, label)
    finally:
        pipeline.import_path = original
    named: set[str] = set()
    confidence: dict[str, float] = {}
    for doc in captured[-1]:
        for f in doc.get("findings") or []:
            named.update(f.get("cells") or [])
        for key, where in ((doc.get("source") or {}).get("cells") or {}).items():
            if "confidence" in where and not key.startswith("表二"):
                table, rest = key.split("/", 1)
                row, column = rest.rsplit("/", 1)
                confidence[f"{'table3' if table == '表三' else 'table4'}:{row}:{column}"] = where[
                    "confidence"
                ]
    wrong = [key for key, _, _ in r["wrong_cells"]]
    source = _source_text(label)
    text = "".join(w.text for w in meter.words)
    accuracy = char_accuracy(text, source, prefix=label["shape"] == "photo") if source else None
    return {
        "id": label["id"],
        "shape": label["shape"],
        "pages": len(meter.pages),
        "page_wall_s": [round(w, 2) for w, _ in meter.pages],
        "page_cpu_s": [round(c, 2) for _, c in meter.pages],
        "raster_wall_s": round(sum(w for w, _ in meter.raster), 2),
        "raster_cpu_s": round(sum(c for _, c in meter.raster), 2),
        "cells": r["cells"],
        "cells_exact": r["cells_exact"],
        "silently_wrong": r["silently_wrong"],
        "wrong_not_cell_warned": sum(key not in named for key in wrong),
        "wrong_cells": r["wrong_cells"],
        "char_accuracy": None if accuracy is None else round(accuracy, 4),
        # (confidence, wrong?) of every 表三/表四 cell placed on the page: calibrates provenance.LOW_CONFIDENCE
        "cell_confidence": sorted((c, key in wrong) for key, c in confidence.items()),
        "false_alarms": r["false_alarms"],
        "tables_found": f"{r['tables_found']}/{r['tables']}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--engines", default="tesseract")
    parser.add_argument("--dpi", default="", help="comma-separated; default: the importer's")
    parser.add_argument("--threads", default="", help="OMP_THREAD_LIMIT values; default: the importer's")
    parser.add_argument(
        "--psm", default="", help="tesseract page segmentation modes; default: the importer's"
    )
    parser.add_argument("--ids", default="", help="dev-half ids only (default: every dev scan/photo)")
    parser.add_argument("--details", action="store_true", help="print the wrong cells (dev half)")
    parser.add_argument("--json", default="", help="write the rows to this file")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from bench import bench_corpus
    from gongkai.reports.importing import ocr

    cl, _ = bench_corpus._corpus_modules()
    dev = json.loads((ROOT / "bench" / "corpus" / "split.json").read_text())["dev"]
    wanted = [i for i in args.ids.split(",") if i]
    if any(i not in dev for i in wanted):
        parser.error("only dev-half ids may be measured here")
    labels = [cl.load(i) for i in (wanted or dev)]
    labels = [label for label in labels if label.get("shape") in SHAPES]

    def values(option: str, default: int) -> list[int]:
        return [int(v) for v in option.split(",") if v] or [default]

    rows = []
    defaults = (ocr.OCR_DPI, ocr.OCR_THREADS, ocr.OCR_PSM)
    for engine in args.engines.split(","):
        for dpi in values(args.dpi, defaults[0]):
            for threads in values(args.threads, defaults[1]) if engine == "tesseract" else [0]:
                for psm in values(args.psm, defaults[2]) if engine == "tesseract" else [0]:
                    ocr.OCR_DPI, ocr.OCR_THREADS, ocr.OCR_PSM = dpi, threads, psm
                    for label in labels:
                        row = {"engine": engine, "dpi": dpi, "threads": threads, "psm": psm}
                        row.update(measure(label, engine, cl))
                        rows.append(row)
                        cpu, wall = row["page_cpu_s"], row["page_wall_s"]
                        print(
                            f"{engine} dpi={dpi} omp={threads} psm={psm} {row['id']} {row['shape']:8} "
                            f"cells {row['cells_exact']}/{row['cells']}, silent {row['silently_wrong']}, "
                            f"wrong w/o cell warning {row['wrong_not_cell_warned']}, chars {row['char_accuracy']}, "
                            f"per page CPU {cpu} s wall {wall} s, raster {row['raster_cpu_s']} s CPU",
                            flush=True,
                        )
                        if args.details:
                            for cell in row["wrong_cells"][:20]:
                                print("   ", cell)
    ocr.OCR_DPI, ocr.OCR_THREADS, ocr.OCR_PSM = defaults
    if args.json:
        Path(args.json).write_text(json.dumps(rows, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
