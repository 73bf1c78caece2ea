"""Markdown as real PDF/HTML → Markdown converters write it (issue 16, s30a: failure classes found on the dev half's
variants made with pymupdf4llm, markitdown and markdownify — bench/real_variants_md.py). Snippets are synthetic."""

from __future__ import annotations

from gongkai.reports.importing.extract import extract
from gongkai.reports.importing.pipeline import import_bytes
from gongkai.reports.importing.readers_text import read_text
from gongkai.reports.importing.tokens import tokenize

from . import shapes

NEW = "一、本年新收政府信息公开申请数量"
CARRIED = "二、上年结转政府信息公开申请数量"
R = "三、本年度办理结果"
OPEN = f"{R}/（一）予以公开"
TOTAL = f"{R}/（七）总计"


def _values(tokens) -> list[str]:
    return [t.text for t in tokens if t.is_value]


def test_a_markdown_rows_first_pipe_is_its_border_even_before_a_blank_cell():
    # given PyMuPDF's pipe table ("|" without spaces): a row whose first cell is blank
    tokens = tokenize(["|项目|甲|乙|", "|---|---|---|", "||0|5|"])
    # then the row is one blank cell and two figures, not two blank cells before them
    assert _values(tokens) == ["", "0", "5"]


def test_a_repeated_header_label_that_a_header_row_above_splits_is_no_merged_cell():
    # given PyMuPDF filling the empty cell under "总计" with its left neighbour "其他" (a rowspan header):
    # "其他 | 其他" looks like a merged cell, but the row above names the two columns apart
    lines = [
        "|说明|申请人情况|Col3|Col4|",
        "|---|---|---|---|",
        "|说明|自然人|法人或其他组织|总计|",
        "|说明|自然人|其他|其他|",
        "|四、结转下年度继续办理|0|0|0|",
    ]
    # then the row under it keeps its three figures (two equal ones are two columns)
    assert _values(tokenize(lines)) == ["0", "0", "0"]


def test_made_up_column_names_are_no_labels_and_a_heading_pulled_into_a_header_is_a_heading():
    # given PyMuPDF's classic Markdown: a section heading pulled into a table's header row with made-up names
    # ("Col2"…), 表四's header with them between its group labels, and page footers under a heading mark
    t4 = "|".join(str(v) for v in (0, 1, 1, 0, 2, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0))
    text = "\n".join(
        [
            "# 某某县人民政府2022年政府信息公开工作年度报告",
            "## 一、总体情况",
            "我县认真贯彻落实政府信息公开条例。",
            "|二、主动公开政府信息情况|Col2|Col3|Col4|",
            "|---|---|---|---|",
            "|第二十条第（一）项|第二十条第（一）项|第二十条第（一）项|第二十条第（一）项|",
            "|信息内容|本年制发件数|本年废止件数|现行有效件数|",
            "|规章|0|0|0|",
            "### — 1 —",
            "## 四、政府信息公开行政复议、行政诉讼情况",
            "|行政复议|Col2|Col3|Col4|Col5|行政诉讼|" + "|".join(f"Col{n}" for n in range(7, 16)) + "|",
            "|" + "|".join(["---"] * 15) + "|",
            "|结果维持|结果纠正|其他结果|尚未审结|总计|" + "未经复议直接起诉|" * 5 + "复议后起诉|" * 5,
            "|" + "结果维持|结果纠正|其他结果|尚未审结|总计|" * 3,
            f"|{t4}|",
        ]
    )
    [doc] = import_bytes(text.encode(), "report.md")
    # then 表四 is read, and part 二 is found
    assert doc["table4"]["行政复议"] == {
        "结果维持": 0,
        "结果纠正": 1,
        "其他结果": 1,
        "尚未审结": 0,
        "总计": 2,
    }
    assert doc["table4"]["行政诉讼/未经复议直接起诉"]["总计"] == 1
    missing = {c for f in doc["findings"] if f["code"] == "section_missing" for c in f["cells"]}
    assert "sections:二" not in missing


