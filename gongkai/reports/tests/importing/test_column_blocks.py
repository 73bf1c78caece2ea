"""表三 as pdfminer.six reads a printed table (issue 16, the pdfminer families of bench/real_pdf.py): the first
column's figures among the row labels, the other columns after them, one block each."""

from __future__ import annotations

from gongkai.reports.importing.extract import extract

R = "三、本年度办理结果"
HEAD = ["三、收到和处理政府信息公开申请情况", "申请人情况", "自然人", "法人或其他组织", "总计"]
NEW = "一、本年新收政府信息公开申请数量"
CARRIED = "二、上年结转政府信息公开申请数量"
OPEN = f"{R}/（一）予以公开"
PART = f"{R}/（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
SECRET = f"{R}/（三）不予公开/1.属于国家秘密"
LAWS = f"{R}/（三）不予公开/2.其他法律行政法规禁止公开"

ROWS = {
    NEW: [71, 3, 0, 0, 0, 0, 74],
    CARRIED: [1, 0, 0, 0, 0, 0, 1],
    OPEN: [21, 0, 0, 0, 0, 0, 21],
    PART: [8, 1, 0, 0, 0, 0, 9],
    SECRET: [0, 0, 0, 0, 0, 0, 0],
    LAWS: [2, 0, 1, 0, 0, 0, 3],
}


ACROSS = " ".join(["0"] * 7)  # a row of zeros printed across on one line


def _column(c: int, keys: list[str] | None = None) -> list[str]:
    return [str(ROWS[k][c]) for k in keys or ROWS]


def _interleaved(rows: dict[str, list[int]]) -> list[str]:
    """pdfminer's order: a label and the first column's figure beside it (the last two labels together, their
    figures after them), then the other six columns top to bottom, 总计's last."""
    keys = list(rows)
    return [
        *HEAD,
        NEW,
        str(rows[NEW][0]),
        CARRIED,
        str(rows[CARRIED][0]),
        "三、本年",
        "度办理结果",
        "（一）予以公开",
        str(rows[OPEN][0]),
        "（二）部分公开（区分处理的，",
        "只计这一情形，不计其他情形）",
        str(rows[PART][0]),
        "（三）",
        "不予公开",
        "1.属于国家秘密",
        "2.其他法律行政法规禁",
        "止公开",
        str(rows[SECRET][0]),
        str(rows[LAWS][0]),
        *[str(rows[k][c]) for c in range(1, 7) for k in keys],
    ]


def test_a_page_printed_column_by_column_with_its_first_column_among_the_labels_is_read_across():
    # given pdfminer's order (LibreOffice, Chromium prints): each label with its 自然人 figure, then the columns
    got = extract(_interleaved(ROWS), "2021")
    assert got.table3 is not None
    # then every row reads across, each with its own label
    for key, values in ROWS.items():
        assert got.table3["rows"][key] == values, key
    # and the rows are named: which applicant column is which is the format's order, presumed
    named = {c for f in got.findings if f.code == "import_cell_positions" for c in f.cells or []}
    assert {f"table3:{k}" for k in ROWS} <= named


def test_a_stretch_whose_columns_do_not_hold_the_row_sums_is_left_as_printed():
    # given the same order, but one figure of the total column not the sum of its row (a box read out of place)
    rows = {k: list(v) for k, v in ROWS.items()}
    rows[PART][6] = 7
    got = extract(_interleaved(rows), "2021")
    # then no row is read across from it: nothing is guessed (the rows stay empty or are named)
    table = got.table3 or {"rows": {}}
    named = {c for f in got.findings if f.severity in ("warning", "error") for c in f.cells or []}
    for key, values in ROWS.items():
        if table["rows"].get(key) not in (None, [None] * 7):
            assert f"table3:{key}" in named or table["rows"][key] == values, key
    assert table["rows"].get(NEW) in (None, [None] * 7) or f"table3:{NEW}" in named


