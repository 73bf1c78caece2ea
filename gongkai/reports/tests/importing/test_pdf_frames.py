"""Printed pages read back (issue #16, real-tool variants of the dev half): a page's layout frame that a PDF's
table finder took for a table, a heading inside a table's box, and a 表三 printed without its blank cells, whose
rows have more placements than the aligner can combine."""

from __future__ import annotations

from typing import Any

from gongkai.reports import definitions as defs
from gongkai.reports.importing.extract import extract
from gongkai.reports.importing.pipeline import import_bytes

FILL = "本单位坚持以公开为常态、不公开为例外，持续推进政务公开工作，提升公开质量和实效，回应社会关切。"


def _table3_lines(doc: dict[str, Any], *, blanks: bool) -> list[str]:
    """表三's rows as flat cell rows (``label | figure | … |``); ``blanks=False``: a print that lost its blank cells
    (each row's figures only, as a text layer gives a row whose other cells are empty)."""
    spec = defs.FORMATS[doc["format"]]
    lines = ["申请人情况 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |"]
    for row in spec.table3_rows:
        values = doc["table3"]["rows"][row.key]
        cells = ["" if v is None else str(v) for v in values]
        shown = cells if blanks else [c for c in cells if c]
        lines.append(" | ".join([row.label_cells[-1].text, *shown]) + " |")
    return lines


def _sparse_table3() -> dict[str, Any]:
    """A consistent 2021 表三 whose every row has one applicant figure and its 总计, the other cells blank."""
    doc = defs.empty_document("某局", 2023, "2021", "unknown", fill=None)
    spec = defs.FORMATS["2021"]
    rows = doc["table3"]["rows"]
    for key in spec.table3_row_keys:
        rows[key] = [None] * 7
    figures = {
        defs.RECEIVED: 26,
        f"{defs.RESULTS}/（一）予以公开": 20,
        f"{defs.RESULTS}/（二）部分公开（区分处理的，只计这一情形，不计其他情形）": 4,
        defs.RESULTS_TOTAL: 24,
        defs.CARRIED_OUT: 2,
    }
    for key, n in figures.items():
        rows[key] = [n, None, None, None, None, None, n]
    for key in spec.table3_row_keys:
        if key not in figures:
            rows[key] = [0, None, None, None, None, None, 0]
    return doc


def test_a_table3_printed_without_blank_cells_keeps_what_each_rows_own_sum_decides():
    # given 表三 printed without its blank cells: "26 | 26" in every row — each row has six placements of its
    # applicant figure, the table millions of combinations (more than the aligner keeps)
    doc = _sparse_table3()
    got = extract(["三、收到和处理政府信息公开申请情况", *_table3_lines(doc, blanks=False)], "2021")
    assert got.table3 is not None
    rows = got.table3["rows"]
    # then the 总计 each row's own sum fixes is read (every placement of a row puts its last figure there) …
    assert rows[defs.RECEIVED][6] == 26
    assert rows[defs.RESULTS_TOTAL][6] == 24
    assert rows[defs.CARRIED_OUT][6] == 2
    # … and the applicant column, which no sum decides, is read as the pattern every row of the table shows
    # (自然人 and 总计, extract_sparse), a pick a warning names, never a silent one
    assert rows[defs.RECEIVED] == [26, None, None, None, None, None, 26]
    assert rows == doc["table3"]["rows"]
    named = {c for f in got.findings if f.code == "import_positions_likely" for c in f.cells}
    assert {f"table3:{defs.RECEIVED}:自然人", f"table3:{defs.RECEIVED}:商业企业"} <= named
    # the 总计, the same under every reading of a row whose figure is not 0, is not in doubt
    assert f"table3:{defs.RECEIVED}:总计" not in named


def test_a_layout_frame_read_as_a_table_keeps_its_headings():
    # given a printed web page whose article frame a PDF's table finder took for a one-column table: the report's
    # running text as rows of one long cell, the section headings inside them, a heading as a row of its own
    lines = [
        "某局2023年政府信息公开工作年度报告",
        f"根据《中华人民共和国政府信息公开条例》要求，现向社会公布本年度报告。{FILL}一、总体情况{FILL * 2}"
        f"（一）主动公开{FILL} |",
        f"{FILL}（二）依申请公开{FILL * 2}二、主动公开政府信息情况 |",
        "第二十条第（一）项 |",
        "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |",
        "规章 | 0 | 0 | 0 |",
        "三、收到和处理政府信息公开申请情况 |",
        *_table3_lines(_sparse_table3(), blanks=True),
        "四、政府信息公开行政复议、行政诉讼情况 |",
        "行政复议 | 行政诉讼 |",
        "0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        f"五、存在的主要问题及改进情况{FILL} |",
        f"六、其他需要报告的事项{FILL * 4} |",
    ]
    docs = import_bytes("\n".join(lines).encode(), "frame.txt")
    assert len(docs) == 1
    sections = docs[0]["sections"]
    # then every part is found, the prose of 一 under its heading and not the heading of the frame's row
    assert set(defs.SECTION_NUMBERS) <= {k for k, v in sections.items() if v is not None}
    assert "总体情况" not in sections["一"][:4] and FILL[:10] in sections["一"]
    assert not [f for f in docs[0]["findings"] if f["code"] == "section_missing"]


