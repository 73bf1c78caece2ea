"""表三's first figure printed apart from the rest of its row (issue #16, LibreOffice prints read by ``pdftotext``
without ``-layout``): "4、保护第三方合法" / 3 / "权益" / 1 0 0 0 0 4 and the next row's figures in the same run —
joined only when the row's own sum holds, and named."""

from __future__ import annotations

from gongkai.reports import definitions as defs
from gongkai.reports.importing.extract import extract

SPEC = defs.FORMATS["2021"]
THIRD_PARTY = f"{defs.RESULTS}/（三）不予公开/4.保护第三方合法权益"
INTERNAL = f"{defs.RESULTS}/（三）不予公开/5.属于三类内部事务信息"
HEADER = ["申请人情况", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]


def _print(apart: list[str]) -> list[str]:
    """表三 as a text layer gives it, one cell a line; the row THIRD_PARTY with its label over two lines and the
    figures ``apart`` (the first between the label's lines, the rest after them), the next row's figures (2 0 0 0 0
    0 2) right after them and its label elsewhere (left out here)."""
    lines = ["三、收到和处理政府信息公开申请情况", *HEADER]
    for row in SPEC.table3_rows:
        label = row.label_cells[-1].text
        if row.key == THIRD_PARTY:
            lines += ["4、保护第三方合法", apart[0], "权益", *apart[1:], "2", *["0"] * 5, "2"]
        elif row.key == INTERNAL:
            continue
        else:
            lines += [label, *["0"] * 7]
    return lines


def test_a_rows_first_figure_printed_between_its_label_lines_joins_the_rest_of_the_row():
    got = extract(_print(["3", "1", "0", "0", "0", "0", "4"]), "2021")
    assert got.table3 is not None
    # then the row is read whole (3 + 1 = 4 holds only with the lone figure first) and named: the join is presumed;
    # the rest of the run is a whole row without its label, placed by position and named
    rows = got.table3["rows"]
    assert rows[THIRD_PARTY] == [3, 1, 0, 0, 0, 0, 4]
    assert rows[INTERNAL] == [2, 0, 0, 0, 0, 0, 2]
    named = {c for f in got.findings if f.severity == "warning" for c in f.cells}
    assert {f"table3:{THIRD_PARTY}", f"table3:{INTERNAL}"} <= named


def test_a_lone_figure_whose_row_sum_fails_with_the_run_after_it_is_not_joined():
    # given the same print whose lone figure does not complete the run after it (8 + 1 ≠ 4): another row's figures
    got = extract(_print(["8", "1", "0", "0", "0", "0", "4"]), "2021")
    assert got.table3 is not None
    # then no row is made of them
    assert got.table3["rows"][THIRD_PARTY] != [8, 1, 0, 0, 0, 0, 4]
