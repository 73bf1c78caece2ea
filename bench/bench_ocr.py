"""Compare OCR engines on the corpus's DEV-half scans and photos (issue #20): cells exact, silent cells, s/page.

    .venv/bin/python -m bench.bench_ocr [--engines tesseract,rapidocr]

Only dev-half files of shape scan_pdf/photo are read (bench/corpus/split.json): the test half is never opened here;
its aggregate is what ``bench.bench_corpus`` prints. ``tesseract`` is the importer's engine (``importing.ocr``);
``rapidocr`` (rapidocr-onnxruntime, PP-OCRv4 models inside its wheel) is measured through the same layout and
pipeline when it is installed (``pip install rapidocr-onnxruntime==1.4.4``; not a project dependency).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHAPES = ("scan_pdf", "photo")


_ENGINES: dict[str, Any] = {}


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


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--engines", default="tesseract,rapidocr")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from bench import bench_corpus
    from gongkai.reports.importing import ocr

    cl, _ = bench_corpus._corpus_modules()
    dev = json.loads((ROOT / "bench" / "corpus" / "split.json").read_text())["dev"]
    labels = [cl.load(i) for i in dev]
    labels = [label for label in labels if label.get("shape") in SHAPES]
    original = ocr.ocr_images
    for engine in args.engines.split(","):
        ocr.ocr_images = original if engine == "tesseract" else _rapidocr_images
        for label in labels:
            started = time.perf_counter()
            r = bench_corpus.score_report(cl, label)
            seconds = time.perf_counter() - started
            pages = _pages(label)
            print(
                f"{engine:10} {label['id']} {label['shape']:9} cells exact {r['cells_exact']}/{r['cells']}, "
                f"silently wrong {r['silently_wrong']}, tables {r['tables_found']}/{r['tables']}, "
                f"{seconds:.1f} s for {pages} page(s) = {seconds / pages:.1f} s/page"
            )
    ocr.ocr_images = original


def _pages(label: dict[str, Any]) -> int:
    path = ROOT / "bench" / "corpus" / "files" / label["file"]
    if path.suffix == ".pdf":
        import pdfplumber

        with pdfplumber.open(path) as pdf:
            return len(pdf.pages)
    return 1


if __name__ == "__main__":
    main()