def test_labels_cut_over_neighbouring_cells_are_joined_into_the_formats_labels():
    # given PyMuPDF's table finder cutting merged cells at the column lines under them: 表二's block header,
    # 表三's first row label and 表四's group labels each over two or three cells
    lines = [
        "||第二十条第|（一）项||",
        "|---|---|---|---|",
        "|信息内容|本年制发件数|本年废止件数|现行有效件数|",
        "|行政规范性文件|88|55|698|",
        "||||申|请人情|况|||",
        "|---|---|---|---|---|---|---|---|",
        f"|{NEW[:7]}|{NEW[7:]}|71|3|0|0|0|0|74|",
        f"|{CARRIED}|1|0|0|0|0|0|1|",
        "|（一）予以公|开|21|0|0|0|0|0|21|",
        "|（七）总计||72|3|0|0|0|0|75|",
        "|四、结转下年度继续办理|0|0|0|0|0|0|0|",
        "||行|政复议|||||行政|诉讼|",
        "|---|---|---|---|---|---|---|---|---|",
        "|||||||未经复|议直接|起诉|||复|议后起|诉||",
        "|" + "结果维持|结果纠正|其他结果|尚未审结|总计|" * 3,
        "|0|1|1|0|2|1|0|0|0|1|0|0|0|0|0|",
    ]
    got = extract(lines, "2021")
    # then each is read under its own label
    assert got.table2["第二十条第（一）项"]["行政规范性文件"] == {
        "本年制发件数": 88,
        "本年废止件数": 55,
        "现行有效件数": 698,
    }
    assert got.table3["rows"][NEW] == [71, 3, 0, 0, 0, 0, 74]
    assert got.table3["rows"][OPEN] == [21, 0, 0, 0, 0, 0, 21]
    assert got.table4["行政复议"]["总计"] == 2


def test_a_report_whose_title_the_converter_dropped_is_still_a_report_when_its_labels_are_cut_over_cells():
    # given a PDF → Markdown conversion that lost the title (the first page's header) and cut 表三's labels
    text = "\n".join(
        [
            "## 三、收到和处理政府信息公开申请情况",
            "|，||自然人|商业企业|科研机构|社会公益组织|法律服务机构|总计|",
            "|---|---|---|---|---|---|---|---|",
            "|一、本年新收政|府信息公开申请数量|26|||||26|",
        ]
    )
    [doc] = import_bytes(text.encode(), "report.md")
    # then it is read as an annual report
    assert doc["kind"] == "annual_report"


def test_made_up_names_in_a_header_row_are_no_labels():
    # given a Markdown header row with a converter's names for its empty cells
    tokens = tokenize(["|类别|数据1|Col3|总计|", "|---|---|---|---|", "|本年新收政府信息公开申请数量|5|0|5|"])
    # then only the real column names are labels
    assert [t.text for t in tokens if not t.is_value][:2] == ["类别", "总计"]


def test_made_up_names_among_table4_header_words_do_not_end_the_table():
    # given 表四's header as text with a converter's made-up names between its words (a header row printed and
    # read back line by line)
    lines = ["四、政府信息公开行政复议、行政诉讼情况", "行政复议", "Col2", "行政诉讼", "Col7"]
    lines += ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"]
    lines += [str(v) for v in (0, 1, 1, 0, 2, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0)]
    got = extract(lines, "2021")
    # then the figures after them are 表四's
    assert got.table4["行政复议"]["总计"] == 2
    assert got.table4["行政诉讼/未经复议直接起诉"]["总计"] == 1


def test_table4s_header_printed_upright_and_cut_over_cells_is_found_after_the_parts_heading():
    # given pymupdf4llm on a header printed one character a line: no cell names 行政复议 on its own ("行" / "政复" /
    # "议" in three cells, each with the words of the column under it)
    header = "|结 果 维 持|行 结 果 纠 正|政复 其 他 结 果|议 尚 未 审 结|总 计|未 结 果 维 持"
    header += "|经复 结 果 纠 正|议直 其 他 结 果|接起 尚 未 审 结|行政 诉 总 计|诉讼 结 果 维 持"
    header += "|复议 结 果 纠 正|后起 其 他 结 果|诉 尚 未 审 结|总 计|"
    lines = ["## 四、政府信息公开行政复议、行政诉讼情况", header, "|---" * 15 + "|"]
    lines += ["|0|1|1|0|2|1|0|0|0|1|0|0|0|0|0|", "## 五、存在的主要问题及改进情况"]
    got = extract(lines, "2021")
    # then the figures after the part's heading and the header's cells are 表四's, in the grid's order
    assert got.table4 is not None
    assert got.table4["行政复议"]["总计"] == 2
    assert got.table4["行政诉讼/未经复议直接起诉"]["结果维持"] == 1
    assert got.table4["行政诉讼/复议后起诉"]["总计"] == 0


