"""The labelled set (layouts and figures of real published reports): every labelled cell exact."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gongkai.reports.importing.pipeline import import_path
from gongkai.reports.importing.scoring import CONSISTENCY_CODES, Score

REAL = Path(__file__).parent / "fixtures" / "real"
LABELS = json.loads((REAL / "labels.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(LABELS))
def test_labelled_cells_year_format_and_errors(name):
    label = LABELS[name]
    [doc] = import_path(REAL / name)
    score = Score()
    score.add_cells(name, doc, label["cells"])
    assert score.wrong == []
    assert (doc["year"], doc["format"]) == (label["year"], label["format"])
    errors = {f["code"] for f in doc["findings"] if f["severity"] == "error"} & CONSISTENCY_CODES
    assert errors == set(label["errors"])


@pytest.mark.parametrize("name", [n for n, label in LABELS.items() if label["positional"]])
def test_rows_without_their_blank_cells_are_reported_or_total_consistent(name):
    # a row printed without its blank cells: a figure is placed only where every placement the sum rules
    # accept puts it; a cell left open is left empty and named by a warning, never guessed silently (a table
    # whose every row shows the same pattern is read as it, and a warning names the cells read so)
    [doc] = import_path(REAL / name)
    codes = ("import_cell_positions", "import_positions_likely")
    named = {c for f in doc["findings"] if f["code"] in codes for c in f["cells"]}
    for row in LABELS[name]["positional"]:
        values = doc["table3"]["rows"][row]
        columns = doc["table3"]["columns"]
        empty = [f"table3:{row}:{c}" for c, v in zip(columns, values, strict=True) if v is None]
        assert not empty or set(empty) & named, row
