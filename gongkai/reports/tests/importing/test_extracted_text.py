"""Text as real PDF extractors and Markdown converters give it (issue 16, failure classes found on the dev half's
variants made with LibreOffice, WeasyPrint, pdftotext, pdfminer.six and pandoc — bench/real_variants.py)."""

from __future__ import annotations

from gongkai.reports.importing.extract import extract
from gongkai.reports.importing.pipeline import import_bytes
from gongkai.reports.importing.readers_text import read_text

R = "三、本年度办理结果"
HEAD = ["三、收到和处理政府信息公开申请情况", "申请人情况", "自然人", "法人或其他组织", "总计"]
NEW = "一、本年新收政府信息公开申请数量"
CARRIED = "二、上年结转政府信息公开申请数量"
OPEN = f"{R}/（一）予以公开"
PART = f"{R}/（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
OTHER = f"{R}/（六）其他处理"
NO_REASON = f"{R}/（五）不予处理/4.无正当理由大量反复申请"
CONFIRM = f"{R}/（五）不予处理/5.要求行政机关确认或重新出具已获取信息"
OTHER_1 = f"{OTHER}/1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
OTHER_2 = f"{OTHER}/2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
OTHER_3 = f"{OTHER}/3.其他"


def _cells(*rows: list[int]) -> list[str]:
    """Each figure on a line of its own (pdftotext without -layout, pdfminer)."""
    return [str(v) for row in rows for v in row]


def _warned(findings: list, key: str) -> bool:
    return any(f.severity in ("warning", "error") and f"table3:{key}" in (f.cells or []) for f in findings)


def test_a_run_of_whole_rows_without_labels_is_cut_into_its_rows_and_each_is_named():
    # given text with every figure on its own line, the labels of merged cells printed elsewhere (r703 read by
    # pdftotext): three rows' figures run together after 二、上年结转's label, five after 4.无正当理由…
    got = extract(
        [
            *HEAD,
            NEW,
            *_cells([30, 5, 0, 0, 6, 4, 45]),
            CARRIED,
            *_cells([3, 0, 0, 0, 0, 0, 3], [12, 2, 0, 0, 5, 3, 22], [4, 7, 0, 0, 0, 0, 11]),
            "（一）予以公开",
            "（二）部分公开（区分处理的，只计这一情",
            "形，不计其他情形）",
            "4.无正当理由大量反复申请",
            *_cells(
                [0] * 7,
                [1, 0, 0, 0, 0, 0, 1],
                [6, 3, 0, 0, 1, 0, 10],
                [6, 0, 0, 0, 0, 0, 6],
                [2, 2, 0, 0, 0, 0, 4],
            ),
            "（七）总计",
            *_cells([25, 14, 0, 0, 6, 3, 48]),
        ],
        "2021",
    )
    assert got.table3 is not None
    rows = got.table3["rows"]
    # then each row gets its own figures; the sums decide the cut, the rows placed by position are named
    assert rows[CARRIED] == [3, 0, 0, 0, 0, 0, 3]
    assert rows[OPEN] == [12, 2, 0, 0, 5, 3, 22]
    assert rows[PART] == [4, 7, 0, 0, 0, 0, 11]
    assert rows[NO_REASON] == [0] * 7
    assert rows[CONFIRM] == [1, 0, 0, 0, 0, 0, 1]
    assert rows[OTHER_1] == [6, 3, 0, 0, 1, 0, 10]
    assert rows[OTHER_2] == [6, 0, 0, 0, 0, 0, 6]
    assert rows[OTHER_3] == [2, 2, 0, 0, 0, 0, 4]
    for key in (OPEN, PART, CONFIRM, OTHER_1, OTHER_2, OTHER_3):
        assert _warned(got.findings, key), key
    # （六）其他处理 heads its sub-rows in 2021: a run without a label is never taken as that row
    assert OTHER not in rows


def test_a_run_that_also_reads_as_rows_without_their_blank_cells_is_not_cut():
    # given rows printed with only 自然人 and 总计 (the five 法人 columns blank and dropped by the extractor):
    # "0 0 0 0 0 0 0 26 26 …" cut by sevens would pass the row sums ("0 0 0 0 0 26 26") and be wrong
    got = extract(
        [
            *HEAD,
            NEW,
            "26",
            "26",
            "（五）不予处理",
            "3.要求提供公开出版物",
            *_cells([0, 0], [0, 0], [0, 0], [0, 0], [0, 0], [0, 0], [26, 26]),
            "（七）总计",
            "26",
            "26",
        ],
        "2021",
    )
    rows = got.table3["rows"] if got.table3 else {}
    # then no row holds figures cut from its neighbours without a warning on it
    for key, values in rows.items():
        if values != [None] * 7 and values[1:6] != [None] * 5:
            assert _warned(got.findings, key), (key, values)


