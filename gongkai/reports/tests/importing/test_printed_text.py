"""A page printed to PDF and extracted with its layout (issue #16, "PDF text"): wrapped running text with the
extractor's gaps, page breaks and page numbers is joined again; a layout table's rows are not; a caption a
converter wrote into a table's first cell stands apart. The dev half of the corpus laid out that way is read as
well as its one-line original (bench/bench_variants.py measures the same on every dev report)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from gongkai.reports.importing.breaks import join_wrapped
from gongkai.reports.importing.normalise import normalise_text
from gongkai.reports.importing.pipeline import import_bytes
from gongkai.reports.importing.tokens import tokenize

from .layout import pdf_layout

CORPUS = Path(__file__).resolve().parents[4] / "bench" / "corpus"
FILL = "本单位坚持以公开为常态、不公开为例外，持续推进政务公开工作，提升公开质量和实效，回应社会关切。"


def test_spaced_out_wrapped_text_is_joined_across_gaps_page_breaks_and_page_numbers() -> None:
    # given running text printed at 40 characters a line, spaces widened into gaps, a page break with its number
    lines = [
        "    " + FILL[:40],
        "    " + FILL[40:] + FILL[: 40 - len(FILL[40:])],
        "    自然人法人或其他组织总计商业企业  科研机构  社会公益组织一、本年新收政府信息公开申",
        "",
        "                     2",
        "\f    请数量 0   0 0    0  00 0 二、上年结转政府信息公开申请数量0 0 0 0 0 0 0 三、本年",
        "    度办理结果（一）予以公开 3 0 0 0 0 0 3（二）部分公开（区分处理的，只计这一情形）",
        "    短行。",
    ]
    text, _ = normalise_text("\n".join(lines))
    joined = join_wrapped(text.split("\n"))
    # then the label cut at the page break is whole again and the page number is gone
    assert any("一、本年新收政府信息公开申请数量 0   0 0" in line for line in joined)
    assert not any(line.strip() == "2" for line in joined)
    assert any("三、本年度办理结果" in line for line in joined)


def test_rows_of_a_layout_table_are_not_joined() -> None:
    # given a table as pdftotext -layout prints it between lines of wrapped prose
    prose = "  " + FILL[:38]
    lines = [prose] * 6 + [
        "  信息内容                   本年制发件数       本年废止件数     现行有效件数",
        "  规章                     1            0          11",
        "  行政规范性文件                8            26         66",
        "  一、本年新收政府信息公开申请数量         3001 53    0    0     61    4   3119",
        "  二、上年结转政府信息公开申请数量         34    0    0    0     0     0    34",
    ]
    joined = join_wrapped(lines)
    # then every row stays a line of its own
    assert joined[-5:] == [line[2:] for line in lines[-5:]]


def test_a_caption_in_the_first_cell_is_its_own_token() -> None:
    tokens = tokenize(
        [
            "表四：政府信息公开行政复议、行政诉讼情况 行政复议| 行政诉讼  ",
            "表二：主动公开政府信息情况 第二十条第（一）项",
        ]
    )
    texts = [t.text for t in tokens]
    assert "行政复议" in texts and "第二十条第（一）项" in texts


def _dev_one_line_reports() -> list[str]:
    split = json.loads((CORPUS / "split.json").read_text(encoding="utf-8"))
    out = []
    for ident in split["dev"]:  # the development half only: the test half is never opened
        label = json.loads((CORPUS / "labels" / f"{ident}.json").read_text(encoding="utf-8"))
        if label["shape"] == "one_line_text" and not label.get("derived"):
            out.append(ident)
    return out[::4]


def _cells(doc: dict) -> dict[str, object]:
    out: dict[str, object] = {}
    for table in ("table2", "table3", "table4"):
        out[table] = json.dumps(doc.get(table), ensure_ascii=False, sort_keys=True, default=str)
    return out


@pytest.mark.parametrize("ident", _dev_one_line_reports())
def test_a_dev_report_printed_and_extracted_reads_as_its_one_line_original(ident: str) -> None:
    # given a real one-line report of the dev half and the same text printed and extracted with its layout
    label = json.loads((CORPUS / "labels" / f"{ident}.json").read_text(encoding="utf-8"))
    data = (CORPUS / "files" / label["file"]).read_bytes()
    [original] = import_bytes(data, label["file"])
    text = data.decode("utf-8", errors="replace")
    for seed in range(2):
        laid = pdf_layout(text, random.Random(f"{ident}:{seed}"))
        [printed] = import_bytes(laid.encode(), f"{ident}.txt")
        # then 表二, 表三 and 表四 come back as from the original
        assert _cells(printed) == _cells(original), f"{ident} seed {seed}"


def test_a_merged_value_cell_repeated_by_the_converter_is_one_figure() -> None:
    # given a Markdown table whose converter repeated merged cells into every column they span
    lines = [
        "| 第二十条第（五）项 | 第二十条第（五）项 | 第二十条第（五）项 | 第二十条第（五）项 |",
        "|---|---|---|---|",
        "| 信息内容 | 本年处理决定数量 | 本年处理决定数量 | 本年处理决定数量 |",
        "| 行政许可 | 10690 | 10690 | 10690 |",
        "| 行政处罚 | 2113 |  |  |",
        "| 结果维持 | 结果纠正 | 其他结果 | 总计 |",
        "| 0 | 0 | 0 | 0 |",
    ]
    values = [(t.text, t.line) for t in tokenize(lines) if t.is_value]
    # then the figure under the merged header is read once, and a row under a header without merged cells keeps
    # its equal figures
    assert values == [("10690", 3), ("2113", 4), ("0", 6), ("0", 6), ("0", 6), ("0", 6)]


def test_an_escaped_pipe_is_text_not_a_cell_boundary() -> None:
    tokens = tokenize([r"| 3.其他（含 A\|B 类） | 1 | 2 |"])
    assert [t.text for t in tokens if t.is_value] == ["1", "2"]
