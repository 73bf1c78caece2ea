"""表三 as pdfminer.six reads a printed table (issue 16, the pdfminer families of bench/real_pdf.py): the first
column's figures among the row labels, the other columns after them, one block each."""

from __future__ import annotations

from typing import Any

from gongkai.reports.definitions import TABLE3_COLUMNS
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


def _read_across_and_named(got: Any, rows: dict[str, list[int]]) -> None:
    """Every row read across with its own label, and named: which applicant column is which is presumed."""
    assert got.table3 is not None
    for key, values in rows.items():
        assert got.table3["rows"][key] == values, key
    named = {c for f in got.findings if f.code == "import_cell_positions" for c in f.cells or []}
    assert {f"table3:{k}" for k in rows} <= named


def test_a_page_printed_column_by_column_with_its_first_column_among_the_labels_is_read_across():
    # given pdfminer's order (LibreOffice, Chromium prints): each label with its 自然人 figure, then the columns
    got = extract(_interleaved(ROWS), "2021")
    # then every row reads across, each with its own label
    # and the rows are named: which applicant column is which is the format's order, presumed
    _read_across_and_named(got, ROWS)


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


def _last_page(rows: dict[str, list[int]], chart: str) -> list[str]:
    """pdfminer's order on the table's last page (Chromium): the labels of the first rows, the first two columns,
    the labels of the other rows, a chart's first bar figure, then the other five columns top to bottom."""
    keys = list(rows)
    return [
        *HEAD,
        NEW,
        CARRIED,
        *[str(rows[k][c]) for c in range(2) for k in keys],
        "办理结果（件）",
        "三、本年度办理结果",
        "（一）予以公开",
        chart,
        *[str(rows[k][c]) for c in range(2, 7) for k in keys],
    ]


def test_a_charts_figure_printed_before_the_last_columns_is_left_out_of_the_rows():
    # given the page: two columns after the first labels, a chart's figure before the last five columns
    rows = {k: ROWS[k] for k in (NEW, CARRIED, OPEN)}
    got = extract(_last_page(rows, "21"), "2021")
    # then the rows are read across, the chart's figure left out (only its place before the columns holds)
    _read_across_and_named(got, rows)


def test_an_extra_figure_that_fits_either_end_of_the_last_columns_leaves_the_rows_unread():
    # given the same page where the rows hold their sums with the chart's figure at either end of the last run:
    # 二、上年结转 with one 其他 applicant, or the same figures one place on, （一）予以公开 with one
    rows = {NEW: [0] * 7, CARRIED: [0, 0, 0, 0, 0, 1, 1], OPEN: [0] * 7}
    got = extract(_last_page(rows, "0"), "2021")
    # then neither reading is taken silently: a row read is the printed one or named by a warning
    table = got.table3 or {"rows": {}}
    named = {c for f in got.findings if f.severity in ("warning", "error") for c in f.cells or []}
    for key, values in rows.items():
        value = table["rows"].get(key)
        assert value in (None, [None] * 7, values) or f"table3:{key}" in named, key
    assert table["rows"].get(CARRIED) in (None, [None] * 7) or f"table3:{CARRIED}" in named


def test_a_first_row_printed_across_before_the_other_rows_columns_is_read():
    # given LibreOffice's last page read by pdfminer: the labels, then the first row (tall cells, each read on its
    # own) across, then the other rows column by column
    keys = [NEW, CARRIED, OPEN, PART]
    lines = [
        *HEAD,
        *keys,
        *[str(v) for v in ROWS[NEW]],
        *[str(ROWS[k][c]) for c in range(7) for k in keys[1:]],
    ]
    got = extract(lines, "2021")
    # then every row reads across with its own label, named as read by position
    assert got.table3 is not None
    for key in keys:
        assert got.table3["rows"][key] == ROWS[key], key
    named = {c for f in got.findings if f.code == "import_cell_positions" for c in f.cells or []}
    assert {f"table3:{k}" for k in keys} <= named