def test_rows_printed_column_by_column_are_read_by_column_when_only_that_reading_holds():
    # given pdfminer's order for a table whose cells are laid out apart: the labels of two rows, then the first
    # column of both, the second column of both …
    got = extract(
        [*HEAD, NEW, CARRIED, *_cells([71, 1], [3, 0], [0, 0], [0, 0], [2, 0], [0, 0], [76, 1])],
        "2021",
    )
    assert got.table3 is not None
    # then each row reads across
    assert got.table3["rows"][NEW] == [71, 3, 0, 0, 2, 0, 76]
    assert got.table3["rows"][CARRIED] == [1, 0, 0, 0, 0, 0, 1]


def test_rows_printed_labels_first_then_row_by_row_give_each_row_its_own_label():
    # given the labels of two rows, then their figures row by row (each on its own line)
    got = extract([*HEAD, NEW, CARRIED, *_cells([5, 1, 0, 0, 0, 0, 6], [2, 0, 0, 0, 0, 0, 2])], "2021")
    assert got.table3 is not None
    # then the first row is 一's (not the row of the label nearest the figures), the second 二's
    assert got.table3["rows"][NEW] == [5, 1, 0, 0, 0, 0, 6]
    assert got.table3["rows"][CARRIED] == [2, 0, 0, 0, 0, 0, 2]


def test_html_tables_left_inside_markdown_are_read_wherever_they_stand():
    # given pandoc's Markdown with grid tables first (more than the 4 KB a file type is told by) and 表三 kept as
    # raw HTML because of its merged cells
    grid = "\n".join(f"+------+------+\n| 项目{n} | 说明 |" for n in range(120)) + "\n+------+------+\n"
    cells = "".join(f"<td>{v}</td>" for v in (5, 1, 0, 0, 0, 0, 6))
    html_table = (
        '<table class="report-table">\n<caption>表三：收到和处理政府信息公开申请情况</caption>\n'
        f"<tr><th>{NEW}</th>{cells}</tr>\n</table>"
    )
    text = f"# 某某县人民政府2022年政府信息公开工作年度报告\n\n{grid}\n## 三、收到和处理政府信息公开申请情况\n\n{html_table}\n"
    assert len(text.encode()) > 4096
    docs = import_bytes(text.encode(), "report.md")
    # then 表三's row is read from the HTML table
    assert docs[0]["table3"] is not None
    assert docs[0]["table3"]["rows"][NEW] == [5, 1, 0, 0, 0, 0, 6]


TABLE3_LINES = [
    ("一、本年新收政府信息公开申请数量", [9, 1, 0, 0, 0, 0, 10]),
    ("二、上年结转政府信息公开申请数量", [1, 0, 0, 0, 0, 0, 1]),
]


def test_rows_written_one_cell_per_paragraph_by_html2text_are_read_as_rows():
    # given html2text's Markdown of a page whose cells hold paragraphs (Word's HTML): each cell on its own line,
    # a lone "|" between cells, blank cells as two "|" in a row, the row ended by a Markdown line break
    lines = ["# 某某县人民政府2022年政府信息公开工作年度报告", "", "三、收到和处理政府信息公开申请情况", ""]
    for label, values in TABLE3_LINES:
        cells = [label, *(str(v) if v else "" for v in values)]
        for n, cell in enumerate(cells):
            if cell:
                lines += [cell + ("  " if n == len(cells) - 1 else ""), ""]
            if n < len(cells) - 1:
                lines += ["|", ""]
        lines.append("  ")
    docs = import_bytes("\n".join(lines).encode(), "report.md")
    rows = docs[0]["table3"]["rows"]
    # then each row's cells stay in their columns (blank cells blank, not shifted)
    assert rows[NEW] == [9, 1, None, None, None, None, 10]
    assert rows[CARRIED] == [1, None, None, None, None, None, 1]


