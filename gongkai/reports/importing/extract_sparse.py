"""Extraction: a 表三 that fills only 自然人 and 总计, read from text that lost its blank cells.

A small unit whose applicants were all natural persons often leaves the five 法人或其他组织 columns blank. Text taken
from such a page (a PDF's text, a conversion that drops empty cells) prints each row as two figures, "26   26",
and the place of the first is lost: under the sum rules it may stand in any of the six applicant columns, so
the aligner leaves every row empty and lists the readings (r801 of the dev half through every PDF-text tool).

When the whole table has that shape the columns are not unknown row by row: one pattern explains every row.
This module reads such a table as the pattern the format's layout makes by far the likeliest — the figure under
自然人, the same figure under 总计, the other cells blank — but only when
- every row read shows at most two figures, and at least ``MIN_ROWS`` rows show two, each pair equal (a row of two
  different figures lost a figure: the table is not of this shape);
- no row that was read without doubt has a figure in a 法人或其他组织 column (a row of two equal figures placed only
  by the blank cells a converter kept is no such row: it is read as the pattern too, and named);
- the reading of every such row together keeps every sum rule of the table.

It is a pick, so it is never silent: one warning names every row read so and says what else each could be.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from gongkai.reports import definitions as defs
from gongkai.reports.checks.findings import Finding

from .extract_align import UNSURE, agreed, rule_holds
from .extract_rules import Read, finding, row_name, usable_rules

MIN_ROWS = 3  # rows of two figures before the table's shape counts as a pattern
ROWS_NAMED = 6


def _figures(values: Sequence[Any]) -> list[Any]:
    return [v for v in values if v is not None]


def _sparse(values: Sequence[Any]) -> bool:
    """The pattern: a figure under 自然人, the same under 总计, the cells between blank."""
    return (
        len(values) > 2
        and values[0] is not None
        and type(values[0]) is type(values[-1])
        and values[0] == values[-1]
        and all(v is None for v in values[1:-1])
    )


def _pattern_rows(reads: Sequence[Read]) -> dict[str, list[Any]] | None:
    """The rows to read as the pattern, each with its reading; None when the table is not of this shape."""
    chosen: dict[str, list[Any]] = {}
    shifted: dict[str, list[Any]] = {}
    for key, candidates, how in reads:
        shown = min(len(_figures(c)) for c in candidates)  # a row may also read as its digits cut
        if shown > 2:
            return None
        if len(candidates) == 1:
            figures = _figures(candidates[0])
            if (
                len(figures) == 2
                and figures[0] == figures[1] == candidates[0][-1]
                and candidates[0][0] is None
            ):
                # two equal figures placed by blank cells a converter kept ("|  | 26 |  |  |  | 26 |"): among
                # rows that lost theirs, where those blanks stand is no evidence of the column
                shifted[key] = [figures[0], *([None] * (len(candidates[0]) - 2)), figures[0]]
                continue
            if any(v is not None for v in candidates[0][1:-1]):
                return None  # a 法人或其他组织 figure read without doubt
            continue
        if how != "positional" or shown != 2:
            continue
        reading = next((c for c in candidates if _sparse(c)), None)
        if reading is None:
            return None
        chosen[key] = reading
    return {**chosen, **shifted} if len(chosen) >= MIN_ROWS else None


def only_natural_persons(
    reads: list[Read],
    place: Callable[[str, list[Any]], None],
    doc: dict[str, Any],
    rules: Sequence[defs.SumRule],
    columns: Sequence[str],
) -> tuple[list[Read], list[Finding]]:
    """The reads with the pattern's rows decided (one reading each) and the warning that names them; the reads
    unchanged and no finding when the table is not of this shape or the pattern breaks a sum rule."""
    chosen = _pattern_rows(reads)
    if not chosen:
        return reads, []
    usable = usable_rules(reads, rules)
    for key, candidates, _ in reads:
        place(key, chosen.get(key, candidates[0]))
    holds = all(rule_holds(doc, rule) for rule in usable)
    for key, candidates, _ in reads:
        place(key, candidates[0])
    if not holds:
        return reads, []
    decided = [(key, [chosen[key]], "pattern") if key in chosen else (key, c, how) for key, c, how in reads]
    names = [row_name("table3", key).removeprefix("表三 · ") for key in chosen]
    listed = "、".join(names[:ROWS_NAMED]) + (f"等 {len(names)} 行" if len(names) > ROWS_NAMED else "")
    applicants = "、".join(f"“{c}”" for c in columns[1:-1])
    message = (
        f"表三 · {listed}：原文未保留空白单元格的位置，各行均只列出两个相等的数，"
        f"已按全表只填写“{columns[0]}”与“{columns[-1]}”两列、其余各列为空读入；"
        f"每行也可读作该数填在{applicants}中的某一列，同样符合勾稽关系，请核对原文。"
    )
    # the cells in doubt: those where the row's readings differ (the 总计 of a row whose figure is not 0 is not)
    readings = {key: c for key, c, _ in reads}
    cells = [
        f"table3:{key}:{columns[n]}"
        for key in chosen
        for n, v in enumerate(agreed(readings[key]))
        if v is UNSURE or (len(readings[key]) == 1 and n < len(columns) - 1)  # a row moved off its cells
    ]
    return decided, [finding("import_positions_likely", "warning", message, cells)]
