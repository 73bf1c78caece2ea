"""表三 as the format's grid (issue 16): runs of figures aligned to the row sequence by label windows and a DP."""

from __future__ import annotations

from gongkai.reports import definitions as defs
from gongkai.reports.importing import extract_grid
from gongkai.reports.importing.extract import extract
from gongkai.reports.importing.tokens import tokenize

R = "三、本年度办理结果"
HEAD = ["三、收到和处理政府信息公开申请情况", "申请人情况 自然人 法人或其他组织 总计"]


def _rows(lines: list[str], fmt: str = "2021") -> tuple[dict, list]:
    got = extract([*HEAD, *lines], fmt)
    assert got.table3 is not None
    return got.table3["rows"], got.findings


def test_labels_broken_over_lines_around_their_figures_are_read_whole():
    # given PDF text (r703's layout): labels over three lines with the figures on the middle one, the merged
    # group label （六）其他处理 floating between the rows in two halves, a page footer
    rows, findings = _rows(
        [
            "一、本年新收政府信息公开申请数量 3 0 0 0 0 0 3",
            "（五）不予处理",
            "4.无正",
            "当理由大 0 1 0 0 0 0 1",
            "量反复申请",
            "— 4 —",
            "5.要求行政",
            "机关确认或重新 2 0 0 0 0 0 2",
            "出具已获取信息",
            "1、申请人无正当理由逾期不补",
            "正、行政机关不再处理其政府信 67 3 0 0 1 0 71",
            "息公开申请",
            "（六）其",
            "2、申请人逾期未按收费通知要",
            "他处理",
            "求缴纳费用、行政机关不再处理 6 0 0 0 0 0 6",
            "其政府信息公开申请",
            "3、其他 108 2 0 0 0 0 110",
        ]
    )
    # then each row gets its own figures — no row takes its neighbour's (which would pass the row sums)
    assert rows[f"{R}/（五）不予处理/4.无正当理由大量反复申请"] == [0, 1, 0, 0, 0, 0, 1]
    assert rows[f"{R}/（五）不予处理/5.要求行政机关确认或重新出具已获取信息"] == [2, 0, 0, 0, 0, 0, 2]
    other = f"{R}/（六）其他处理"
    assert rows[f"{other}/1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"] == [
        67,
        3,
        0,
        0,
        1,
        0,
        71,
    ]
    assert rows[f"{other}/2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"] == [
        6,
        0,
        0,
        0,
        0,
        0,
        6,
    ]
    assert rows[f"{other}/3.其他"] == [108, 2, 0, 0, 0, 0, 110]
    assert not [f for f in findings if f.code == "import_row_position"]


def test_a_row_printed_without_its_label_is_placed_by_position_and_named():
    # given rows 一 and （一） labelled, and between them a line of figures whose label was lost
    rows, findings = _rows(
        [
            "一、本年新收政府信息公开申请数量 3 0 0 0 0 0 3",
            "1 0 0 0 0 0 1",
            "（一）予以公开 2 0 0 0 0 0 2",
        ]
    )
    # then it is read as the one row between them (二), and a warning names that row
    assert rows[defs.CARRIED_IN] == [1, 0, 0, 0, 0, 0, 1]
    [note] = [f for f in findings if f.code == "import_row_position"]
    assert (note.severity, note.cells) == ("warning", (f"table3:{defs.CARRIED_IN}",))
    assert "二、上年结转政府信息公开申请数量" in note.message


def test_figures_that_are_no_row_are_left_out():
    # given a page number and a subtotal row a tool added after the group label （三）不予公开
    rows, _ = _rows(
        [
            "一、本年新收政府信息公开申请数量 3 0 0 0 0 0 3",
            "4",
            "（三）不予公开 1 0 0 0 0 0 1",
            "1.属于国家秘密 1 0 0 0 0 0 1",
            "2.其他法律行政法规禁止公开 0 0 0 0 0 0 0",
        ]
    )
    assert rows[f"{R}/（三）不予公开/1.属于国家秘密"] == [1, 0, 0, 0, 0, 0, 1]
    assert rows[f"{R}/（三）不予公开/2.其他法律行政法规禁止公开"] == [0, 0, 0, 0, 0, 0, 0]
    assert rows[defs.RECEIVED] == [3, 0, 0, 0, 0, 0, 3]


