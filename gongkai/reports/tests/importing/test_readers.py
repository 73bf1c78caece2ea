"""Readers: every file type gives the same figures; encodings, merges, layout tables, page furniture."""

from __future__ import annotations

import pytest

from gongkai.reports.importing.pipeline import import_bytes
from gongkai.reports.importing.readers import build_grid, decode_bytes, flatten_grid, read_bytes, sniff

from . import synth
from .seed_001_expected import TABLE2, TABLE3_ROWS, TABLE4


def _tables(doc):
    return doc["table2"], doc["table3"]["rows"] if doc["table3"] else None, doc["table4"]


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("report.html", lambda d: synth.to_html(d)),
        ("report.html", lambda d: synth.to_html(d, encoding="gbk")),
        ("report.htm", lambda d: synth.to_html(d, encoding="gb2312")),
        ("report.html", lambda d: synth.to_html(d, layout_table=False)),
        ("report.txt", lambda d: synth.to_text(d, "pipe").encode("utf-8")),
        ("report.txt", lambda d: synth.to_text(d, "pipe").encode("gb18030")),
        ("report.txt", lambda d: synth.to_text(d, "lines").encode("utf-8")),
        ("report.txt", lambda d: synth.to_text(d, "spaced").encode("utf-8")),
        ("report.docx", lambda d: synth.to_docx(d)),
    ],
)
def test_every_format_round_trips_seed_001_figures(luojiang, name, make):
    # given seed 001's figures published as HTML (any charset), flattened text or Word
    # when the file is imported
    [doc] = import_bytes(make(luojiang), name)
    # then every cell comes back exactly and the consistent report has no error
    assert _tables(doc) == (TABLE2, TABLE3_ROWS, TABLE4)
    assert not [f for f in doc["findings"] if f["severity"] == "error"]
    assert (doc["unit"], doc["year"], doc["format"]) == ("洛江区人民政府", 2020, "2019")


def test_text_based_pdf_round_trips(luojiang):
    # given a PDF with real tables (rows split over pages, page numbers in the footer)
    [doc] = import_bytes(synth.to_pdf(luojiang), "report.pdf")
    assert doc["source"]["filetype"] == "pdf"
    assert _tables(doc) == (TABLE2, TABLE3_ROWS, TABLE4)


def test_glued_digits_are_split_by_the_sum_rules(luojiang):
    # given 表三/表四 rows whose cells were run together ("一、本年新收…7000029")
    text = synth.to_text(luojiang, "glued", tables=("table3", "table4"))
    [doc] = import_bytes(text.encode(), "glued.txt")
    # then the only split of every row that satisfies the rules is taken
    assert doc["table3"]["rows"] == TABLE3_ROWS
    assert doc["table4"] == TABLE4


def test_html_grid_respects_rowspan_and_colspan():
    # given the 表三 header: A (rowspan 3, colspan 3) | 申请人情况 (colspan 7) …
    rows = [
        [("A", 3, 3), ("申请人情况", 1, 7)],
        [("自然人", 2, 1), ("法人或其他组织", 1, 5), ("总计", 2, 1)],
        [
            ("商业企业", 1, 1),
            ("科研机构", 1, 1),
            ("社会公益组织", 1, 1),
            ("法律服务机构", 1, 1),
            ("其他", 1, 1),
        ],
    ]
    grid = build_grid(rows)
    # then the grid is 10 wide, covered positions are None, and the third row's cells sit in columns 4–8
    assert [len(r) for r in grid] == [10, 10, 10]
    assert grid[0][0] == "A" and grid[1][0] is None and grid[2][2] is None
    assert grid[2][4:9] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    assert grid[1][3] == "自然人" and grid[2][3] is None and grid[1][9] == "总计"
    assert flatten_grid(grid).splitlines()[2] == "商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 |"


@pytest.mark.parametrize(
    ("data", "declared", "expected"),
    [
        ("政府信息公开".encode("gbk"), None, "政府信息公开"),
        ("政府信息公开".encode("gb2312"), "gb2312", "政府信息公开"),
        ("政府信息公开".encode(), "gbk", "政府信息公开"),  # the page declares the wrong charset
        ("政府信息公开".encode("gbk"), "utf-8", "政府信息公开"),
        ("\ufeff政府".encode("utf-8"), None, "政府"),
        ("政府信息公开年度报告".encode("utf-16"), None, "政府信息公开年度报告"),
        ("政府資訊公開年度報告".encode("big5"), "big5", "政府資訊公開年度報告"),
    ],
)
def test_decoding_tries_utf8_then_declared_then_gb18030(data, declared, expected):
    text, _ = decode_bytes(data, declared=declared)
    assert text == expected


@pytest.mark.parametrize(
    ("data", "name", "kind"),
    [
        (b"%PDF-1.4 ...", "x.bin", "pdf"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "x.doc", "doc"),
        (b"<html><body>x</body></html>", "x.txt", "html"),
        ("一、总体情况".encode(), "x", "text"),
        (b"\x89PNG\r\n\x1a\n", "x.png", "binary"),
    ],
)
def test_sniff_by_content(data, name, kind):
    assert sniff(data, name) == kind


