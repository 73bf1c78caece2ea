"""Markdown tables with several figures to a cell (issue 16, markitdown on a PDF: each printed line its own table,
the figures of neighbouring columns in one cell — bench/real_variants_md.py, "md markitdown pdf")."""

from __future__ import annotations

from gongkai.reports.importing.extract import extract
from gongkai.reports.importing.tokens import tokenize

NEW = "一、本年新收政府信息公开申请数量"
CARRIED = "二、上年结转政府信息公开申请数量"
HEAD = ["三、收到和处理政府信息公开申请情况", "申请人情况", "自然人", "法人或其他组织", "总计"]


def _values(line: str, *after: str) -> list[str]:
    return [t.text for t in tokenize([line, *after]) if t.is_value]


def test_a_row_of_figures_above_a_rule_is_figures_not_a_header():
    # given markitdown's row "| 71 3 | 0 0 | 0 | 0 74 |" standing above a "| --- |" rule (its own table's header)
    got = _values(
        "| 一、本年新收政府信息公开申请数量 | 71 3 | 0 0 | 0 | 0 74 |", "| --- | --- | --- | --- | --- |"
    )
    # then each figure is a value of the row
    assert got == ["71", "3", "0", "0", "0", "0", "74"]


def test_equal_cells_of_several_figures_are_not_a_merged_label():
    # given two neighbouring cells "0 0" (a converter's copies of a merged label cell are dropped, figures are not)
    got = _values("| （一）予以公开 | 21 0 | 0 0 | 0 0 | 21 |")
    # then both are read
    assert got == ["21", "0", "0", "0", "0", "0", "21"]


def test_an_empty_cell_in_a_row_of_packed_figures_is_no_blank_figure():
    # given a row whose label spans two cells (the second left empty) and whose figures are packed in cells
    got = [t.text for t in tokenize(["| 一、本年新收政府信息公开申请数量 |     | 0   | 0 0 | 0 0   | 0   |"])]
    # then the empty cell is no blank figure: the row holds six figures (one cell of the seven was printed empty)
    assert got == [NEW, "0", "0", "0", "0", "0", "0"]


def test_packed_rows_of_table3_are_read_across():
    rows = [
        f"| {NEW} | 71 3 | 0 0 | 0 | 0 74 |",
        "| --- | --- | --- | --- | --- |",
        f"| {CARRIED} | 1 0 | 0 0 | 0 | 0 1 |",
        "| --- | --- | --- | --- | --- |",
    ]
    got = extract([*HEAD, *rows], "2021")
    assert got.table3 is not None
    assert got.table3["rows"][NEW] == [71, 3, 0, 0, 0, 0, 74]
    assert got.table3["rows"][CARRIED] == [1, 0, 0, 0, 0, 0, 1]