def test_table4s_fifteen_figures_in_one_row_under_a_header_naming_one_group_are_the_whole_table():
    # given pymupdf4llm on WeasyPrint's print: the group header cut over cells ("行" / "政复议" … "行政" / "诉讼"),
    # the column names with pieces of 未经复议直接起诉 / 复议后起诉 between them, all 15 figures in one row
    lines = [
        "## 四、政府信息公开行政复议、行政诉讼情况",
        "||行|政复议|||||||行政|诉讼|||||",
        "|---" * 15 + "|",
    ]
    lines += [
        "|结果<br>维持|结果<br>纠正|其他<br>结果|尚未<br>审结|总<br>计|结果<br>维持|未经复<br>结果<br>纠正|议直接<br>"
        "其他<br>结果|起诉<br>尚未<br>审结|总<br>计|结果<br>维持|复<br>结果<br>纠正|议后起<br>其他<br>结果|诉<br>尚未<br>"
        "审结|总<br>计|",
        "|0|1|1|0|2|1|0|0|0|1|0|0|0|0|0|",
        "## 五、存在的主要问题及改进情况",
    ]
    got = extract(read_text("\n".join(lines).encode()).text.split("\n"), "2021")
    # then the row is the whole table, not one group's five cells with ten figures too many
    assert got.table4 is not None
    assert got.table4["行政复议"]["总计"] == 2
    assert got.table4["行政诉讼/未经复议直接起诉"]["结果维持"] == 1
    assert got.table4["行政诉讼/复议后起诉"]["总计"] == 0


def test_a_tables_lines_that_pymupdf4llm_joined_by_br_in_picture_text_are_lines():
    # given a table pymupdf4llm took for a picture: its printed lines joined by <br> in one paragraph between
    # comments, a row's figures between the two lines of its label
    text = "\n".join(
        [
            "## 三、收到和处理政府信息公开申请情况",
            "<!-- Start of picture text -->",
            "申请人情况<br>自然人 商业企业 科研机构 社会公益组织 法律服务机构 其他 总计<br>"
            "一、本年新收政府信息公开<br>5 1 0 0 0 0 6<br>申请数量<br>二、上年结转政府信息公开<br>2 0 0 0 0 0 2<br>"
            "申请数量<br><!-- End of picture text -->",
            "|（一）予以公开|3|1|0|0|0|0|4|",
        ]
    )
    lines = read_text(text.encode()).text.split("\n")
    # then each printed line is a line of its own (a cell's <br> inside a pipe row stays a space), the comments gone
    assert "2 0 0 0 0 0 2" in lines and "申请数量" in lines
    assert not any("<!--" in line or "<br>" in line for line in lines)
    got = extract(lines, "2021")
    assert got.table3 is not None
    assert got.table3["rows"][CARRIED] == [2, 0, 0, 0, 0, 0, 2]


def test_two_rows_pymupdf4llm_stacked_in_one_pipe_row_are_two_rows():
    # given a pipe row holding two printed rows, each cell's lines joined by <br> (the rule between them missed)
    line = "|**（六）**<br>**其他处**<br>**理**|**1.申请人无正当理由**<br>**逾期不补正**<br>2<br>**2.申请人逾期未按**"
    line += "<br>**收费通知要求**<br>0|0<br>0|0<br>0|0<br>0|1<br>0|0<br>0|3<br>0|"
    # then they are two rows: each figure cell's lines one to each row, the label cell cut after each figure
    assert read_text(line.encode()).text.split("\n") == [
        "|**（六）** **其他处** **理**|**1.申请人无正当理由** **逾期不补正** 2|0|0|0|1|0|3|",
        "||**2.申请人逾期未按** **收费通知要求** 0|0|0|0|0|0|0|",
    ]
    # and a label cell without figures is cut before its second row's item number
    line = "||**期不补正**<br>**申请**<br>**2.申请人逾期**|1<br>0|0<br>0|0<br>0|0<br>0|0<br>0|0<br>0|1<br>0|"
    assert read_text(line.encode()).text.split("\n") == [
        "||**期不补正** **申请**|1|0|0|0|0|0|1|",
        "||**2.申请人逾期**|0|0|0|0|0|0|0|",
    ]
    # but a row whose figure cells hold different numbers of lines stays one row
    line = "|**2.重复申请**|1<br>0|0|0|0|0|1|"
    assert read_text(line.encode()).text == "|**2.重复申请**|1 0|0|0|0|0|1|"