def test_figures_after_all_labels_and_a_repeated_header_broken_over_lines_stay_in_table3():
    # given pdfminer's order on a page of 表三 (Chromium): the row labels down to 四、结转下年度继续办理, then the
    # header again with its cells broken over two lines (13 fragments), then the rows' figures column by column
    carried_out = "四、结转下年度继续办理"
    rows = {k: ROWS[k] for k in (NEW, CARRIED, OPEN, PART)}
    rows[carried_out] = [51, 2, 0, 0, 0, 0, 53]
    header = ["申请人情况", "法人或其他组织", "自然人", "商业企", "业", "科研机", "构", "社会公", "益组织"]
    header += ["法律服", "务机构", "其他", "总计"]
    lines = [
        *HEAD,
        NEW,
        CARRIED,
        "三、本年",
        "度办理结果",
        "（一）予以公开",
        "（二）部分公开",
        carried_out,
        *header,
    ]
    lines += [str(values[c]) for c in range(7) for values in rows.values()]
    got = extract(lines, "2021")
    # then the figures are read into the table's rows, not lost past its end
    assert got.table3 is not None
    for key, values in rows.items():
        assert got.table3["rows"][key] == values, key


def test_a_stretch_of_blank_rows_read_either_way_is_read_as_the_same_figures():
    # given the same order for rows of zeros: read row by row or column by column, every row holds its sum
    zeros = {k: [0] * 7 for k in ROWS}
    got = extract(_interleaved(zeros), "2021")
    # then both readings give the same cells, and they are read
    assert got.table3 is not None
    for key in ROWS:
        assert got.table3["rows"][key] == [0] * 7, key


def test_when_every_applicant_is_a_natural_person_the_column_beside_the_labels_is_not_the_total():
    # given the same order for rows whose figures are all 自然人's: the first column equals the total column, so
    # the sums alone fit the total at the first block as well as at the last
    people = {k: [v[0], 0, 0, 0, 0, 0, v[0]] for k, v in ROWS.items()}
    got = extract(_interleaved(people), "2021")
    # then the column printed beside the labels is read as 自然人, the last block as the total
    assert got.table3 is not None
    for key, values in people.items():
        assert got.table3["rows"][key] == values, key


def test_a_figure_printed_after_the_table_does_not_undo_its_reading_by_column():
    # given the same order, the page ending with a chart's figure after the table's last column
    got = extract([*_interleaved(ROWS), "3"], "2021")
    # then the rows are read across as before, the extra figure left out
    assert got.table3 is not None
    for key, values in ROWS.items():
        assert got.table3["rows"][key] == values, key


def test_runs_without_a_row_label_between_labelled_runs_are_not_read_by_column():
    # given a table printed without its blank cells (two figures a row) whose labels are partly lost: runs of
    # zeros, some under no row label, that together happen to hold seven figures per labelled row
    lines = [*HEAD, NEW, "0", "0", "甲", "0", "0", CARRIED, "0", "0"]
    for word in ("乙", "丙", "丁", "戊"):
        lines += [word, "0", "0"]
    got = extract(lines, "2021")
    # then the runs are not taken for a table printed column by column
    assert not any(f.code == "import_cell_positions" and "按列排印" in f.message for f in got.findings)


def test_whole_rows_whose_labels_stand_a_row_off_their_figures_are_not_read_by_column():
    # given markitdown on a LibreOffice print: every row printed across on its own line, 2.重复申请's label after
    # its figures, 5.'s label cut around them — the labels stand a row off the runs, which read the same by column
    lines = [
        *HEAD,
        NEW,
        ACROSS,
        "1.信访举报投诉类申请",
        ACROSS,
        ACROSS,
        "2.重复申请",
        "（五）",
        "3.要求提供公开出版物",
    ]
    lines += [ACROSS, "不予处", "理", "4.无正当理由大量反复", ACROSS, "申请", "5.要求行政机关确认或", ACROSS]
    lines += ["重新出具已获取信息", "（七）总计", "2 0 0 0 0 0 2"]
    got = extract(lines, "2021")
    # then the runs are rows across under their own labels, the last one 5.'s, not a block read by column
    assert got.table3 is not None
    assert got.table3["rows"][f"{R}/（五）不予处理/5.要求行政机关确认或重新出具已获取信息"] == [0] * 7
    assert not any(f.code == "import_cell_positions" and "按列排印" in f.message for f in got.findings)


def test_a_stretchs_rows_take_their_labels_in_the_formats_order():
    # given pymupdf4llm on a LibreOffice print: （二）'s label read before （一）'s, both before the two rows' runs
    lines = [*HEAD, NEW, ACROSS, CARRIED, ACROSS, "三、本年", "度办理结", "果"]
    lines += ["（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "（一）予以公开", ACROSS, ACROSS]
    lines += ["1.属于国家秘密", ACROSS]
    got = extract(lines, "2021")
    # then the rows stand in the table's order, （一） first: both are read
    assert got.table3 is not None
    assert got.table3["rows"][OPEN] == [0] * 7
    assert got.table3["rows"][PART] == [0] * 7
