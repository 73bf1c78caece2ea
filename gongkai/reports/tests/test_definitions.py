"""Tests for the official report formats as data (statutory-rules.md §2–§3, report-json.md)."""

from datetime import date

import pytest

from gongkai.reports import definitions as d

LEAVES_2021 = [
    "三、本年度办理结果/（一）予以公开",
    "三、本年度办理结果/（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "三、本年度办理结果/（三）不予公开/1.属于国家秘密",
    "三、本年度办理结果/（三）不予公开/2.其他法律行政法规禁止公开",
    "三、本年度办理结果/（三）不予公开/3.危及“三安全一稳定”",
    "三、本年度办理结果/（三）不予公开/4.保护第三方合法权益",
    "三、本年度办理结果/（三）不予公开/5.属于三类内部事务信息",
    "三、本年度办理结果/（三）不予公开/6.属于四类过程性信息",
    "三、本年度办理结果/（三）不予公开/7.属于行政执法案卷",
    "三、本年度办理结果/（三）不予公开/8.属于行政查询事项",
    "三、本年度办理结果/（四）无法提供/1.本机关不掌握相关政府信息",
    "三、本年度办理结果/（四）无法提供/2.没有现成信息需要另行制作",
    "三、本年度办理结果/（四）无法提供/3.补正后申请内容仍不明确",
    "三、本年度办理结果/（五）不予处理/1.信访举报投诉类申请",
    "三、本年度办理结果/（五）不予处理/2.重复申请",
    "三、本年度办理结果/（五）不予处理/3.要求提供公开出版物",
    "三、本年度办理结果/（五）不予处理/4.无正当理由大量反复申请",
    "三、本年度办理结果/（五）不予处理/5.要求行政机关确认或重新出具已获取信息",
]
OTHER_2021 = [
    "三、本年度办理结果/（六）其他处理/1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "三、本年度办理结果/（六）其他处理/2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "三、本年度办理结果/（六）其他处理/3.其他",
]
HEAD = ["一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量"]
TAIL = ["三、本年度办理结果/（七）总计", "四、结转下年度继续办理"]


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("2021", HEAD + LEAVES_2021 + OTHER_2021 + TAIL),
        ("2019", HEAD + LEAVES_2021 + ["三、本年度办理结果/（六）其他处理"] + TAIL),
    ],
)
def test_table3_rows_are_the_official_keys_in_order(fmt, expected):
    # given the format / then its rows are exactly the report-json.md keys, 25 (2021) or 23 (2019)
    assert list(d.FORMATS[fmt].table3_row_keys) == expected
    assert len(expected) == {"2021": 25, "2019": 23}[fmt]


@pytest.mark.parametrize(("fmt", "rowspan"), [("2021", 22), ("2019", 20)])
def test_results_label_spans_all_result_rows(fmt, rowspan):
    spec = d.FORMATS[fmt]
    head = spec.row("三、本年度办理结果/（一）予以公开").label_cells[0]
    assert (head.text, head.rowspan) == ("三、本年度办理结果", rowspan)
    # every table row has 3 label columns once rowspans are counted
    occupied = [0] * len(spec.table3_rows)
    for i, row in enumerate(spec.table3_rows):
        for cell in row.label_cells:
            for j in range(i, i + cell.rowspan):
                occupied[j] += cell.colspan
    assert occupied == [3] * len(spec.table3_rows)


def test_header_widths():
    widths = [sum(c.colspan for c in row) for row in d.TABLE3_HEADER]
    assert widths == [10, 7, 5]  # row 1 spans all; rows 2–3 sit beside the rowspans
    t4 = [sum(c.colspan for c in row) for row in d.TABLE4.header]
    assert t4 == [15, 15, 10]


@pytest.mark.parametrize(
    ("code", "fmt", "row"),
    [
        ("1", "2019", "三、本年度办理结果/（一）予以公开"),
        ("3.3", "2021", "三、本年度办理结果/（三）不予公开/3.危及“三安全一稳定”"),
        ("6.1", "2019", "三、本年度办理结果/（六）其他处理"),
        ("6.3", "2019", "三、本年度办理结果/（六）其他处理"),
        ("6.2", "2021", OTHER_2021[1]),
        ("6.3", "2021", OTHER_2021[2]),
    ],
)
def test_outcome_codes_map_to_rows(code, fmt, row):
    assert d.FORMATS[fmt].outcome_rows[code] == row