def test_the_alignment_work_is_bounded():
    # given a stream of 5,000 unlabelled runs of figures (a pathological input)
    tokens = tokenize(["一、本年新收政府信息公开申请数量 1 0 0 0 0 0 1", *(["x 1 0 0 0 0 0 1"] * 5000)])
    calls = 0
    score = extract_grid.label_score

    def counting(token: str, forms: tuple[str, ...]) -> float:
        nonlocal calls
        calls += 1
        return score(token, forms)

    extract_grid.label_score = counting
    try:
        aligned = extract_grid.align_rows(tokens, "2021", lambda values: True)
    finally:
        extract_grid.label_score = score
    # then at most MAX_GROUPS runs are aligned: the work has a fixed bound, whatever the input's size
    rows = len(extract_grid.row_candidates("2021"))
    windows = (extract_grid.MAX_BEFORE + 1) * (extract_grid.MAX_AFTER + 1)
    assert calls <= extract_grid.MAX_GROUPS * rows * (windows + 1)
    assert defs.RECEIVED in aligned.rows


def test_a_run_read_by_the_label_printed_after_it_is_named():
    # given pdfminer's order (r704's WeasyPrint print): row 一's label, header cells "类别 / 总 / 计" between it and
    # its figures, then row 二's label right after them — the label after the run scores better than the one
    # before it (diluted by the headers), and is as well the next run's
    rows, findings = _rows(
        [
            "一、本年新收政府信息公开申请数量",
            "类别",
            "总",
            "计",
            "705 3 0 0 5 0 713",
            "二、上年结转政府信息公开申请数量",
            "（一）予以公开 290 1 0 0 3 0 294",
        ]
    )
    # then the row that took the figures by the label after them is named by a warning, never silent
    taken = [key for key, values in rows.items() if values == [705, 3, 0, 0, 5, 0, 713]]
    notes = [f for f in findings if f.code == "import_row_position" and "标签印在数字之后" in f.message]
    for key in taken:
        if key != defs.RECEIVED:
            assert any(f"table3:{key}" in f.cells for f in notes)
    assert taken


def test_cells_agreed_by_readings_none_of_which_holds_are_named():
    # given a row of six figures for seven columns whose every cut of "26" breaks the row's own sum (r801's PDF
    # text: figures of other rows read into it)
    key = f"{R}/（三）不予公开/2.其他法律行政法规禁止公开"
    rows, findings = _rows(
        [
            "一、本年新收政府信息公开申请数量 3 0 0 0 0 0 3",
            "（三）不予公开",
            "2.其他法律行政法规禁止公开 26 0 26 0 0 0",
        ]
    )
    # then the cells that differ between the cuts are left empty, and the ones they agree on (0 0 0) are kept but
    # named as well: no reading vouches for them
    assert rows[key][:4] == [None, None, None, None]
    named = {c for f in findings if f.severity == "warning" for c in f.cells}
    assert {f"table3:{key}:{c}" for c in defs.FORMATS["2021"].table3_columns} <= named


def test_one_row_of_one_figure_more_among_rows_of_the_format_width_is_named():
    # given rows of seven figures and one row of eight zeros (pdftotext of a LibreOffice print: a figure of a
    # neighbouring cell read into the row) — its drop of a "subtotal" zero is not pinned by any sum
    key = f"{R}/（三）不予公开/2.其他法律行政法规禁止公开"
    _, findings = _rows(
        [
            "一、本年新收政府信息公开申请数量 3 0 0 0 0 0 3",
            "二、上年结转政府信息公开申请数量 1 0 0 0 0 0 1",
            "（一）予以公开 2 0 0 0 0 0 2",
            "（三）不予公开",
            "1.属于国家秘密 1 0 0 0 0 0 1",
            "2.其他法律行政法规禁止公开 0 0 0 0 0 0 0 0",
        ]
    )
    # then the row is named by a warning (a table whose rows all carry the added column keeps the info note)
    [note] = [f for f in findings if f.code == "import_subtotal_dropped"]
    assert (note.severity, note.cells) == ("warning", (f"table3:{key}",))


