"""表三 filled only under 自然人 and 总计, printed without its blank cells ("26   26" a row, as r801 of the dev half
through every PDF-text tool): the whole table is read as that pattern, and a warning says so (extract_sparse)."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.reports.importing.pipeline import import_bytes

from . import shapes
from .test_shapes_property import read_back


def _natural_persons_only(seed: int, fmt: str) -> dict:
    """A consistent report whose 表三 has figures under 自然人 and 总计 only, the other cells blank."""
    doc = shapes.consistent_document(seed, fmt)
    rows = doc["table3"]["rows"]
    for key, values in rows.items():
        if values[-1] is not None:
            rows[key] = [values[-1], *([None] * (len(values) - 2)), values[-1]]
    return doc


def _likely(got: dict) -> list[dict]:
    return [f for f in got["findings"] if f["code"] == "import_positions_likely"]


def test_a_table_of_natural_persons_only_reads_as_printed_and_says_so():
    # given a consistent report whose 表三 fills only 自然人 and 总计, printed as PDF text (blank cells lost)
    doc = _natural_persons_only(5, "2021")
    text = shapes.render(doc, "pdf_like", random.Random(5))
    [got] = import_bytes(text.encode(), "report.txt")
    # then every row reads as printed: the figure under 自然人 and 总计, the others blank
    assert got["table3"]["rows"] == doc["table3"]["rows"]
    # and one warning names the cells read that way, says what else they could be, and raises no error
    [note] = _likely(got)
    assert "已按全表只填写“自然人”与“总计”两列" in note["message"]
    assert "“商业企业”" in note["message"] and "请核对原文" in note["message"]
    row = "三、本年度办理结果/（一）予以公开"
    assert f"table3:{row}:自然人" in note["cells"] and f"table3:{row}:商业企业" in note["cells"]
    assert [f for f in got["findings"] if f["severity"] == "error"] == []


def test_a_figure_read_surely_under_a_legal_person_column_keeps_every_row_open():
    # given the same table with one row printed in full (its legal-person cells hold zeros, read without doubt)
    doc = _natural_persons_only(5, "2021")
    row = "二、上年结转政府信息公开申请数量"
    total = doc["table3"]["rows"][row][-1]
    doc["table3"]["rows"][row] = [total, 0, 0, 0, 0, 0, total]
    text = shapes.render(doc, "pdf_like", random.Random(5))
    [got] = import_bytes(text.encode(), "report.txt")
    # then the table is not of the pattern: no row is read by it, the two-figure rows stay open and named
    assert _likely(got) == []
    received = got["table3"]["rows"]["一、本年新收政府信息公开申请数量"]
    assert received[0] is None
    named = {c for f in got["findings"] if f["code"] == "import_cell_positions" for c in f["cells"]}
    assert "table3:一、本年新收政府信息公开申请数量:自然人" in named


def test_a_row_of_two_different_figures_keeps_the_pattern_out():
    # given the pattern's table where one row shows two different figures (a figure of it was lost)
    doc = _natural_persons_only(6, "2019")
    text = shapes.render(doc, "pdf_like", random.Random(6))
    row = "（一）予以公开"
    at = text.index(row) + len(row)
    line_end = text.index("\n", at)
    first, total = text[at:line_end].split()
    if first == total:
        text = text[:at] + f" {int(first) + 1} {total}" + text[line_end:]
    [got] = import_bytes(text.encode(), "report.txt")
    # then nothing is read by the pattern
    assert _likely(got) == []


@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_narrow_cells_printed_by_a_browser_read_exactly(fmt):
    # given the pattern's table as Chromium prints narrow cells and pdftotext -layout reads them (r801 of the dev
    # half): labels over several lines, the item number on the line of the 总计 figure ("危及“三安全" / "3.   5" /
    # "一稳定”"), a short label above its number ("重复申请" / "2.   0   0"), group labels letter-spaced and cut
    for seed in range(4):
        doc = _natural_persons_only(seed, fmt)
        text = shapes.render(doc, "pdf_number_apart", random.Random(seed))
        [got] = import_bytes(text.encode(), "report.txt")
        # then every row is read as printed, and the pattern's pick is named
        assert got["table3"]["rows"] == doc["table3"]["rows"], f"seed {seed}"
        assert _likely(got)
        assert [f for f in got["findings"] if f["severity"] == "error"] == []


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(min_value=0, max_value=10**6),
    fmt=st.sampled_from(["2019", "2021"]),
    shape=st.sampled_from(shapes.SHAPES),
    column=st.integers(min_value=0, max_value=5),
)
def test_a_table_filled_in_one_applicant_column_is_read_exactly_or_named(seed, fmt, shape, column):
    # given a consistent report whose 表三 fills one applicant column (any of the six) and 总计, in any shape
    doc = _natural_persons_only(seed, fmt)
    for key, values in doc["table3"]["rows"].items():
        if values[-1] is not None:
            doc["table3"]["rows"][key] = [values[-1] if n == column else None for n in range(6)] + [
                values[-1]
            ]
    _, _, silent = read_back(doc, shape, seed)
    # then every cell comes back or a warning names it: the pattern's pick is never silent
    assert silent == [], f"{shape} {fmt} seed {seed} column {column}: {[r.key for r in silent][:5]}"


def test_a_cut_no_rule_with_other_rows_could_check_is_named():
    # given the pattern's table with each row's figures run together ("27262726": 2726 under 自然人 and 总计), so
    # that the one cut keeping the row's own rule ("2 7 2 6 2 7 26") is read while the rows it is summed with
    # stay open (found by the property below, seed 344)
    doc = _natural_persons_only(344, "2021")
    text = shapes.render(doc, "glued", random.Random(344))
    assert "一、本年新收政府信息公开申请数量27262726" in text
    [got] = import_bytes(text.encode(), "report.txt")
    row = "一、本年新收政府信息公开申请数量"
    # then the cut is not vouched for by any rule with other rows, and a warning names its cells
    [note] = [
        f
        for f in got["findings"]
        if f["code"] == "import_split_unchecked" and f"table3:{row}:自然人" in f["cells"]
    ]
    assert "因其他行未能读出而无法核对" in note["message"]