def test_html_scripts_styles_and_layout_tables_are_not_content(luojiang):
    result = read_bytes(synth.to_html(luojiang), "x.html")
    assert "var x" not in result.text and "color: red" not in result.text
    assert "一、总体情况" in result.text.splitlines()


def test_traditional_big5_page_is_converted_to_simplified():
    # given a Big5 page in traditional characters with pinyin noise
    page = (
        "<html><head><meta charset='big5'></head><body><p>洛江區2020年政府信息公開工作年度報告</p>"
        "<p>一、總體情況</p><p>根據《條例》規定，本區受理申請9件。</p><p>五、存在的主要問題及改進情況</p><p>無。</p>"
        "</body></html>"
    ).encode("big5")
    [doc] = import_bytes(page, "x.html")
    assert doc["unit"] == "洛江区人民政府" and doc["year"] == 2020
    assert doc["sections"]["一"] == "根据《条例》规定，本区受理申请9件。"
    assert any(f["code"] == "import_traditional" for f in doc["findings"])


def test_pdf_text_wrapped_at_the_right_margin_is_one_line_again():
    # given PDF text lines (text, right edge): a paragraph wrapped at the margin with a figure cut in two, a label
    # broken over two lines, a table row the table finder missed, and a short last line
    from gongkai.reports.importing.readers_pdf import _unwrap

    lines = [
        ("全年主动公开政府信息1", 500.0),
        ("0407条。三、本年度办", 498.0),
        ("理结果", 120.0),
        ("0 0 0 0 0 0 0", 499.0),
        ("2.没有现成信息需要另", 497.0),
        ("行制作", 80.0),
        ("（七）总计 | 7 |", None),
    ]
    # then the wrapped lines are joined without a space (one figure, one label); figures in cells are not joined
    assert _unwrap(lines) == [
        "全年主动公开政府信息10407条。三、本年度办理结果",
        "0 0 0 0 0 0 0",
        "2.没有现成信息需要另行制作",
        "（七）总计 | 7 |",
    ]


def test_radical_look_alikes_of_pdf_fonts_are_read_as_characters():
    # given text extracted from a PDF whose font maps characters to Kangxi and supplement radicals
    from gongkai.reports.importing.normalise import normalise_text

    text, _ = normalise_text("⼆、主动公开政府信息情况 ⾏政规范性⽂件 ⻚⾯ ⼈⺠")
    # then they are the ordinary characters the labels are written in
    assert text == "二、主动公开政府信息情况 行政规范性文件 页面 人民"


needs_pdftotext = pytest.mark.skipif(
    __import__("shutil").which("pdftotext") is None, reason="poppler-utils (pdftotext) not installed"
)


@needs_pdftotext
@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_pdf_text_laid_out_by_pdftotext_round_trips(fmt):
    # given a consistent report printed to PDF and its text extracted with `pdftotext -layout` (columns spaced,
    # labels of narrow cells broken over lines, page numbers), imported as a .txt
    import subprocess
    import tempfile

    from . import shapes

    doc = shapes.consistent_document(5, fmt)
    doc["sections"] = {n: "本单位落实工作考核、社会评议和责任追究。" for n in "一五六"}
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(synth.to_pdf(doc))
        pdf.flush()
        text = subprocess.run(
            ["pdftotext", "-layout", "-enc", "UTF-8", pdf.name, "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    [got] = import_bytes(text.encode(), "report.txt")
    # then every cell comes back and the consistent report has no error
    assert _tables(got) == (doc["table2"], doc["table3"]["rows"], doc["table4"])
    assert [f["code"] for f in got["findings"] if f["severity"] == "error"] == []


def test_headings_inside_one_converted_line_are_cut_out():
    # given a page's layout table converted to Markdown: the date, headings and a table's first cell on one line
    text = "\n".join(
        [
            "# 某局2022年政府信息公开工作年度报告",
            "发布日期：2023-01-20 **一、总体情况** 本局落实工作考核、社会评议和责任追究。 "
            "**二、主动公开政府信息情况** | 第二十条第（一）项",
            "---|---",
            "信息内容| 本年制发件数| 本年废止件数| 现行有效件数",
            "规章| 0| 0| 0",
            "行政规范性文件| 3| 1| 25",
            "**三、收到和处理政府信息公开申请情况**",
        ]
    )
    [got] = import_bytes(text.encode(), "report.md")
    assert got["sections"]["一"] == "本局落实工作考核、社会评议和责任追究。"
    assert "二" in got["sections"]
    assert got["table2"]["第二十条第（一）项"]["行政规范性文件"] == {
        "本年制发件数": 3,
        "本年废止件数": 1,
        "现行有效件数": 25,
    }
