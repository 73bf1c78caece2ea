"""Rules over the tables: structure (tables, 表三 columns and rows), cell values, sum rules, carry-over.

Each rule adds to a ``Findings`` list; a blank (null) or text cell is reported and never read as 0, and a sum
rule over such a cell is not evaluated (the cell is reported once instead).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from gongkai.reports.definitions import (
    CARRIED_IN,
    CARRIED_OUT,
    OTHER_2019,
    CellRef,
    ReportFormat,
    SumRule,
    Table2Block,
)
from gongkai.reports.document import ReportDocument

from .findings import Findings, describe, number_text, row_label

_MISSING = object()

Numbers = dict[CellRef, Decimal]


def is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def structure(doc: ReportDocument, spec: ReportFormat, out: Findings, *, single_other: bool) -> None:
    """The three tables are there; 表三 has the format's columns and rows, and no others. ``single_other``: the
    document keeps the single （六）其他处理 row (``ReportDocument.single_other``, computed once per check)."""
    for table, name in (("table2", "表二"), ("table3", "表三"), ("table4", "表四")):
        if not doc.has_table(table):
            out.add("table_missing", "error", f"缺少{name}。", [table])
    t3 = doc.data.get("table3")
    if not isinstance(t3, dict):
        return
    columns = t3.get("columns")
    if list(columns or []) != list(spec.table3_columns):
        out.add(
            "columns_mismatch",
            "error",
            f"表三的列应为：{'、'.join(spec.table3_columns)}；实际为：{'、'.join(map(str, columns or []))}。",
            ["table3"],
        )
    rows = doc.rows()
    keys = spec.single_other_keys() if single_other else spec.table3_row_keys
    if single_other:
        out.add(
            "single_other_row",
            "warning",
            f"表三的“（六）其他处理”只有一行（地方模板），{spec.issued_by}格式分为三项：三项按空白处理，"
            "合计按该行核对。",
            [f"table3:{OTHER_2019}"],
        )
    expected = set(keys) | (set(spec.table3_row_keys) if single_other else set())
    for key in keys:
        if key not in rows:
            out.add("row_missing", "error", f"表三缺少“{key}”行。", [f"table3:{key}"])
    for key in rows:
        if key not in expected:
            out.add(
                "row_unexpected", "warning", f"表三的“{key}”行不属于{spec.code}年格式。", [f"table3:{key}"]
            )


def numbers(doc: ReportDocument, spec: ReportFormat, out: Findings, *, single_other: bool) -> Numbers:
    """Validate every table 三/四 cell (non-negative whole number) and 表二 cell; return the usable numbers."""
    usable: Numbers = {}
    refs: list[CellRef] = []
    if doc.has_table("table3"):
        refs += spec.table3_cells(single_other=single_other)
    if doc.has_table("table4"):
        refs += spec.table4_layout.cells()
    reported = out.cells()  # a missing row is reported once, not once per cell
    blank: list[CellRef] = []
    for ref in refs:
        value = doc.get(ref, _MISSING)
        if value is _MISSING:
            if f"table3:{ref.row}" not in reported:
                out.add("cell_missing", "error", f"缺少{describe(ref)}。", [ref.key])
        elif value is None:
            blank.append(ref)
        elif not is_number(value):
            out.add("cell_not_number", "error", f"{describe(ref)}为“{value}”，不是数字。", [ref.key])
        else:
            number = Decimal(str(value))
            if number < 0:
                out.add("cell_negative", "error", f"{describe(ref)}为负数（{value}）。", [ref.key])
            elif number != number.to_integral_value():
                out.add("cell_not_integer", "error", f"{describe(ref)}为{value}，件数应为整数。", [ref.key])
            else:
                usable[ref] = number
    _blank_cells(spec.rules(single_other=single_other), blank, usable, out)
    if doc.has_table("table2"):
        for block in spec.table2_layout.blocks:
            _table2_block(doc, block, out)
    return usable


def _blank_cells(rules: tuple[SumRule, ...], blank: list[CellRef], usable: Numbers, out: Findings) -> None:
    """A blank cell should hold 0: a warning when every sum over it still holds with the blanks as 0 (the
    figures are consistent, only the 0 was not written), an error when a sum then fails or none can be checked."""
    blanks = set(blank)

    def blank_as_zero(ref: CellRef) -> Decimal | None:
        return usable.get(ref, Decimal(0) if ref in blanks else None)

    # the warnings go one a row, naming its cells: a unit that left whole columns blank (法人或其他组织 not
    # filled in) gets a line a row, not one a cell
    quiet: dict[tuple[str, str], list[CellRef]] = {}
    for ref in blank:
        judged = [r.holds(blank_as_zero) for r in rules if ref in r.cells]
        if judged and all(judged):  # every rule over the cell judged, and each holds
            quiet.setdefault((ref.table, ref.row), []).append(ref)
        else:
            out.add("cell_blank", "error", f"{describe(ref)}为空，应填写数字（无则填0）。", [ref.key])
    for (table, row), refs in quiet.items():
        columns = "".join(f"“{r.column}”" for r in refs)
        out.add(
            "cell_blank",
            "warning",
            f"{row_label(table, row)}{columns}列为空，应填 0（按 0 计合计仍然成立）。",
            [r.key for r in refs],
        )


def _table2_block(doc: ReportDocument, block: Table2Block, out: Findings) -> None:
    """表二 cells: blank or text is a warning (an amount may carry its unit), a wrong number an error."""
    for row in block.rows:
        for column in block.columns:
            ref = CellRef("table2", f"{block.item}/{row}", column.label)
            value = doc.get(ref, _MISSING)
            if value is _MISSING:
                out.add("cell_missing", "warning", f"缺少{describe(ref)}。", [ref.key])
            elif value is None:
                out.add("cell_blank", "warning", f"{describe(ref)}为空。", [ref.key])
            elif isinstance(value, str):
                if column.kind != "amount" or not re.search(r"\d", value):
                    out.add(
                        "cell_not_number", "warning", f"{describe(ref)}为“{value}”，不是数字。", [ref.key]
                    )
            elif is_number(value):
                number = Decimal(str(value))
                if number < 0 and column.kind != "delta":
                    out.add("cell_negative", "error", f"{describe(ref)}为负数（{value}）。", [ref.key])
                elif column.kind != "amount" and number != number.to_integral_value():
                    out.add("cell_not_integer", "error", f"{describe(ref)}为{value}，应为整数。", [ref.key])
            else:
                out.add("cell_not_number", "warning", f"{describe(ref)}不是数字。", [ref.key])


def sums(spec: ReportFormat, usable: Numbers, out: Findings, *, single_other: bool = False) -> None:
    """The format's sum rules (row totals, （七）总计, the 一+二 = 三+四 identity, 表四 totals); ``single_other``: a
    2021 report keeping the single （六）其他处理 row (ReportDocument.single_other)."""
    for rule in spec.rules(single_other=single_other):
        sides = rule.sides(usable.get)
        if sides is None:
            continue  # the unusable cell is already reported
        left, right = sides
        if left != right:
            out.add(
                rule.code,
                "error",
                f"{rule.description}：{number_text(left)} ≠ {number_text(right)}。",
                [r.key for r in rule.cells],
            )


def carry_over(
    doc: ReportDocument, spec: ReportFormat, usable: Numbers, previous: ReportDocument, out: Findings
) -> None:
    """本年上年结转 = last year's 结转下年度继续办理, per column (previous must be last year's report)."""
    year, prev_year = doc.data.get("year"), previous.data.get("year")
    if isinstance(year, int) and isinstance(prev_year, int) and prev_year != year - 1:
        out.add("previous_year_mismatch", "warning", f"所给上年报告为{prev_year}年，不是{year - 1}年。")
        return
    if previous.spec is None:  # a pre-2019 report has no 结转下年度 row (§4): nothing to match
        return
    for column in spec.table3_columns:
        here = CellRef("table3", CARRIED_IN, column)
        there = CellRef("table3", CARRIED_OUT, column)
        prev_value = previous.get(there, _MISSING)
        if here not in usable or not is_number(prev_value):
            continue
        if usable[here] != Decimal(str(prev_value)):
            out.add(
                "carry_over_mismatch",
                "error",
                f"“{column}”列：本年上年结转为{number_text(usable[here])}，上年报告结转下年度继续办理为{prev_value}。",
                [here.key, f"previous:{there.key}"],
            )