def test_rows_printed_across_before_the_columns_under_their_headers_are_read_when_no_column_reading_holds():
    # given WeasyPrint's last page read by pdfminer: the labels, the column headers (总计 read before 其他), the
    # first two rows across (tall cells, each read on its own), then the other rows column by column in the
    # headers' order
    keys = [NEW, CARRIED, OPEN, PART]
    header = [
        "申请人情况",
        "法人或其他组织",
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
    ]
    printed = [0, 1, 2, 3, 4, 6, 5]  # the columns in the headers' order
    lines = [*HEAD, *keys, *header, "总计", "其他"]
    lines += [str(v) for k in keys[:2] for v in ROWS[k]]
    lines += [str(ROWS[k][c]) for c in printed for k in keys[2:]]
    got = extract(lines, "2021")
    # then every row reads across with its own label
    assert got.table3 is not None
    for key in keys:
        assert got.table3["rows"][key] == ROWS[key], key


def test_a_charts_figures_between_the_last_two_runs_columns_are_left_out_of_the_rows():
    # given Chromium's last page: the first labels, two columns and a chart's figure after them, the other labels,
    # two more of the chart's figures, then the last five columns
    rows = {k: ROWS[k] for k in (NEW, CARRIED, OPEN)}
    lines = _last_page(rows, "21")
    lines.insert(lines.index("办理结果（件）"), "75")
    got = extract(lines, "2021")
    # then the rows are read across, the chart's figures left out (only their places at the runs' edges hold)
    assert got.table3 is not None
    for key, values in rows.items():
        assert got.table3["rows"][key] == values, key


def _under_headers(rows: dict[str, list[int]], labels: list[str]) -> list[str]:
    """Chromium's page read by pdfminer: the labels, the column headers in the format's order, the columns."""
    header = ["申请人情况", "法人或其他组织", *TABLE3_COLUMNS[:-1]]  # 自然人 … 其他
    return [*HEAD, *labels, *header, "总计", *[str(v[c]) for c in range(7) for v in rows.values()]]


def test_the_block_headed_by_the_first_column_is_not_taken_for_the_total():
    # given rows whose applicants are all 自然人 (the first column equals the total) printed under their headers
    people = {k: [v[0], 0, 0, 0, 0, 0, v[0]] for k, v in ROWS.items() if k in (NEW, CARRIED, OPEN)}
    got = extract(_under_headers(people, [NEW, CARRIED, "三、本年度办理结果", "（一）予以公开"]), "2021")
    # then the block under 自然人 is 自然人's and the rows are read, not left open between it and 其他
    assert got.table3 is not None
    for key, values in people.items():
        assert got.table3["rows"][key] == values, key


def test_a_group_label_printed_without_its_sub_rows_is_a_row_of_the_block():
    # given a local 2021 template's single （六）其他处理 row among the labels of a block under its headers
    total = f"{R}/（七）总计"
    rows = {f"{R}/（六）其他处理": [0, 1, 0, 0, 0, 0, 1], total: [3, 1, 0, 0, 0, 0, 4]}
    got = extract(_under_headers(rows, ["（六）其他处理", "（七）总计"]), "2021")
    # then it counts as one of the block's rows, and the block is read
    assert got.table3 is not None
    for key, values in rows.items():
        assert got.table3["rows"][key] == values, key


LAST = {
    f"{R}/（六）其他处理/1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请": [
        1,
        0,
        0,
        0,
        0,
        0,
        1,
    ],
    f"{R}/（六）其他处理/2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请": [0] * 7,
    f"{R}/（六）其他处理/3.其他": [0, 2, 0, 0, 0, 0, 2],
    f"{R}/（七）总计": [72, 3, 0, 0, 0, 0, 75],
    "四、结转下年度继续办理": [5, 0, 0, 0, 0, 0, 5],
}
SUB_ROWS = [key.rsplit("/", 1)[1] for key in list(LAST)[:2]]


