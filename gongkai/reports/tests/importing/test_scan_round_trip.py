"""A scanned annual report, end to end: a report printed to PDF, rasterised, put back into a PDF without a text
layer (what a scanner gives), imported through OCR. Slow (tesseract on every page: about 4–12 CPU-seconds a
page; the whole test about 40–100 s on the shared 2-core machine), so it runs in the PostgreSQL pass of ``make test`` only (scripts/run-tests.sh sets GONGKAI_SLOW_OCR=1)."""

from __future__ import annotations

import io
import os
import subprocess
import tempfile
from pathlib import Path

import pytest

from gongkai.reports import definitions as defs
from gongkai.reports.importing import ocr
from gongkai.reports.importing.pipeline import import_bytes

from . import synth
from .seed_001_expected import TABLE3_ROWS, TABLE4

pytestmark = [
    pytest.mark.skipif(
        os.environ.get("GONGKAI_SLOW_OCR") != "1", reason="慢速 OCR 测试只在 PostgreSQL 测试轮运行"
    ),
    pytest.mark.skipif(ocr.engine_path() is None, reason="tesseract 简体中文模型未安装"),
]


def _scanned(pdf: bytes) -> bytes:
    """The PDF's pages as 150 dpi grey images in a PDF of images only (no text layer)."""
    from PIL import Image

    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "in.pdf").write_bytes(pdf)
        subprocess.run(  # noqa: S603 - fixed program, our own files
            ["pdftoppm", "-r", "150", "-gray", "-png", str(Path(folder) / "in.pdf"), str(Path(folder) / "p")],  # noqa: S607
            check=True,
            timeout=600,
        )
        pages = [Image.open(p) for p in sorted(Path(folder).glob("p-*.png"))]
        out = io.BytesIO()
        pages[0].save(out, "PDF", resolution=150, save_all=True, append_images=pages[1:])
        return out.getvalue()


def _named(doc: dict) -> set[str]:
    return {cell for f in doc["findings"] for cell in f.get("cells") or []}


def test_a_scanned_report_comes_back_with_its_tables_and_every_wrong_cell_warned(luojiang):
    # given seed 001's report printed with ruled tables, then scanned (images only)
    scan = _scanned(synth.to_pdf(luojiang))
    # when it is imported
    [doc] = import_bytes(scan, "scan.pdf")
    # then it was read by OCR and 表三 and 表四 came back
    assert doc["source"]["filetype"] == "scan_pdf"
    assert doc["table3"] and doc["table4"]
    want = {f"table3:{row}:{n}": v for row, values in TABLE3_ROWS.items() for n, v in enumerate(values)}
    columns = doc["table3"].get("columns") or list(defs.TABLE3_COLUMNS)
    wrong = []
    for row, values in TABLE3_ROWS.items():
        got = (doc["table3"]["rows"] or {}).get(row) or [None] * len(values)
        wrong += [f"table3:{row}:{c}" for c, a, b in zip(columns, got, values, strict=False) if a != b]
    for group, cells in TABLE4.items():
        wrong += [
            f"table4:{group}:{c}" for c, v in cells.items() if (doc["table4"].get(group) or {}).get(c) != v
        ]
    # every cell read differently from the printed figure carries a finding on that cell (never silently wrong)
    # (a finding names a cell by its key, its row ``table3:<row>`` or its table, as the corpus scorer counts it: a
    # 表三 row the importer did not find is named by its row's reading warning, import_rows_missing)
    named = _named(doc)
    assert not [key for key in wrong if not {key, key.rsplit(":", 1)[0], key.split(":", 1)[0]} & named], wrong
    assert len(wrong) < len(want) // 4  # most of the report is read, not merely warned
    # and the cells are placed on the page image (page, box, OCR confidence) for the 「原文位置」 highlight; a cell
    # that could not be placed again is warned as such (import_ocr_unplaced), never left silent
    cells = doc["source"]["cells"]
    assert sum(key.startswith("表三/") for key in cells) >= len(want) // 2
    for where in cells.values():
        assert where["page"] >= 1 and len(where["bbox"]) == 4 and 0 <= where["confidence"] <= 1
    unplaced = {cell for f in doc["findings"] if f["code"] == "import_ocr_unplaced" for cell in f["cells"]}
    for group, values in doc["table4"].items():
        for column, value in values.items():
            if value is not None and f"表四/{group}/{column}" not in cells:
                assert f"table4:{group}:{column}" in unplaced
    # 表四 was read (its header and its data row are cut by a page break and the page number between them)
    assert sum(v is not None for values in doc["table4"].values() for v in values.values()) >= 10
    assert sum(key.startswith("表四/") for key in cells) >= 10
