"""表三's first figure printed after the rest of its row (issue #16, LibreOffice prints read by ``pdftotext`` without
``-layout``): the row's label, beside a merged group label, comes with its first figure after the group's rows,
while its other six figures stand in the row's place — joined only when the row's own sum holds, and named."""

from __future__ import annotations

from gongkai.reports import definitions as defs
from gongkai.reports.importing.extract import Extraction, extract

from .test_first_apart import HEADER, INTERNAL, SPEC, THIRD_PARTY

UNKNOWN = f"{defs.RESULTS}/（四）无法提供/1.本机关不掌握相关政府信息"
MADE = f"{defs.RESULTS}/（四）无法提供/2.没有现成信息需要另行制作"


def _print(late: dict[str, list[str]], lone: dict[str, str], end: str = MADE) -> list[str]:
    """表三 one cell a line; each row of ``late`` printed as its six last figures right after the row before it,
    and its label with its first figure ``lone[row]`` (when given) after the row ``end``, where LibreOffice's page
    ended."""
    lines = ["三、收到和处理政府信息公开申请情况", *HEADER]
    for row in SPEC.table3_rows:
        if row.key in late:
            lines += late[row.key][1:]
        else:
            lines += [row.label_cells[-1].text, *["0"] * 7]
        if row.key == end:  # the end of the page: the merged group labels, the late rows' labels
            lines += ["（三）", "不予公开", "（四）", "无法提供"]
            for key, first in lone.items():
                head, tail = key.rsplit("/", 1)[-1][:8], key.rsplit("/", 1)[-1][8:]
                lines += [head.replace(".", "、"), first, tail]
    return lines


def _named(got: Extraction) -> set[str]:
    return {c for f in got.findings if f.severity == "warning" for c in f.cells}


def test_a_first_figure_printed_after_the_groups_rows_joins_the_six_in_its_rows_place():
    # given two rows whose labels and first figures come after the group's rows, their other figures in place
    rows = {INTERNAL: ["3", "1", "0", "0", "0", "0", "4"], UNKNOWN: ["5", "0", "2", "0", "0", "0", "7"]}
    got = extract(_print(rows, {k: v[0] for k, v in rows.items()}), "2021")
    assert got.table3 is not None
    # then each row is read whole, tails and lone figures paired in order (3 + 1 = 4, 5 + 2 = 7), and named
    assert got.table3["rows"][INTERNAL] == [3, 1, 0, 0, 0, 0, 4]
    assert got.table3["rows"][UNKNOWN] == [5, 0, 2, 0, 0, 0, 7]
    assert got.table3["rows"][THIRD_PARTY] == [0] * 7
    assert {f"table3:{INTERNAL}", f"table3:{UNKNOWN}"} <= _named(got)


def test_a_lone_figure_whose_row_sum_fails_with_the_tail_is_not_joined():
    rows = {INTERNAL: ["3", "1", "0", "0", "0", "0", "4"]}
    got = extract(_print(rows, {INTERNAL: "8"}), "2021")
    assert got.table3 is not None
    assert got.table3["rows"].get(INTERNAL) != [8, 1, 0, 0, 0, 0, 4]


def test_a_lone_figure_that_completes_either_of_two_tails_joins_neither():
    # given two tails of the same figures and only one lone figure printed: which row it is cannot be told
    rows = {INTERNAL: ["3", "1", "0", "0", "0", "0", "4"], UNKNOWN: ["3", "1", "0", "0", "0", "0", "4"]}
    got = extract(_print(rows, {INTERNAL: "3"}), "2021")
    assert got.table3 is not None
    # then neither row is read from them, and both are named
    assert got.table3["rows"].get(INTERNAL) != [3, 1, 0, 0, 0, 0, 4]
    assert got.table3["rows"].get(UNKNOWN) != [3, 1, 0, 0, 0, 0, 4]
    assert {f"table3:{INTERNAL}", f"table3:{UNKNOWN}"} <= _named(got)


def test_a_figure_that_could_stand_anywhere_in_the_row_is_not_joined():
    # given a lone 0 (it holds the row's sum wherever it stands) after a tail whose cells are not all 0
    got = extract(_print({INTERNAL: ["0", "4", "0", "0", "0", "0", "4"]}, {INTERNAL: "0"}), "2021")
    assert got.table3 is not None
    assert got.table3["rows"].get(INTERNAL) != [0, 4, 0, 0, 0, 0, 4]
    # and a figure right after its tail (a cell broken off the row at a page break: any of its cells)
    got = extract(_print({UNKNOWN: ["3", "5", "0", "0", "0", "0", "8"]}, {UNKNOWN: "3"}, end=UNKNOWN), "2021")
    assert got.table3 is not None
    assert got.table3["rows"].get(UNKNOWN) != [3, 5, 0, 0, 0, 0, 8]
    # then the row is not read from them, and its cells are named
    assert any(c.startswith(f"table3:{UNKNOWN}") for c in _named(got))