def _chromium_last_page(labels: list[str], caption: list[str]) -> list[str]:
    """表三's first row across, then Chromium's last page read by pdfminer: the labels, the first two columns, the
    caption of the chart after the table, the other five columns and the chart's first figure; then 表四."""
    columns = [[str(v[c]) for v in LAST.values()] for c in range(7)]
    lines = [*HEAD, NEW, *[str(v) for v in ROWS[NEW]], *labels, *columns[0], *columns[1], *caption]
    return [
        *lines,
        *[f for column in columns[2:] for f in column],
        "37",
        "四、政府信息公开行政复议、行政诉讼情况",
    ]


def test_labels_printed_out_of_the_rows_order_go_to_the_rows_top_to_bottom():
    # given the last page's labels in pdfminer's order (the group's, （七）, 四, then （六）'s sub-rows)
    labels = ["（六）其他处理", "（七）总计", "四、结转下年度继续办理", *SUB_ROWS, "3.其他"]
    got = extract(_chromium_last_page(labels, []), "2021")
    # then each row read down the columns takes the label of its place in the table
    assert got.table3 is not None
    for key, values in LAST.items():
        assert got.table3["rows"][key] == values, key


def test_a_charts_caption_among_the_last_columns_does_not_end_the_table():
    # given the chart's caption printed between the last page's first two columns and the others
    labels = [*SUB_ROWS, "3.其他", "（六）其他处理", "（七）总计", "四、结转下年度继续办理"]
    got = extract(_chromium_last_page(labels, ["办理结果（件）"]), "2021")
    # then the columns after it are still the table's
    assert got.table3 is not None
    for key, values in LAST.items():
        assert got.table3["rows"][key] == values, key


def test_labels_out_of_the_rows_order_before_column_headers_go_to_the_rows_top_to_bottom():
    # given the last page read under its column headers, its labels in pdfminer's order
    labels = ["（六）其他处理", "（七）总计", "四、结转下年度继续办理", *SUB_ROWS, "3.其他"]
    lines = [*HEAD, NEW, *[str(v) for v in ROWS[NEW]], *_under_headers(LAST, labels)[len(HEAD) :]]
    got = extract([*lines, "四、政府信息公开行政复议、行政诉讼情况"], "2021")
    # then each row read down the columns takes the label of its place in the table
    assert got.table3 is not None
    for key, values in LAST.items():
        assert got.table3["rows"][key] == values, key


def _refuted(new: list[int]) -> list[str]:
    """一 and 二 across, then （七）总计 and 四 by column (pdfminer), their 法律服务机构 column printed second."""
    total, carried_out = [1, 0, 0, 0, 1, 0, 2], [0] * 7
    printed = [0, 4, 1, 2, 3, 5, 6]  # the figures' blocks: 自然人, 法律服务机构, 商业企业 …
    lines = [*HEAD, NEW, *map(str, new), CARRIED, *["0"] * 7, "（七）总计", str(total[0])]
    lines += ["四、结转下年度继续办理", str(carried_out[0])]
    return [*lines, *[str(row[c]) for c in printed[1:] for row in (total, carried_out)]]


def test_a_block_whose_presumed_column_order_the_tables_sums_refute_is_read_in_the_order_that_holds():
    # given （七）总计 read by column with its 法律服务机构 figure taken for 商业企业, and 一 printed across
    got = extract(_refuted([1, 0, 0, 0, 1, 0, 2]), "2021")
    # then 一+二 = （七）+四, column by column, puts it back, and the row is named
    assert got.table3 is not None
    assert got.table3["rows"][f"{R}/（七）总计"] == [1, 0, 0, 0, 1, 0, 2]
    named = {c for f in got.findings if f.severity == "warning" for c in f.cells or []}
    assert f"table3:{R}/（七）总计" in named


