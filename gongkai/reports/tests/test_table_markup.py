"""The report tables tell a screen reader which headers each figure belongs to (issue 18, accessibility).

A header-association check on the rendered HTML: every figure names, through ``headers``, header cells of its own
table, and the names read back are the official labels of its row and its (up to three levels of) columns.
"""

from __future__ import annotations

import lxml.html
import pytest

from gongkai.reports import definitions as d
from gongkai.reports.render import render_html

from .test_render import SEED_001, doc_2021


def _tables(doc, **kw):
    tree = lxml.html.fromstring(render_html(doc, **kw))
    return {
        name: tree.xpath(f"//table[contains(@class, 'report-{name}')]")[0]
        for name in ("table2", "table3", "table4")
    }


def _header_texts(table, cell):
    ids = (cell.get("headers") or "").split()
    by_id = {th.get("id"): th for th in table.xpath(".//th[@id]")}
    assert all(i in by_id for i in ids), f"{cell.text_content()} 引用了表外或不存在的表头：{ids}"
    return [by_id[i].text_content() for i in ids]


@pytest.mark.parametrize("doc", [SEED_001, doc_2021()])
def test_every_figure_names_its_headers_in_its_own_table(doc):
    for name, table in _tables(doc).items():
        assert table.xpath("./caption")[0].text_content().startswith(name.replace("table", "表").translate(
            str.maketrans("234", "二三四")))  # fmt: skip
        figures = table.xpath(".//td[contains(@class, 'num')]")
        assert figures, name
        for td in figures:
            texts = _header_texts(table, td)
            assert texts, f"{name} 的数字 {td.text_content()} 没有关联表头"
        ids = [e.get("id") for e in table.xpath(".//*[@id]")]
        assert len(ids) == len(set(ids)), f"{name} 的表头编号重复"


def test_table3_figure_reads_its_three_column_levels_and_three_row_levels():
    table = _tables(doc_2021())["table3"]
    assert [th.text_content() for th in table.xpath("./thead//th")][:3] == [
        "申请人情况",
        "自然人",
        "法人或其他组织",
    ]
    row = next(tr for tr in table.xpath("./tbody/tr") if "1.属于国家秘密" in tr.text_content())
    commercial = row.xpath("./td")[1]  # 自然人, then 商业企业
    assert _header_texts(table, commercial) == [
        "申请人情况", "法人或其他组织", "商业企业", "三、本年度办理结果", "（三）不予公开", "1.属于国家秘密",
    ]  # fmt: skip
    total = row.xpath("./td")[-1]
    assert _header_texts(table, total) == [
        "申请人情况",
        "总计",
        "三、本年度办理结果",
        "（三）不予公开",
        "1.属于国家秘密",
    ]
    # the corner is a note on the arithmetic, not a header of anything
    corner = table.xpath("./thead/tr[1]/*[1]")[0]
    assert corner.tag == "td" and corner.text_content() == d.TABLE3_IDENTITY_NOTE
    # row labels are row headers
    assert all(th.get("scope") in ("row", "rowgroup") for th in table.xpath("./tbody//th"))


def test_table2_blocks_are_separate_groups_and_table4_reads_its_nested_columns():
    tables = _tables(SEED_001)
    table2 = tables["table2"]
    blocks = table2.xpath("./tbody")
    assert len(blocks) == len(d.FORMATS[SEED_001["format"]].table2_layout.blocks) and not table2.xpath(
        "./thead"
    )
    first = blocks[0]
    figure = first.xpath(".//td[contains(@class, 'num')]")[0]
    block_item = first.xpath("./tr[1]/th")[0].text_content()
    labels = _header_texts(table2, figure)
    assert labels[0] == block_item and len(labels) == 3  # the block's item, the column, the row
    # a figure of the second block names nothing of the first
    second = blocks[1].xpath(".//td[contains(@class, 'num')]")[0]
    assert block_item not in _header_texts(table2, second)
    table4 = tables["table4"]
    figures = table4.xpath("./tbody//td")
    assert _header_texts(table4, figures[11]) == ["行政诉讼", "复议后起诉", "结果纠正"]


def test_each_chart_has_its_figures_as_a_table():
    tree = lxml.html.fromstring(render_html(SEED_001, monthly=list(range(1, 13))))
    charts = tree.xpath("//figure")
    assert len(charts) == 2
    months = charts[0].xpath(".//table")[0]
    assert months.xpath("./caption")[0].text_content() == "每月收到申请（件）"
    assert [tr.xpath("./th")[0].text_content() for tr in months.xpath("./tbody/tr")][:2] == ["1月", "2月"]
    assert [td.text_content() for td in months.xpath("./tbody/tr/td")] == [str(n) for n in range(1, 13)]
    outcomes = charts[1].xpath(".//table")[0]
    assert outcomes.xpath("./tbody/tr[1]/th")[0].text_content().startswith("（一）")
