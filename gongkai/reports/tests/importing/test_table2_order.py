"""表二 as pdfminer.six reads a printed table (issue 16, the pdfminer families of bench/real_pdf.py): the row labels
of one block run into the next block's, the figures keep the table's print order."""

from __future__ import annotations

from gongkai.reports.importing.extract import extract

ONE, FIVE, SIX, EIGHT = (f"第二十条第（{n}）项" for n in ("一", "五", "六", "八"))
TABLE3 = [
    "三、收到和处理政府信息公开申请情况",
    "申请人情况",
    "一、本年新收政府信息公开申请数量",
    "5 0 0 0 0 0 5",
]


def _printed(first_block: list[str]) -> list[str]:
    """Chromium → pdfminer: 行政许可 read before the figures of （一）, 行政事业性收费 before those of （六）."""
    return [
        "二、主动公开政府信息情况",
        "信息内容",
        "本年制发件数",
        "本年废止件数",
        "现行有效件数",
        ONE,
        "规章",
        "行政规范性文件",
        "信息内容",
        "行政许可",
        *first_block,
        FIVE,
        "本年处理决定数量",
        "10690",
        SIX,
        "信息内容",
        "本年处理决定数量",
        "行政处罚",
        "行政强制",
        "信息内容",
        "行政事业性收费",
        "2113",
        "0",
        EIGHT,
        "本年收费金额（单位：万元）",
        "9116.36",
        *TABLE3,
    ]


def _named(got, item: str, row: str) -> bool:  # noqa: ANN001 - an Extraction
    return any(
        f.severity in ("warning", "error")
        and any(c.startswith(f"table2:{item}/{row}") for c in f.cells or [])
        for f in got.findings
    )


def test_rows_whose_labels_were_printed_apart_take_the_figures_in_print_order():
    # given the figures of （一） the same read row by row or column by column ("0 0 0 0 0 11")
    got = extract(_printed(["0", "0", "0", "0", "0", "11"]), "2021")
    table = got.table2
    assert table is not None
    # then every row takes its figures in the table's order, and each row so read is named
    assert list(table[ONE]["规章"].values()) == [0, 0, 0]
    assert list(table[ONE]["行政规范性文件"].values()) == [0, 0, 11]
    assert list(table[FIVE]["行政许可"].values()) == [10690]
    assert list(table[SIX]["行政处罚"].values()) == [2113]
    assert list(table[SIX]["行政强制"].values()) == [0]
    assert list(table[EIGHT]["行政事业性收费"].values()) == [9116.36]
    assert _named(got, FIVE, "行政许可")


def test_a_block_whose_two_orders_differ_is_left_empty():
    # given （一）'s figures read column by column ("0 88 0 55 0 698": 规章 0 0 0, 行政规范性文件 88 55 698), which
    # row by row would read 规章 0 88 0
    got = extract(_printed(["0", "88", "0", "55", "0", "698"]), "2021")
    table = got.table2
    assert table is not None
    # then neither order is guessed: the rows of （一） stay empty (the report's checks name blank cells)
    for row in ("规章", "行政规范性文件"):
        assert list(table[ONE][row].values()) == [None] * 3
    # and the one-column blocks are read in print order all the same
    assert list(table[FIVE]["行政许可"].values()) == [10690]
    assert list(table[EIGHT]["行政事业性收费"].values()) == [9116.36]


def test_the_rows_read_by_their_labels_decide_between_a_blocks_two_orders():
    # given LibreOffice → pdftotext: 规章's figures before the label 行政规范性文件 with its own, the label 规章 after
    # them ("1 2 3" / "行政规范性文件 88" / "55" / "698" / "规章"): row by row and column by column differ
    lines = ["二、主动公开政府信息情况", ONE, "信息内容", "本年制发件数 本年废止件数 现行有效件数"]
    lines += ["1", "2", "3", "行政规范性文件 88", "55", "698", "规章", FIVE, "信息内容", "行政许可"]
    lines += ["本年处理决定数量", "10690", SIX, "信息内容", "本年处理决定数量"]
    lines += ["行政处罚", "2113", "行政强制", "0"]
    lines += [EIGHT, "信息内容", "本年收费金额（单位：万元）", "行政事业性收费 9116.36", *TABLE3]
    got = extract(lines, "2021")
    table = got.table2
    assert table is not None
    # then the order that agrees with 行政规范性文件 as read by its label (row by row) gives 规章 its figures, named
    assert list(table[ONE]["行政规范性文件"].values()) == [88, 55, 698]
    assert list(table[ONE]["规章"].values()) == [1, 2, 3]
    assert _named(got, ONE, "规章")