R5 = f"{defs.RESULTS}/（五）不予处理"
R3 = f"{defs.RESULTS}/（三）不予公开"
TABLE3_HEAD = ["三、收到和处理政府信息公开申请情况", "申请人情况 自然人 法人或其他组织 总计"]


def test_a_row_cut_by_the_rest_of_its_label_is_joined_though_the_rest_reads_like_another_label():
    # given Chromium's print of a dev report read by pdftotext -layout: 4.无正当理由大量反复申请 wrapped in its cell,
    # its first figure on the label's first line and the others after "复申请" (which alone looks like 2.重复申请)
    got = extract(
        [
            *TABLE3_HEAD,
            "2.重复申请      0   0   0    0    0 0   0",
            "3.要求提供公开出版 0    0   0    0    0 0   0",
            "（五）不予处 物",
            "理      4.无正当理由大量反 1",
            "复申请             0   0    0    0 0   1",
            "5.要求行政机关确认",
            "或重新出具已获取信 0     0   0    0    0 0   0",
            "息",
        ],
        "2021",
    )
    assert got.table3 is not None
    # then the two halves are the row's one run of figures
    assert got.table3["rows"][f"{R5}/4.无正当理由大量反复申请"] == [1, 0, 0, 0, 0, 0, 1]
    assert got.table3["rows"][f"{R5}/2.重复申请"] == [0] * 7


def test_a_group_label_floating_between_a_row_labels_lines_does_not_hide_the_row():
    # given pdfplumber's text of the same print: the merged group label （三）不予公开 printed in pieces between the
    # lines of the row label 4.保护第三方合法权益, on the line of the row's figures
    got = extract(
        [
            *TABLE3_HEAD,
            "3.危及“三安全一稳",
            "0 0 0 0 0 0 0",
            "定”",
            "4.保护第三方合法权",
            "（三）不予公 2 0 0 0 0 0 2",
            "益",
            "开",
            "5.属于三类内部事务",
            "0 0 0 0 0 0 0",
            "信息",
        ],
        "2021",
    )
    assert got.table3 is not None
    # then the row is read by its own label, the group label's pieces left out of it
    assert got.table3["rows"][f"{R3}/4.保护第三方合法权益"] == [2, 0, 0, 0, 0, 0, 2]
    assert got.table3["rows"][f"{R3}/5.属于三类内部事务信息"] == [0] * 7


def _apart(totals: list[str]) -> list[str]:
    """pdftotext (no -layout) on Chromium's print of a dev report's 表三: each figure on its own line, the page's
    total column read after its rows under its header."""
    return [
        *TABLE3_HEAD,
        "一、本年新收政府信息公开申请数量",
        *["2", "1", "0", "0", "0", "0"],
        "二、上年结转政府信息公开申请数量",
        *["0", "0", "0", "0", "1", "0"],
        "总计",
        *totals,
    ]


def test_a_total_column_read_apart_from_its_rows_is_given_back_by_the_row_sums():
    got = extract(_apart(["3", "1"]), "2021")
    assert got.table3 is not None
    # then each figure of the column goes to its row (each equals its row's sum)
    assert got.table3["rows"][defs.RECEIVED] == [2, 1, 0, 0, 0, 0, 3]
    assert got.table3["rows"][defs.CARRIED_IN] == [0, 0, 0, 0, 1, 0, 1]
    # but figures that are not the rows' sums are not taken as their totals
    other = extract(_apart(["4", "1"]), "2021")
    assert other.table3 is not None
    assert other.table3["rows"][defs.RECEIVED][6] != 4


def test_a_lone_figure_by_the_floating_group_label_is_not_the_single_other_row_of_a_local_template():
    # given pdfminer's text of Chromium's print of a dev report: the sub-rows of （六）其他处理 not read, their merged
    # group label floating next to one stray figure
    lines = [
        *TABLE3_HEAD,
        "5.要求行政机关确认或重新出具已获取信息 0 0 0 0 0 0 0",
        "（六）其他处理 0",
        "（七）总计 3 0 0 0 0 0 3",
    ]
    got = extract(lines, "2021")
    assert got.table3 is not None
    # then the table keeps the format's sub-rows, reported as not found — not a local template's single row
    assert defs.OTHER_2019 not in got.table3["rows"]
    missing = {c for f in got.findings if f.code == "import_rows_missing" for c in f.cells}
    assert f"table3:{defs.OTHER_2019}/3.其他" in missing
    # while a row of figures under that label is read as the single row
    whole = extract([*lines[:3], "（六）其他处理 2 0 0 0 0 0 2", lines[4]], "2021")
    assert whole.table3 is not None
    assert whole.table3["rows"][defs.OTHER_2019] == [2, 0, 0, 0, 0, 0, 2]


