"""Extraction: label matching, cell values, run-together digits, sparse rows, format detection."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.reports import definitions as defs
from gongkai.reports.importing.extract import value_candidates
from gongkai.reports.importing.extract_table3 import row_accept
from gongkai.reports.importing.pipeline import import_bytes
from gongkai.reports.importing.tokens import parse_value, tokenize

from . import synth

R = "三、本年度办理结果"
OTHER_1 = f"{R}/（六）其他处理/1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
OTHER_2 = f"{R}/（六）其他处理/2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"


def report_2021() -> dict:
    """A consistent 2021-format report: 12 received, 2 carried in, outcomes 10 + 1 + 1, 2 carried out."""
    doc = defs.empty_document("某市交通运输局", 2022, "2021", "unknown", fill=0)
    rows = doc["table3"]["rows"]
    rows[defs.RECEIVED] = [10, 1, 0, 0, 0, 1, 12]
    rows[defs.CARRIED_IN] = [2, 0, 0, 0, 0, 0, 2]
    rows[f"{R}/（一）予以公开"] = [8, 1, 0, 0, 0, 1, 10]
    rows[OTHER_1] = [1, 0, 0, 0, 0, 0, 1]
    rows[f"{R}/（六）其他处理/3.其他"] = [1, 0, 0, 0, 0, 0, 1]
    rows[defs.RESULTS_TOTAL] = [10, 1, 0, 0, 0, 1, 12]
    rows[defs.CARRIED_OUT] = [2, 0, 0, 0, 0, 0, 2]
    doc["table2"]["第二十条第（一）项"]["行政规范性文件"] = {
        "本年制发件数": 3,
        "本年废止件数": 1,
        "现行有效件数": 25,
    }
    doc["table2"]["第二十条第（五）项"]["行政许可"] = {"本年处理决定数量": 1520}
    doc["table2"]["第二十条第（八）项"]["行政事业性收费"] = {"本年收费金额（单位：万元）": 12.5}
    doc["table4"]["行政复议"] = {"结果维持": 1, "结果纠正": 0, "其他结果": 0, "尚未审结": 1, "总计": 2}
    doc["sections"] = {"一": "本局做了工作，工作考核、社会评议和责任追究。", "五": "问题。", "六": "无。"}
    return doc


def _import(text: str) -> dict:
    [doc] = import_bytes(text.encode(), "x.txt")
    return doc


def test_2021_format_is_detected_and_read_with_its_sub_rows():
    doc = report_2021()
    got = _import(synth.to_text(doc, "pipe"))
    assert got["format"] == "2021" and got["year"] == 2022
    assert got["table3"]["rows"] == doc["table3"]["rows"]
    assert got["table2"] == doc["table2"] and got["table4"] == doc["table4"]
    assert not [f for f in got["findings"] if f["severity"] == "error"]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (
            "、行政机关不再处理",
            "，行政机关不再处理",
        ),  # （六） sub-labels with "，" (OCR, statutory-rules §2.3)
        ("1.申请人无正当理由", "1. 申请人 无正当理由"),  # spaces
        ("（一）予以公开", "(一)予以公开"),  # half-width brackets
        ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "（二）部分公开"),  # truncated
        ("2.没有现成信息需要另行制作", "2.没有现成信息需耍另行制作"),  # OCR noise (耍 for 要)
        ("3.危及“三安全一稳定”", '3.危及"三安全一稳定"'),  # straight quotes
        ("一、本年新收政府信息公开申请数量", "一、本年新收政府信息公开申请 数量"),
    ],
)
def test_label_variants_are_matched(old, new):
    doc = report_2021()
    text = synth.to_text(doc, "pipe")
    assert old in text
    got = _import(text.replace(old, new))
    assert got["table3"]["rows"] == doc["table3"]["rows"]


def test_blank_stays_null_and_slash_stays_text():
    # given a report whose 自然人 cell of （一） is blank and whose 商业企业 cell is "/"
    doc = report_2021()
    doc["table3"]["rows"][f"{R}/（一）予以公开"] = [None, "/", 0, 0, 0, 1, 10]
    got = _import(synth.to_text(doc, "pipe"))
    # then the importer keeps them as they are, and the checker reports both cells
    assert got["table3"]["rows"][f"{R}/（一）予以公开"] == [None, "/", 0, 0, 0, 1, 10]
    by_code = {f["code"]: f["cells"] for f in got["findings"]}
    assert by_code["cell_blank"] == [f"table3:{R}/（一）予以公开:自然人"]
    assert by_code["cell_not_number"] == [f"table3:{R}/（一）予以公开:商业企业"]


def test_a_real_inconsistency_is_flagged_with_its_cells():
    doc = report_2021()
    doc["table3"]["rows"][defs.RESULTS_TOTAL] = [10, 1, 0, 0, 0, 1, 13]
    got = _import(synth.to_text(doc, "pipe"))
    codes = {f["code"] for f in got["findings"] if f["severity"] == "error"}
    assert {"table3_row_total", "table3_identity"} <= codes
    assert any(f"table3:{defs.RESULTS_TOTAL}:总计" in f["cells"] for f in got["findings"])


def test_run_together_row_is_decided_by_the_other_rows():
    # given row 一 = [1, 11, 0, 0, 0, 0, 12] published as "111 0 0 0 0 12": 1|11 and 11|1 both fit its total
    doc = report_2021()
    rows = doc["table3"]["rows"]
    rows[defs.RECEIVED] = [1, 11, 0, 0, 0, 0, 12]
    rows[f"{R}/（一）予以公开"] = [0, 10, 0, 0, 0, 0, 10]
    rows[OTHER_1] = [0, 1, 0, 0, 0, 0, 1]
    rows[f"{R}/（六）其他处理/3.其他"] = [1, 0, 0, 0, 0, 0, 1]
    rows[defs.RESULTS_TOTAL] = [1, 11, 0, 0, 0, 0, 12]
    rows[defs.CARRIED_IN] = [0] * 7
    rows[defs.CARRIED_OUT] = [0] * 7
    text = synth.to_text(doc, "pipe")
    glued = text.replace(
        "一、本年新收政府信息公开申请数量 |\n1 |\n11 |", "一、本年新收政府信息公开申请数量 |\n111 |"
    )
    assert glued != text
    # when the other rows are intact, the per-column identity picks the published reading, silently
    got = _import(glued)
    assert got["table3"]["rows"][defs.RECEIVED] == [1, 11, 0, 0, 0, 0, 12]
    assert "import_ambiguous_split" not in {f["code"] for f in got["findings"]}
    # when （七）总计 is run together the same way, the outcome rows still pin it: the aligner reads both rows
    both = glued.replace("（七）总计 |\n1 |\n11 |", "（七）总计 |\n111 |")
    assert both != glued
    got = _import(both)
    assert (
        got["table3"]["rows"][defs.RESULTS_TOTAL]
        == got["table3"]["rows"][defs.RECEIVED]
        == rows[defs.RECEIVED]
    )
    assert "import_ambiguous_split" not in {f["code"] for f in got["findings"]}


def test_run_together_rows_that_nothing_decides_are_left_empty_and_named():
    # given 一, （一）予以公开 and （七）总计 all [1, 11, 0, 0, 0, 0, 12] published as "111 0 0 0 0 12":
    # 1|11 and 11|1 both hold every rule when the three rows are read alike
    doc = report_2021()
    rows = doc["table3"]["rows"]
    for key in list(rows):
        rows[key] = [0] * 7
    for key in (defs.RECEIVED, f"{R}/（一）予以公开", defs.RESULTS_TOTAL):
        rows[key] = [1, 11, 0, 0, 0, 0, 12]
    text = synth.to_text(doc, "pipe").replace("|\n1 |\n11 |", "|\n111 |")
    got = _import(text)
    ambiguous = [f for f in got["findings"] if f["code"] == "import_ambiguous_split"]
    named = {c for f in ambiguous for c in f["cells"]}
    for key in (defs.RECEIVED, f"{R}/（一）予以公开", defs.RESULTS_TOTAL):
        # then the two cells are left empty and named, the rest of the row is read
        assert got["table3"]["rows"][key] == [None, None, 0, 0, 0, 0, 12]
        assert {f"table3:{key}:自然人", f"table3:{key}:商业企业"} <= named
    assert all("“1 11 0 0 0 0 12”" in f["message"] or "“11 1 0 0 0 0 12”" in f["message"] for f in ambiguous)
    # and no error accuses the report of a blank the importer left
    assert not [f for f in got["findings"] if f["code"] == "cell_blank"]


def test_sparse_row_flattened_without_its_blank_cells():
    # given a page that dropped empty cells: "一、… | 3 | 3 | |||||||" (real layout, 岳阳 2019 reports)
    text = "\n".join(
        [
            "某局2019年政府信息公开工作年度报告",
            "三、收到和处理政府信息公开申请情况",
            "一、本年新收政府信息公开申请数量 |",
            "3 |",
            "3 |",
            "|||||||",
            "二、上年结转政府信息公开申请数量 |",
            "||||||||",
            "三、本年度办理结果 |",
            "（一）予以公开 |",
            "3 |",
            "3 |",
            "||||||",
            "（七）总计 |",
            "3 |",
            "3 |",
            "|||||||",
            "四、结转下年度继续办理 |",
            "||||||||",
        ]
    )
    got = _import(text)
    rows = got["table3"]["rows"]
    # the 总计 is certain (a last figure equal to the others' sum); which applicant column the other 3 is in
    # is not: every row of the table has that shape, so it is read as the pattern such a table has (自然人 and
    # 总计, extract_sparse) — a pick, so a warning names every cell read that way and says what else it could be
    assert rows[defs.RECEIVED] == [3, None, None, None, None, None, 3]
    assert rows[defs.CARRIED_IN] == [None] * 7
    assert rows[f"{R}/（一）予以公开"] == [3, None, None, None, None, None, 3]
    [likely] = [f for f in got["findings"] if f["code"] == "import_positions_likely"]
    assert {f"table3:{defs.RECEIVED}:自然人", f"table3:{defs.RECEIVED}:商业企业"} <= set(likely["cells"])
    assert "同样符合勾稽关系，请核对原文" in likely["message"]


@pytest.mark.parametrize(
    ("text", "value"),
    [("12", 12), ("-10", -10), ("1,166", 1166), ("101647022.75元", "101647022.75元"), ("12.5", 12.5),
     ("", None), ("/", "/"), ("—", "—"), ("无", "无"), ("减3", -3), ("增5", 5)],
)  # fmt: skip
def test_parse_value(text, value):
    assert parse_value(text) == value


def test_tokenize_pipes_blank_cells_and_noise():
    tokens = tokenize(["规章 | 0 | ? 0 | |", "||", "（七）总计 7 0 0 0 0 2 9"])
    assert [t.text for t in tokens] == [
        "规章",
        "0",
        "0",
        "",
        "",
        "",
        "（七）总计",
        "7",
        "0",
        "0",
        "0",
        "0",
        "2",
        "9",
    ]
    assert [t.is_value for t in tokens][:2] == [False, True]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=99), min_size=6, max_size=6))
def test_glued_row_split_recovers_the_values_when_unique(parties):
    # property: a glued row is read back as one of the splits that satisfy 总计 = sum, and the
    # published values are always among the candidates
    values = [*parties, sum(parties)]
    glued = "".join(str(v) for v in values)
    accept = row_accept(defs.FORMATS["2021"], defs.RECEIVED)
    candidates, how = value_candidates([glued], 7, accept)
    assert how == "split"
    assert [str(v) for v in values] in candidates
    assert all(int(c[-1]) == sum(int(x) for x in c[:-1]) for c in candidates)


def test_wrong_format_for_year_is_an_error():
    # given a 2022 report still using the 2019 table (第二十条第（九）项, 本年新制作数量)
    doc = copy.deepcopy(report_2021())
    doc["format"] = "2019"
    doc["table2"] = defs.empty_document("x", 2020, "2019", "unknown", fill=0)["table2"]
    doc["table3"] = defs.empty_document("x", 2020, "2019", "unknown", fill=0)["table3"]
    got = _import(synth.to_text(doc, "pipe"))
    assert got["format"] == "2019"
    assert "format_wrong_for_year" in {f["code"] for f in got["findings"]}


def test_label_wrapped_onto_the_next_line_keeps_its_values():
    doc = report_2021()
    text = synth.to_text(doc, "spaced")
    leaf = "2.没有现成信息需要另行制作"
    row = next(line for line in text.splitlines() if line.startswith(leaf))
    wrapped = text.replace(row, "2.没有现成信息需要另\n行制作" + row[len(leaf) :])
    doc["table3"]["rows"][f"{R}/（四）无法提供/{leaf}"] = [0, 0, 0, 0, 0, 0, 0]
    got = _import(wrapped)
    assert got["table3"]["rows"] == doc["table3"]["rows"]


@pytest.mark.parametrize(
    "title",
    [
        "怀化市政务公开政务服务领导小组办公室关于认真做好2021年政府信息公开工作年度报告编制发布工作的通知",
        "2019年政务公开工作总结",
        "2022年政务公开工作要点",
    ],
)
def test_notices_and_summaries_are_not_reports(title):
    got = _import(f"{title}\n各县市区人民政府：\n一、准确领会，认真部署\n年报是法定制度安排。")
    assert got["kind"] == "not_a_report"
    assert [f["code"] for f in got["findings"]] == ["not_a_report"]


def test_added_subtotal_column_is_dropped():
    # given a tool's 表三 with an extra 法人或其他组织小计 column after 其他 (8 figures per row)
    doc = report_2021()
    text = synth.to_text(doc, "spaced")
    lines = []
    for line in text.splitlines():
        words = line.split()
        figures = [w for w in words if w.isdigit()]
        if len(figures) == 7 and not line.startswith("0 0 0 0 0 0 0 0"):
            values = [int(f) for f in figures]
            label = "" if words[0].isdigit() else " ".join(words[: words.index(figures[0])])
            values.insert(6, sum(values[1:6]))
            line = " ".join([label, *map(str, values)]).strip()
        lines.append(line)
    got = _import("\n".join(lines))
    assert got["table3"]["rows"] == doc["table3"]["rows"]
    assert "import_subtotal_dropped" in {f["code"] for f in got["findings"]}


@pytest.mark.parametrize(("text", "value"), [("12件", 12), ("1，125", "1，125")])
def test_counts_with_unit(text, value):
    assert parse_value(text) == value


def test_full_width_thousands_separator_in_a_cell():
    assert [t.text for t in tokenize(["行政许可 | 1，125 |"])] == ["行政许可", "1,125"]


def test_subtotal_rows_added_by_tools_are_ignored():
    # given a 表三 with a subtotal row for （三）不予公开 (not in the format) before its sub-rows
    doc = report_2021()
    text = synth.to_text(doc, "spaced")
    first = next(line for line in text.splitlines() if "1.属于国家秘密" in line)
    text = text.replace(first, "（三）不予公开 0 0 0 0 0 0 0\n" + first.replace("（三）不予公开", "").strip())
    got = _import(text)
    assert got["table3"]["rows"] == doc["table3"]["rows"]


def test_metadata_table_gives_unit_code_publisher_and_date():
    # given a page whose metadata table (flattened) carries the index number, publisher and date
    text = "\n".join(
        [
            "索引号 | 11341702486344515H/2022-00013 | 组配分类 | 年度报告 |",
            "发布机构 | 宁国市商务局 | 发文日期 | 2022-02-08 15:47 |",
            "2021年政府信息公开工作年度报告",
            "一、总体情况",
            "本局做了工作。",
        ]
    )
    got = _import(text)
    assert got["unit"] == "宁国市商务局"
    assert got["unit_code"] == "11341702486344515H"
    # a department's 2021 report published on 8 February is late (条例第四十九条: 1月31日)
    assert "published_late" in {f["code"] for f in got["findings"]}


@pytest.mark.parametrize("raw", [["1" * 30], ["9" * 20, "8" * 20, "7", "6" * 14]])
def test_long_digit_runs_in_a_wide_row_are_bounded(raw):
    # Given a 表四-wide row (15 columns) holding long digit runs: millions of ways to cut them into cells
    # (found by the fuzz test: one 30-digit run used up the machine's memory)
    candidates, how = value_candidates(raw, 15)
    # Then the reader gives up splitting within its budget and falls back to positions, flagged for checking
    assert how in ("split", "positional") and 0 < len(candidates) <= 20000
    assert all(len(c) == 15 for c in candidates)


def test_fuzz_text_import_with_long_digit_runs_in_the_remedy_table():
    # The fuzz input shape that hung CI: a 表四 label followed by a long run of digits
    lines = ["四、政府信息公开行政复议、行政诉讼情况", "行政复议 |", "1" * 30, "行政诉讼 |", "2" * 29 + " 3"]
    docs = import_bytes("\n".join(lines).encode(), "f.txt")
    assert all("findings" in d for d in docs)