@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_every_outcome_code_has_exactly_one_row(fmt):
    assert set(d.FORMATS[fmt].outcome_rows) == set(d.OUTCOME_CODES)
    assert len(d.OUTCOME_CODES) == 21  # 1, 2, 3.1–3.8, 4.1–4.3, 5.1–5.5, 6.1–6.3


@pytest.mark.parametrize(
    ("fmt", "width", "items"),
    [
        (
            "2019",
            5,
            [
                "第二十条第（一）项",
                "第二十条第（五）项",
                "第二十条第（六）项",
                "第二十条第（八）项",
                "第二十条第（九）项",
            ],
        ),
        ("2021", 4, ["第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项"]),
    ],
)
def test_table2_blocks_fill_the_table_width(fmt, width, items):
    layout = d.FORMATS[fmt].table2_layout
    assert layout.width == width
    assert [b.item for b in layout.blocks] == items
    for block in layout.blocks:
        assert 1 + sum(c.colspan for c in block.columns) == width


def test_table2_2021_labels():
    layout = d.FORMATS["2021"].table2_layout
    assert layout.block("第二十条第（一）项").rows == ("规章", "行政规范性文件")
    assert [c.label for c in layout.block("第二十条第（八）项").columns] == ["本年收费金额（单位：万元）"]


@pytest.mark.parametrize(
    ("year", "fmt"),
    [(2008, "pre2019"), (2018, "pre2019"), (2019, "2019"), (2020, "2019"), (2021, "2021"), (2030, "2021")],
)
def test_format_for_year(year, fmt):
    assert d.format_for_year(year) == fmt


@pytest.mark.parametrize(
    ("year", "kind", "deadline"),
    [
        (2020, "department", date(2021, 1, 31)),
        (2020, "government", date(2021, 3, 31)),
        (2017, "department", date(2018, 3, 31)),
        (2024, None, date(2025, 1, 31)),
    ],
)
def test_publication_deadline(year, kind, deadline):
    assert d.publication_deadline(year, kind) == deadline


@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_empty_document_lists_every_cell(fmt):
    doc = d.empty_document("某局", 2022, fmt, "self")
    spec = d.FORMATS[fmt]
    assert list(doc["table3"]["rows"]) == list(spec.table3_row_keys)
    assert all(d.cell_value(doc, ref) == 0 for ref in spec.table3_cells())
    assert all(d.cell_value(doc, ref) == 0 for ref in spec.table2_layout.cells())
    assert all(d.cell_value(doc, ref) == 0 for ref in spec.table4_layout.cells())
    assert set(doc["sections"]) == set(d.SECTION_NUMBERS)


def test_pre2019_skeleton_has_no_tables():
    doc = d.empty_document("某局", 2015, "pre2019", "unknown", fill=None)
    assert (doc["table2"], doc["table3"], doc["table4"]) == (None, None, None)


@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_sum_rules_cover_every_table3_and_table4_cell(fmt):
    spec = d.FORMATS[fmt]
    covered = {ref for rule in spec.sum_rules for ref in rule.cells}
    assert set(spec.table3_cells()) <= covered
    assert set(spec.table4_layout.cells()) <= covered
    codes = {r.code for r in spec.sum_rules}
    assert codes == {"table3_row_total", "table3_results_total", "table3_identity", "table4_total"}


def test_official_labels_are_exact():
    # given the labels built from the applications vocabulary / then they are the official wording, to the
    # character (statutory-rules.md §2.3 columns, §2.5 表四; the 表三 rows are pinned above)
    assert d.TABLE3_COLUMNS == (
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
        "总计",
    )
    assert [[c.text for c in row] for row in d.TABLE3_HEADER[1:]] == [
        ["自然人", "法人或其他组织", "总计"],
        ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"],
    ]
    assert d.TABLE4_COLUMNS == ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    assert d.TABLE4_GROUPS == ("行政复议", "行政诉讼/未经复议直接起诉", "行政诉讼/复议后起诉")
    assert [[c.text for c in row] for row in d.TABLE4.header[:2]] == [
        ["行政复议", "行政诉讼"],
        ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"],
    ]


def test_catalogue_keys_map_to_the_2021_regulation_block():
    # given the catalogue's neutral keys / then each names a cell of 表二 第二十条第（一）项 (2021)
    block = d.FORMATS["2021"].table2_layout.block(d.CATALOGUE_ITEM)
    assert tuple(d.CATALOGUE_ROWS.values()) == block.rows == ("规章", "行政规范性文件")
    assert tuple(d.CATALOGUE_COLUMNS.values()) == tuple(c.label for c in block.columns)