def test_pandoc_markdown_attributes_and_grid_rules_are_markup_not_text():
    # given pandoc's Markdown of a Word-exported page: spans with their style, fenced divs, grid table rules, and
    # a bit of raw HTML near the top (so the file's head looks like HTML)
    span = '{style="font-family: 微软雅黑;"}'
    rule = "+" + "-" * 40 + "+" + "-" * 12 + "+" + "-" * 12 + "+"
    body = [
        "# 某某县人民政府2022年政府信息公开工作年度报告 {#top .title}",
        "",
        "<span>发布日期：2023-01-20</span>",
        "",
        f"::: {{.table-wrap}}\n[三、收到和处理政府信息公开申请情况]{span}[]{span}",
        "",
        rule,
    ]
    for label, values in TABLE3_LINES:
        cells = " | ".join(f"[{v}]{span}" for v in values)
        body += [f"| [{label}]{span}[]{span} | {cells} |", rule]
    body.append(":::")
    docs = import_bytes("\n".join(body).encode(), "report.md")
    rows = docs[0]["table3"]["rows"]
    # then the table reads as if the markup were not there
    assert rows[NEW] == [9, 1, 0, 0, 0, 0, 10]
    assert rows[CARRIED] == [1, 0, 0, 0, 0, 0, 1]


def test_table4_figures_printed_in_pieces_out_of_order_are_put_back_by_the_sums():
    # given 表四 as pdftotext reads r703's PDF without -layout: header words between pieces of the grid, the
    # 总计 of 行政复议 after the first pieces of 复议后起诉 (the pieces of a column block come out together)
    lines = [
        *HEAD,
        NEW,
        *_cells([3, 0, 0, 0, 0, 0, 3]),
        "四、结转下年度继续办理",
        *_cells([0, 0, 0, 0, 0, 0, 0]),
        "四、政府信息公开行政复议、行政诉讼情况",
        "行政复议",
        "行政诉讼",
        "未经复议直接起诉",
        "结果",
        "维持",
        *_cells([7, 6, 17, 3]),
        "结果",
        "复议后起诉",
        "尚未",
        *_cells([2, 1, 1, 6]),
        "总计",
        "33",
        "维持",
        "纠正",
        *_cells([13, 4, 8, 1, 26]),
        "总计",
        "10",
        "五、存在的主要问题及改进情况",
    ]
    got = extract(lines, "2021")
    table = got.table4
    assert table is not None
    # then each group reads its own five figures, and the reader is told the order was rebuilt
    assert [table["行政复议"][c] for c in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")] == [
        7,
        6,
        17,
        3,
        33,
    ]
    suit = [
        table["行政诉讼/未经复议直接起诉"][c]
        for c in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    ]
    assert suit == [13, 4, 8, 1, 26]
    after = [
        table["行政诉讼/复议后起诉"][c] for c in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    ]
    assert after == [2, 1, 1, 6, 10]
    assert any(f.code == "import_cell_positions" and f.severity == "warning" for f in got.findings)


