"""表二 (issue 16): signed 本年增/减 and amounts in digit runs, column kinds, and figures the text states."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.reports import definitions as defs
from gongkai.reports.importing.extract import extract
from gongkai.reports.importing.extract_fit import value_candidates
from gongkai.reports.importing.extract_likely import likeliest
from gongkai.reports.importing.extract_stated import stated_figures
from gongkai.reports.importing.extract_table2 import column_accept
from gongkai.reports.importing.tokens import parse_value, tokenize

ITEM5 = "第二十条第（五）项"
HEAD_2019 = (
    "第二十条第（一）项信息内容本年新制作数量本年新公开数量对外公开总数量规章000规范性文件222"
    f"{ITEM5}信息内容上一年项目数量本年增/减处理决定数量"
)


def _table2(rows: str, fmt: str = "2019", prose: str = "") -> tuple[Any, list]:
    line = f"一、总体情况{prose}二、主动公开政府信息情况{rows}三、收到和处理政府信息公开申请情况" + "。" * 160
    got = extract([line], fmt)
    return got.table2, got.findings


def _named(findings: list) -> set[str]:
    return {c for f in findings if f.severity in ("warning", "error") for c in f.cells}


def test_a_sign_starts_the_change_column_and_figures_after_a_label_are_cut_at_it():
    # given "行政许可20+1738": 20 | +17 | 38 printed without separators (r205's layout)
    assert [t.text for t in tokenize(["行政许可20+1738"])] == ["行政许可", "20", "+1738"]
    # then only readings with the sign in 本年增/减 remain: 20 is certain; 20 +1 738 and 20 +17 38 both remain
    # (extract_likely: no sum holds, no 0, both changes within 20), so the rest is left empty and named
    table, findings = _table2(
        HEAD_2019
        + "行政许可20+1738其他对外管理服务事项000第二十条第（八）项信息内容上一年项目数量本年增/减行政事业性收费15-15"
    )
    permit = table[ITEM5]["行政许可"]
    assert permit == {"上一年项目数量": 20, "本年增/减": None, "处理决定数量": None}
    assert {f"table2:{ITEM5}/行政许可:本年增/减", f"table2:{ITEM5}/行政许可:处理决定数量"} <= _named(findings)
    # and "15-15" in the two columns of （八） is 15 | -15 (r602's layout)
    assert table["第二十条第（八）项"]["行政事业性收费"] == {"上一年项目数量": 15, "本年增/减": -15}


def test_signed_runs_split_with_the_sign_on_their_first_piece():
    candidates, how = value_candidates(["88", "-720"], 3)
    assert how == "split"
    assert ["88", "-7", "20"] in candidates and ["88", "-72", "0"] in candidates
    # an amount keeps its decimals and unit on the last piece
    candidates, _ = value_candidates(["156805947.43元"], 2)
    assert ["15", "6805947.43元"] in candidates
    assert all(c[-1].endswith(".43元") for c in candidates)


def test_a_count_with_its_own_unit_stays_one_cell():
    table, _ = _table2(
        HEAD_2019
        + "行政许可000其他对外管理服务事项000第二十条第（九）项信息内容采购项目数量采购总金额政府集中采购 2笔 984361元"
    )
    assert table["第二十条第（九）项"]["政府集中采购"] == {"采购项目数量": "2笔", "采购总金额": "984361元"}


def test_a_label_printed_without_its_qualifier_is_found_by_its_tail():
    # given the 2019 wording 规范性文件 in a 2021 table whose 规章 row is left out (r504's layout)
    rows = "第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规范性文件000第二十条第（五）项信息内容本年处理决定数量行政许可0"
    table, _ = _table2(rows, "2021")
    assert table["第二十条第（一）项"]["行政规范性文件"] == {
        "本年制发件数": 0,
        "本年废止件数": 0,
        "现行有效件数": 0,
    }


def test_figures_the_text_states_decide_a_run_and_the_cells_stay_named():
    # given 行政规范性文件 "8855698" and a 总体情况 that states two of its cells (r101's wording)
    prose = "集中公开现行有效行政规范性文件698件，动态更新本年度制发的规范性文件88件。"
    rows = "第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章000行政规范性文件8855698"
    table, findings = _table2(rows, "2021", prose)
    assert table["第二十条第（一）项"]["行政规范性文件"] == {
        "本年制发件数": 88,
        "本年废止件数": 55,
        "现行有效件数": 698,
    }
    [note] = [f for f in findings if f.code == "import_split_by_text"]
    assert note.severity == "warning" and len(note.cells) == 3
    assert "动态更新本年度制发的规范性文件88件" in note.message
    # a statement no reading agrees with decides nothing
    table, findings = _table2(rows, "2021", "现行有效行政规范性文件424件。")
    assert table["第二十条第（一）项"]["行政规范性文件"]["现行有效件数"] is None
    assert not [f for f in findings if f.code == "import_split_by_text"]


def test_statements_name_a_cell_only_with_its_row_and_column_words():
    text = "本年度制发规范性文件34件，现行有效件数424件。全年共发布信息2479条（含行政规范性文件12件）。"
    stated = stated_figures(text, "2021")
    item = "table2:第二十条第（一）项/行政规范性文件"
    assert {k: s.value for k, s in stated.items()} == {f"{item}:本年制发件数": 34}


def test_a_run_cut_the_only_way_in_a_row_no_sum_checks_is_named():
    # given （八） printed as "11" alone, its 本年增/减 printed elsewhere (a PDF text layer cut by a page break):
    # the only cut of "11" into the row's two columns is 1 | 1, and no sum rule of 表二 checks it
    table, findings = _table2(
        HEAD_2019
        + "行政许可000其他对外管理服务事项000第二十条第（八）项信息内容上一年项目数量本年增/减行政事业性收费11"
    )
    row = "第二十条第（八）项/行政事业性收费"
    assert table["第二十条第（八）项"]["行政事业性收费"] == {"上一年项目数量": 1, "本年增/减": 1}
    # then the cut is presumed, never silent: a warning names both cells
    [note] = [f for f in findings if f.code == "import_split_unchecked" and row in f.cells[0]]
    assert note.severity == "warning"
    assert set(note.cells) == {f"table2:{row}:上一年项目数量", f"table2:{row}:本年增/减"}
    assert "行政事业性收费" in note.message and "table2" not in note.message


def test_an_amount_whose_unit_stands_apart_keeps_its_unit():
    # given an amount printed with a space before its unit ("922533.2 元": a PDF-to-Markdown converter spacing the
    # cell's runs), in a cell and in a report run together on one line
    assert [t.text for t in tokenize(["政府集中采购 | 3 | 922533.2 元 |"])] == [
        "政府集中采购",
        "3",
        "922533.2元",
    ]
    table, _ = _table2(
        HEAD_2019 + "行政许可000其他对外管理服务事项000第二十条第（九）项信息内容采购项目数量采购总金额"
        "政府集中采购 3 922533.2 元 "
    )
    # then the amount is the cell as written, with its unit, like "922533.2元"
    assert table["第二十条第（九）项"]["政府集中采购"] == {"采购项目数量": 3, "采购总金额": "922533.2元"}


_MARKITDOWN_ITEM5 = [
    "二、主动公开政府信息情况",
    "第二十条第（五）项",
    "|     | 信息内容 | 上一年项目数量 |     | 本年增/减 |     | 处理决定数量 |",
    "| --- | ---- | ------- | --- | ----- | --- | ------ |",
    "|     |      | 20      |     | 17    |     | 37     |",
    "行政许可",
    "|     |     | 144 |     | 5   |     | 149 |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    "其他对外管理服务事项",
    "第二十条第（六）项",
    "三、收到和处理政府信息公开申请情况",
]


def test_row_labels_printed_after_their_figures_take_the_figures_before_them_and_are_named():
    # given 表二 as markitdown writes a LibreOffice print (2019 format): each row's label after its figures
    got = extract(_MARKITDOWN_ITEM5, "2019")
    block = got.table2[ITEM5]
    # then each row takes the run before its label, and both rows are named (never silent)
    assert block["行政许可"] == {"上一年项目数量": 20, "本年增/减": 17, "处理决定数量": 37}
    assert block["其他对外管理服务事项"] == {"上一年项目数量": 144, "本年增/减": 5, "处理决定数量": 149}
    named = {c for f in got.findings if f.code == "import_row_position" for c in f.cells}
    assert {f"table2:{ITEM5}/行政许可", f"table2:{ITEM5}/其他对外管理服务事项"} <= named


def test_a_row_label_floating_out_of_the_formats_order_is_not_read_as_printed_after():
    # given the rows' labels out of the format's order (pdftotext: "0 0 0", 其他对外… with its figures, 行政许可 last)
    lines = [
        *_MARKITDOWN_ITEM5[:3],
        "0",
        "0",
        "0",
        "其他对外管理服务事项 144",
        "5",
        "149",
        "行政许可",
        *_MARKITDOWN_ITEM5[-2:],
    ]
    got = extract(lines, "2019")
    # then the figures stay with the label before them; nothing is moved
    assert got.table2[ITEM5]["其他对外管理服务事项"] == {
        "上一年项目数量": 144,
        "本年增/减": 5,
        "处理决定数量": 149,
    }
    assert not any(f.code == "import_row_position" and "table2" in f.cells[0] for f in got.findings)


def _likely(findings: list) -> dict[str, Any]:
    """The import_split_likely warnings by the row they name (item/row)."""
    return {f.cells[0].split(":")[1]: f for f in findings if f.code == "import_split_likely"}


def test_what_the_columns_mean_decides_a_run_and_names_its_cells():
    # given 2019 rows whose figures ran together (r205, r408, r601, r602's shapes)
    table, findings = _table2(
        HEAD_2019 + "行政许可20+1737其他对外管理服务事项4500"
        "第二十条第（六）项信息内容上一年项目数量本年增/减处理决定数量行政处罚26-260行政强制88-720"
        "第二十条第（八）项信息内容上一年项目数量本年增/减行政事业性收费124"
        "第二十条第（九）项信息内容采购项目数量采购总金额政府集中采购547.9659万元"
    )
    item6, item8, item9 = "第二十条第（六）项", "第二十条第（八）项", "第二十条第（九）项"
    # then an exact sum decides (20 + 17 = 37; 26 − 26 = 0) ...
    assert table[ITEM5]["行政许可"] == {"上一年项目数量": 20, "本年增/减": 17, "处理决定数量": 37}
    assert table[item6]["行政处罚"] == {"上一年项目数量": 26, "本年增/减": -26, "处理决定数量": 0}
    # ... else the 0 that 本年增/减 and 处理决定数量 most often are (45 0 0, not 4 50 0; 88 -72 0, not 88 -7 20) ...
    assert table[ITEM5]["其他对外管理服务事项"] == {"上一年项目数量": 45, "本年增/减": 0, "处理决定数量": 0}
    assert table[item6]["行政强制"] == {"上一年项目数量": 88, "本年增/减": -72, "处理决定数量": 0}
    # ... else a change within the count it changes (12 4, not 1 24), an average project of at least 1 万元
    assert table[item8]["行政事业性收费"] == {"上一年项目数量": 12, "本年增/减": 4}
    assert table[item9]["政府集中采购"] == {"采购项目数量": 5, "采购总金额": "47.9659万元"}
    # and every decided row is named, its readings listed and the reason given, in Chinese
    notes = _likely(findings)
    assert set(notes) == {
        f"{ITEM5}/行政许可", f"{ITEM5}/其他对外管理服务事项", f"{item6}/行政处罚", f"{item6}/行政强制",
        f"{item8}/行政事业性收费", f"{item9}/政府集中采购",
    }  # fmt: skip
    permit = notes[f"{ITEM5}/行政许可"]
    assert permit.severity == "warning"
    assert set(permit.cells) == {
        f"table2:{ITEM5}/行政许可:本年增/减",
        f"table2:{ITEM5}/行政许可:处理决定数量",
    }
    assert "“20 1 737”；“20 17 37”；“20 173 7”" in permit.message and "20 + 17 = 37" in permit.message
    assert "26 − 26 = 0" in notes[f"{item6}/行政处罚"].message
    assert "通常为 0" in notes[f"{ITEM5}/其他对外管理服务事项"].message
    assert all("table2" not in n.message and "likely" not in n.message for n in notes.values())
    # and no second warning says the same cut is unchecked
    assert not [f for f in findings if f.code == "import_split_unchecked" and f.cells[0] in permit.cells]


def test_a_run_the_columns_do_not_decide_stays_empty_and_named():
    # given 2021 行政规范性文件 "6233440" and 规章 "22235" (r103's run; r706's row that lost a figure): no sum holds,
    # no reading has 0 where 0 is usual, so nothing tells 33 440 from 3 3440, or 22 2 35 from 2 2 235
    rows = (
        "第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章22235行政规范性文件6233440"
        "第二十条第（五）项信息内容本年处理决定数量行政许可0"
    )
    table, findings = _table2(rows, "2021")
    block = table["第二十条第（一）项"]
    assert block["规章"] == {"本年制发件数": None, "本年废止件数": None, "现行有效件数": None}
    assert block["行政规范性文件"]["现行有效件数"] is None
    assert not _likely(findings)
    assert "table2:第二十条第（一）项/行政规范性文件:现行有效件数" in _named(findings)


@settings(max_examples=300, deadline=None)
@given(
    previous=st.integers(0, 999), change=st.integers(-99, 99), decided=st.integers(0, 999), sums=st.booleans()
)
def test_a_likelier_reading_is_always_one_of_the_cuts_and_an_exact_sum_is_taken(
    previous: int, change: int, decided: int, sums: bool
) -> None:
    # given a 2019 row 上一年项目数量 / 本年增/减 / 处理决定数量 printed with its figures run together
    if sums:
        decided = max(previous + change, 0)
    run = f"{previous}{change:+d}{decided}" if change else f"{previous}0{decided}"
    raw = [t.text for t in tokenize([f"行政许可{run}"]) if t.is_value]
    columns = ["上一年项目数量", "本年增/减", "处理决定数量"]
    block = defs.FORMATS["2019"].table2_layout.block(ITEM5)
    candidates, _ = value_candidates(raw, 3, column_accept(block))
    readings = [[parse_value(v) for v in c] for c in candidates]
    truth = [previous, change, decided]
    assert truth in readings
    picked = likeliest(columns, readings)
    # then a reading taken is one of the cuts, with a reason
    if picked is not None:
        assert picked[0] in readings and picked[1]
    # and a row whose figures make an exact sum no other cut makes is read as printed
    exact = [r for r in readings if r[2] in (r[0] + r[1], r[0] - r[1])]
    if len(readings) > 1 and exact == [truth]:
        assert picked is not None and picked[0] == truth