def test_a_page_footer_under_a_heading_mark_is_no_figure_of_the_row_above():
    # given PyMuPDF's Markdown of a page break inside 表二: the page number as a heading between two rows
    text = "\n".join(
        [
            "# 某某县人民政府2022年政府信息公开工作年度报告",
            "## 二、主动公开政府信息情况",
            "|第二十条第（一）项||||",
            "|---|---|---|---|",
            "|信息内容|本年制发件数|本年废止件数|现行有效件数|",
            "|规章|1|0|2|",
            "### — 1 —",
            "|行政规范性文件|88|55|698|",
        ]
    )
    [doc] = import_bytes(text.encode(), "report.md")
    # then the row before the footer keeps its own three figures
    assert doc["table2"]["第二十条第（一）项"]["规章"] == {
        "本年制发件数": 1,
        "本年废止件数": 0,
        "现行有效件数": 2,
    }


def test_a_note_under_table4s_header_does_not_end_the_table():
    # given 表四 as a PDF-to-Markdown converter gave it (r706): the header's words run together, a note the
    # unit printed under the header, then the data row as one Markdown row of 15 figures
    lines = ["四、政府信息公开行政复议、行政诉讼情况", "行政复议行政诉讼", "未经复议直接起诉复议后起诉"]
    lines += ["结果结果其他尚未", "总计结果结果其他尚未结果结果其他尚未", "维持纠正结果审结维持纠正结果审结"]
    lines += ["注：行政复议、行政诉讼数量含上年度结转数量。", "| 维持 | 纠正 | 结果 | 审结 | 总计 | 总计 |"]
    lines += [
        "|---|---|---|---|---|---|",
        "| 40 | 0 | 10 | 5 | 55 | 2 | 0 | 4 | 6 | 12 | 6 | 0 | 9 | 7 | 22 |",
    ]
    got = extract(lines, "2021")
    # then the figures after the note are 表四's, in the grid's order
    assert got.table4["行政复议"] == {
        "结果维持": 40,
        "结果纠正": 0,
        "其他结果": 10,
        "尚未审结": 5,
        "总计": 55,
    }
    assert got.table4["行政诉讼/复议后起诉"]["总计"] == 22


def test_table4s_header_without_figures_after_it_is_unread_not_blank():
    # given a consistent report whose 表四 figures were lost in conversion (its header, then the next part)
    text = shapes.render(shapes.consistent_document(3, "2021"), "pdf_like")
    header_end = text.index("\n", text.rindex("尚未审结 总计", 0, text.index("五、存在的主要问题")))
    text = text[:header_end] + "\n" + text[text.index("五、存在的主要问题") :]
    [doc] = import_bytes(text.encode(), "report.txt")
    # then the cells are empty and named as not read, never reported as left blank by the unit ("应填 0")
    assert doc["table4"] is not None and doc["table4"]["行政复议"]["总计"] is None
    codes = {f["code"] for f in doc["findings"] if any(c.startswith("table4") for c in f["cells"])}
    assert "import_cells" in codes and "cell_blank" not in codes


def test_a_blocks_rows_printed_after_the_last_blocks_header_are_that_blocks():
    # given 表二 as a PDF-to-Markdown converter gave it (r706): the block headers with their one-line rows first,
    # the first block's rows as small tables at the end
    lines = [
        "二、主动公开政府信息情况",
        "第二十条第（一）项",
        "第二十条第（五）项",
        "信息内容本年处理决定数量",
    ]
    lines += ["行政许可 5", "第二十条第（六）项", "信息内容本年处理决定数量", "行政处罚 0", "行政强制 0"]
    lines += ["第二十条第（八）项", "信息内容本年收费金额（单位：万元）", "行政事业性收费 0"]
    lines += ["| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |", "|---|---|---|---|"]
    lines += ["| 规章 | 1 | 0 | 2 |", "| 行政规范性文件 | 3 | 4 | 5 |", "三、收到和处理政府信息公开申请情况"]
    got = extract(lines, "2021")
    # then those rows are the first block's, and the last block keeps its own
    block = got.table2["第二十条第（一）项"]
    assert block["规章"] == {"本年制发件数": 1, "本年废止件数": 0, "现行有效件数": 2}
    assert block["行政规范性文件"] == {"本年制发件数": 3, "本年废止件数": 4, "现行有效件数": 5}
    assert got.table2["第二十条第（八）项"]["行政事业性收费"] == {"本年收费金额（单位：万元）": 0}
    assert got.table2["第二十条第（五）项"]["行政许可"] == {"本年处理决定数量": 5}