def test_table4_in_more_pieces_than_are_reordered_is_read_in_its_printed_order_when_that_holds():
    # given 表四 as pdfminer reads WeasyPrint's paged print: each litigation figure after its own header words, the
    # header one character a line ("结 果 维 持 0 结 果 纠 正 0 …"): eleven pieces, too many to try every order
    lines = [*HEAD, NEW, *_cells([3, 0, 0, 0, 0, 0, 3]), "四、结转下年度继续办理", *_cells([0] * 7)]
    lines += ["四、政府信息公开行政复议、行政诉讼情况", "行政复议"]
    lines += ["行政诉讼", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计", *_cells([2, 1, 3, 1, 7])]
    lines += ["未经复议直接起诉", "复议后起诉"]
    for figures in ([0, 1, 0, 0, 1], [13, 2, 4, 0, 19]):
        for words, figure in zip(
            ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计"), figures, strict=True
        ):
            lines += [*words, str(figure)]
    got = extract([*lines, "五、存在的主要问题及改进情况"], "2021")
    # then the printed order, which holds every group's 总计, is the table's
    table = got.table4
    assert table is not None
    columns = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    assert [table["行政复议"][c] for c in columns] == [2, 1, 3, 1, 7]
    assert [table["行政诉讼/未经复议直接起诉"][c] for c in columns] == [0, 1, 0, 0, 1]
    assert [table["行政诉讼/复议后起诉"][c] for c in columns] == [13, 2, 4, 0, 19]


def test_rows_the_importer_did_not_find_get_its_warning_not_a_blank_cell_error():
    # given a text whose 表三 rows 二 to （六） cannot be found (their labels and figures lost in extraction)
    text = "\n".join(
        [
            "某某县人民政府2022年政府信息公开工作年度报告",
            *HEAD,
            f"{NEW} 3 0 0 0 0 0 3",
            "（七）总计 3 0 0 0 0 0 3",
            "四、结转下年度继续办理 0 0 0 0 0 0 0",
        ]
    )
    findings = import_bytes(text.encode(), "report.txt")[0]["findings"]
    # then the missing rows are named by the reading warning, and no error says the report left their cells blank
    assert any(f["code"] == "import_rows_missing" and f"table3:{OPEN}" in f["cells"] for f in findings)
    assert not [
        f
        for f in findings
        if f["code"] == "cell_blank" and f["severity"] == "error" and OPEN in f["cells"][0]
    ]


def test_rows_printed_column_by_column_under_their_headers_are_read_across():
    # given pdfminer's order on a page of 表三 whose header cells are broken over lines: the labels of three rows
    # (a group label among them), then the headers "商业 企业 … 总计 其他" and six columns of figures — 其他's
    # figures before 总计's although its header was read after — then "自然 人" and its column
    rows3 = {OPEN: [21, 0, 0, 0, 2, 1, 24], PART: [8, 1, 0, 0, 0, 0, 9], NO_REASON: [3, 0, 0, 0, 0, 0, 3]}
    printed = [1, 2, 3, 4, 5, 0, 6]  # 商业 科研 社会 法律 其他 自然人 总计 → positions: 商业…法律, 其他, 总计
    figures = [[rows3[k][c] for k in rows3] for c in (1, 2, 3, 4, 5, 6)]
    lines = [
        *HEAD,
        "三、",
        "本年度办",
        "理结果",
        "（一）予以公开",
        "（二）部分公开（区分处理",
        "的，只计这一情形，不计其他",
        "情形）",
        "（五）不予",
        "处理",
        "4.无正当理由大",
        "量反复申请",
        "申请人情况",
        "法人或其他组织",
        "商业",
        "企业",
        "科研",
        "机构",
        "社会",
        "公益",
        "组织",
        "法律",
        "服务",
        "机构",
        "总计",
        "其他",
        *_cells(*figures),
        "自然",
        "人",
        *_cells([rows3[k][0] for k in rows3]),
    ]
    assert printed  # the order the figures come in, for the reader of this test
    got = extract(lines, "2021")
    assert got.table3 is not None
    # then each row reads across, the total placed by the sums
    for key, values in rows3.items():
        assert got.table3["rows"][key] == values, key


def test_a_flat_table_written_one_cell_per_line_keeps_its_form():
    # given the flat form one cell per line (seed 001's copy of a page): "信息内容 |", a blank cell as a lone "|"
    # right after a cell — not html2text's separator, which stands between blank lines
    text = "\n".join(
        ["信息内容 |", "本年增/减 |", "|", "行政事业性收费 |", "11 |", "0 |", "|", "第二十条第(九)项 |", "|"]
    )
    # then the text reads as it is (its rows are read by the flat form's rules, seed 001 every cell exact)
    assert read_text(text.encode()).text == text


def test_rows_read_by_column_are_named_because_the_column_order_is_presumed():
    # given rows printed column by column (pdfminer): the sums fix the total, not which other column is which
    got = extract(
        [*HEAD, NEW, CARRIED, *_cells([71, 1], [3, 0], [0, 0], [0, 0], [2, 0], [0, 0], [76, 1])], "2021"
    )
    # then every row read so carries a warning on it
    assert _warned(got.findings, NEW)
    assert _warned(got.findings, CARRIED)


def test_a_placeholder_header_cut_from_its_number_is_not_a_figure():
    # given a Markdown conversion's placeholder header printed and read back: "数据" and its number on two lines
    lines = [*HEAD, NEW]
    for n in range(1, 7):
        lines += ["数据", str(n)]
    lines += ["总计", *_cells([5, 1, 0, 0, 0, 0, 6])]
    got = extract(lines, "2021")
    # then the figures after the header are the row's, the header's numbers none of its cells
    assert got.table3 is not None
    assert got.table3["rows"][NEW] == [5, 1, 0, 0, 0, 0, 6]