def test_a_total_column_after_the_last_row_is_the_tables_and_a_row_cut_by_a_floating_label_counts_once():
    # given the last page of such a print: a row cut in two by the floating group label (its first figure on the
    # label's line), the last rows, then the page's total column after 四、结转下年度继续办理, before 表四
    got = extract(
        [
            *TABLE3_HEAD,
            "一、本年新收政府信息公开申请数量 4 1 0 0 0 0 5",
            "1.本机关不掌握相关 1",
            "年度办",
            *["0", "0", "0", "0", "0"],
            "政府信息",
            "（七）总计",
            *["3", "1", "0", "0", "0", "0"],
            "四、结转下年度继续办理",
            *["0", "0", "0", "0", "0", "0"],
            "总计",
            *["1", "4", "0"],
            "四、政府信息公开行政复议、行政诉讼情况",
        ],
        "2021",
    )
    assert got.table3 is not None
    rows = got.table3["rows"]
    # then every row of the page gets its total, the cut row as one row
    assert rows[f"{defs.RESULTS}/（四）无法提供/1.本机关不掌握相关政府信息"] == [1, 0, 0, 0, 0, 0, 1]
    assert rows[defs.RESULTS_TOTAL] == [3, 1, 0, 0, 0, 0, 4]
    assert rows[defs.CARRIED_OUT] == [0] * 7


def test_a_table2_label_broken_over_two_lines_before_its_figures_is_one_label():
    # given pypdf's text of a paged print of a dev report (2019 format): a 表二 row label wrapped in its cell
    got = extract(
        [
            "二、主动公开政府信息情况",
            "第二十条第（五）项",
            "信息内容 上一年项目数 量 本年增/减 处理决定数量",
            "行政许可 3 0 0",
            "其他对外管理服务",
            "事项 2 1 4",
            "第二十条第（六）项",
        ],
        "2019",
    )
    assert got.table2 is not None
    # then the figures on the label's second line are the row's
    row = got.table2["第二十条第（五）项"]["其他对外管理服务事项"]
    assert list(row.values()) == [2, 1, 4]
    assert list(got.table2["第二十条第（五）项"]["行政许可"].values()) == [3, 0, 0]


def test_table4_figures_read_after_the_bare_headings_that_follow_it_are_the_tables():
    # given pdftotext's text of WeasyPrint's print of a dev report (r610): 表四 read in column blocks, the last
    # ones after the bare headings of 五 and 六 (the rest of the table's page read after them)
    results = ["结果 结果 其他 尚未", "维持 纠正 结果 审结"]
    got = extract(
        [
            "四、政府信息公开行政复议、行政诉讼情况",
            "行政复议",
            "行政诉讼",
            *results,
            *["0", "0", "0", "0"],
            *["总", "计", "0"],
            "未经复议直接起诉",
            *results,
            *["0", "0", "0"],
            "五、存在的主要问题及改进情况",
            "六、其他需要报告的事项",
            "0",
            "复议后起诉",
            *["总", "计", "0"],
            *results,
            *["0", "0", "0", "0"],
            *["总", "计", "0"],
        ],
        "2021",
    )
    assert got.table4 is not None
    # then all 15 figures are the table's (before: 8 figures, every cell left open), put in the grid's order by
    # the groups' sums and named by a warning
    assert all(v == 0 for group in got.table4.values() for v in group.values())
    assert any(f.code == "import_cell_positions" and "table4" in f.cells[0] for f in got.findings)


def test_a_year_starting_the_prose_after_table4_is_not_one_of_its_figures():
    # given d302's text (dev): 表四's figures run together, then 五's heading and its prose, whose first line is
    # the year alone ("2024" / "年，实验区…")
    got = extract(
        [
            "四、政府信息公开行政复议、行政诉讼情况",
            "行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉结果维持结果纠正"
            "其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计 100010000000101",
            "五、存在的主要问题及改进情况",
            "2024",
            "年，实验区政府信息公开工作取得了新进展新成果，但在工作中仍在不足。",
        ],
        "2021",
    )
    assert got.table4 is not None
    assert list(got.table4["行政复议"].values()) == [1, 0, 0, 0, 1]
    assert 2024 not in [v for group in got.table4.values() for v in group.values()]
