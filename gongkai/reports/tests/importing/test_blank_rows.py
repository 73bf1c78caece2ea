"""Blank-0 warnings of an imported report merged by rows with the same blank columns (blank_rows)."""

from __future__ import annotations

import random

from gongkai.reports.importing.blank_rows import merged_blank_rows
from gongkai.reports.importing.pipeline import import_bytes

from . import shapes
from .test_natural_persons_only import _natural_persons_only


def _blank(row: str, columns: list[str]) -> dict:
    return {
        "code": "cell_blank",
        "severity": "warning",
        "message": f"表三“{row}”行…列为空，应填 0（按 0 计合计仍然成立）。",
        "cells": [f"table3:{row}:{c}" for c in columns],
    }


def test_a_table_of_natural_persons_only_gets_one_blank_warning_not_one_a_row():
    # given a report that fills only 自然人 and 总计, printed as PDF text
    doc = _natural_persons_only(5, "2021")
    [got] = import_bytes(shapes.render(doc, "pdf_like", random.Random(5)).encode(), "report.txt")
    # then one warning names every blank cell and lists the rows (at most six by name)
    [note] = [f for f in got["findings"] if f["code"] == "cell_blank"]
    rows = [k for k, v in doc["table3"]["rows"].items() if v[-1] is not None]
    assert note["severity"] == "warning"
    assert note["message"].startswith(
        f"表三有 {len(rows)} 行的“商业企业”“科研机构”“社会公益组织”“法律服务机构”“其他”列为空"
    )
    assert note["message"].endswith("等。")
    assert len(note["cells"]) == 5 * len(rows)


def test_few_rows_or_other_columns_keep_a_warning_a_row():
    # given two rows with the same blank columns, three with another set, and an error
    other = {"code": "table3_row_total", "severity": "error", "message": "…", "cells": ["table3:a"]}
    found = [
        _blank("a", ["商业企业"]),
        _blank("b", ["商业企业"]),
        other,
        _blank("c", ["科研机构", "其他"]),
        _blank("d", ["科研机构", "其他"]),
        _blank("e", ["科研机构", "其他"]),
    ]
    got = merged_blank_rows(found)
    # then the two stay apart, the three become one at the first's place, the error is untouched
    assert got[:3] == found[:3]
    assert len(got) == 4
    assert (
        got[3]["message"]
        == "表三有 3 行的“科研机构”“其他”列为空，应填 0（按 0 计合计仍然成立）：“c”、“d”、“e”。"
    )
    assert got[3]["cells"] == [f"table3:{r}:{c}" for r in "cde" for c in ("科研机构", "其他")]