def test_when_either_of_two_blocks_may_be_the_one_read_out_of_order_the_cells_they_differ_in_are_left_open():
    # given 一 and 二 read by column with 一's 法律服务机构 figure taken for 商业企业, and （七）总计 and 四 read by column
    # in the format's order: reordering either block makes 一+二 = （七）+四 hold
    row, printed = [1, 0, 0, 0, 1, 0, 2], [0, 4, 1, 2, 3, 5, 6]
    lines = [*HEAD, NEW, "1", CARRIED, "0", *[str(v[c]) for c in printed[1:] for v in (row, [0] * 7)]]
    lines += [
        "（七）总计",
        "1",
        "四、结转下年度继续办理",
        "0",
        *[str(v[c]) for c in range(1, 7) for v in (row, [0] * 7)],
    ]
    got = extract(lines, "2021")
    # then the cells the two readings give differently are left open and named with both figures
    assert got.table3 is not None
    for key in (NEW, f"{R}/（七）总计"):
        assert got.table3["rows"][key][1] is None and got.table3["rows"][key][4] is None, key
        assert got.table3["rows"][key][0] == 1 and got.table3["rows"][key][6] == 2, key
    open_cells = [f for f in got.findings if f.code == "import_cells" and "0 或 1" in f.message]
    assert open_cells and f"table3:{NEW}:商业企业" in (open_cells[0].cells or [])


def test_a_page_whose_row_labels_follow_its_blocks_and_rows_across_is_read():
    # given WeasyPrint's paged print read by pdfminer: 一 across, then a page with the first three rows by column
    # under their headers (其他's figures before 总计's), the other two rows across, then the page's labels and the
    # last row's last figure
    top, rest = [CARRIED, OPEN, PART], [SECRET, LAWS]
    lines = [*HEAD, NEW, *[str(v) for v in ROWS[NEW]], "申请人情况", "法人或其他组织", "自然人"]
    lines += [*_column(0, top), "商业企业", "科研机构", *_column(1, top), *_column(2, top), "社会公益组织"]
    lines += [*_column(3, top), "法律服务机构", *_column(4, top), "总计", "其他", *_column(5, top)]
    lines += _column(6, top)
    lines += [str(v) for k in rest for v in ROWS[k]][:-1]
    lines += ["（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "二、上年结转政府信息公开申请数量"]
    lines += ["（一）予以公开", "1.属于国家秘密", "2.其他法律行政法规禁止公开", str(ROWS[LAWS][-1])]
    got = extract(lines, "2021")
    # then every row reads across with its own label, and the rows are named
    assert got.table3 is not None
    for key in [NEW, *top, *rest]:
        assert got.table3["rows"][key] == ROWS[key], key
    named = {c for f in got.findings if f.code == "import_cell_positions" for c in f.cells or []}
    assert {f"table3:{k}" for k in top + rest} <= named


def test_labels_after_a_page_followed_by_the_next_pages_headers_are_that_pages():
    # given two pages of WeasyPrint's paged print: each page's blocks under one header each (two rows by column,
    # one across), its labels after them; the second page's headers stand right after the first page's labels
    pages = [[CARRIED, OPEN, PART], [SECRET, LAWS]]
    header = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "总计", "其他"]
    lines = [*HEAD, NEW, *[str(v) for v in ROWS[NEW]]]
    for keys in pages:
        printed = [0, 1, 2, 3, 4, 6, 5]  # 总计's header before 其他's, the figures in the format's order
        for n, name in enumerate(header):
            lines += ["申请人情况", "法人或其他组织", name] if n == 0 else [name]
            lines += _column(printed[n], keys[:2])
        lines += [str(v) for v in ROWS[keys[2]]] if len(keys) > 2 else []
        lines += [key.rsplit("/", 1)[-1] for key in keys]
    got = extract(lines, "2021")
    # then each page's rows take that page's labels
    assert got.table3 is not None
    for key in [CARRIED, OPEN, PART, SECRET, LAWS]:
        assert got.table3["rows"][key] == ROWS[key], key


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