def test_one_row_of_one_figure_more_among_rows_without_their_blank_cells_is_named():
    # given a table of rows printed without their blank cells ("3 3": 自然人 and 总计) and one row of eight zeros
    # (WeasyPrint's print through pdftotext: the figures of several rows read into one) — no row is of the
    # format's width, so nothing shows that the table carries an added subtotal column
    key = f"{R}/（三）不予公开/2.其他法律行政法规禁止公开"
    _, findings = _rows(
        [
            "一、本年新收政府信息公开申请数量 3 3",
            "二、上年结转政府信息公开申请数量 1 1",
            "（一）予以公开 2 2",
            "（三）不予公开",
            "1.属于国家秘密 1 1",
            "2.其他法律行政法规禁止公开 0 0 0 0 0 0 0 0",
        ]
    )
    # then the drop is named by a warning, not noted as a column of the layout
    [note] = [f for f in findings if f.code == "import_subtotal_dropped"]
    assert (note.severity, note.cells) == ("warning", (f"table3:{key}",))


def test_a_row_one_figure_short_is_not_cut_into_a_reading_its_sum_denies():
    # given a row printed without its total (the 总计 column printed apart, below the table: Chromium's print
    # through pdftotext): six figures, "72 3 0 0 0 0", for seven cells
    key = f"{R}/（七）总计"
    rows, findings = _rows(
        [
            "一、本年新收政府信息公开申请数量 71 3 0 0 0 0 74",
            "二、上年结转政府信息公开申请数量 1 0 0 0 0 0 1",
            "（七）总计 72 3 0 0 0 0",
            "四、结转下年度继续办理 0 0 0 0 0 0 0",
        ]
    )
    # then "72" is not cut into "7 2" to fill the row (no cut keeps the row's own sum): the row is left open and
    # named, never read as figures the report does not print
    assert rows[key][:2] != [7, 2]
    named = {c for f in findings if f.severity == "warning" for c in f.cells}
    assert any(c.startswith(f"table3:{key}") for c in named)


def test_a_row_printed_as_dashes_inside_the_table_is_kept():
    # given a report that prints a row's cells as dashes
    rows, _ = _rows(
        [
            "一、本年新收政府信息公开申请数量 3 0 0 0 0 0 3",
            "二、上年结转政府信息公开申请数量 - - - - - - -",
            "（一）予以公开 3 0 0 0 0 0 3",
        ]
    )
    # then the dashes stay that row's (the checks name them), not dropped
    assert rows["二、上年结转政府信息公开申请数量"][0] == "-"


def test_two_equal_figures_placed_only_by_a_converters_blank_cells_are_read_as_the_tables_pattern():
    # given a table of 自然人 and 总计 only whose rows lost their blank cells, and one row where a converter kept
    # blank cells that put its figure a column off (markitdown on a WeasyPrint print of r801: "（七）总计" in the
    # label column before its own)
    key = f"{R}/（七）总计"
    rows, findings = _rows(
        [
            "| 一、本年新收政府信息公开申请数量 | 26 | 26 |",
            "| 二、上年结转政府信息公开申请数量 | 0 | 0 |",
            "| （一）予以公开 | 26 | 26 |",
            "| （七）总计 |  |  | 26 |  |  |  | 26 |",
            "| 四、结转下年度继续办理 | 0 | 0 |",
        ]
    )
    # then the row is read as the others (under 自然人), and a warning names its cells
    assert rows[key] == [26, None, None, None, None, None, 26]
    named = {c for f in findings if f.code == "import_positions_likely" for c in f.cells}
    assert f"table3:{key}:自然人" in named and f"table3:{key}:科研机构" in named


def test_cells_of_two_printed_lines_put_together_are_not_placed_by_their_blanks():
    # given a row's cells and the next row's, printed on two lines with nothing between them (its label printed
    # after them): "|  | 0 | 0 |" / "|  |  | 26 | 26 |" — seven cells with their blanks, by chance the row's width
    rows, findings = _rows(
        [
            "| 一、本年新收政府信息公开申请数量 | 5 | 0 | 0 | 0 | 0 | 0 | 5 |",
            "| 二、上年结转政府信息公开申请数量 |  | 0 | 0 |",
            "|  |  | 26 | 26 |",
            "三、（一）予以公开",
        ]
    )
    # then the blanks do not place the figures: the row is not read as [_, 0, 0, _, _, 26, 26] without a word
    carried = rows.get("二、上年结转政府信息公开申请数量")
    named = {c.rsplit(":", 1)[0] for f in findings if f.severity == "warning" for c in f.cells}
    assert carried is None or carried[-1] != 26 or "table3:二、上年结转政府信息公开申请数量" in named
