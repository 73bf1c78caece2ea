"""Extraction, sum rules: choose among the readings of ambiguous rows; the reading findings they raise."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from gongkai.reports import definitions as defs


def finding(code: str, severity: str, message: str, cells: Iterable[str] = ()) -> dict[str, Any]:
    return {"code": code, "severity": severity, "message": message, "cells": list(cells)}


Read = tuple[str, list[list[Any]], str]  # row key, candidate cell lists, how they were found


def apply_rules(
    reads: list[Read],
    place: Any,
    doc: dict[str, Any],
    rules: Sequence[defs.SumRule],
    cell_prefix: str,
    *,
    whole: bool = False,
) -> list[dict[str, Any]]:
    """Choose, for every ambiguous row, the candidate the sum rules accept (rows decided in turn).

    Blank cells count as 0 while choosing (a blank is "nothing to report"); the values kept stay null.
    """
    out: list[dict[str, Any]] = []
    undecided = {key for key, candidates, _ in reads if len(candidates) > 1}
    for key, candidates, _ in reads:
        if len(candidates) == 1:
            place(key, candidates[0])
    for key, candidates, how in reads:
        if len(candidates) <= 1:
            continue
        undecided.discard(key)
        fitting = []
        for candidate in candidates:
            place(key, candidate)
            if _rules_hold(doc, rules, None if whole else key, undecided):
                fitting.append(candidate)
        chosen = fitting[0] if fitting else candidates[0]
        place(key, chosen)
        cells = [cell_prefix if whole else f"{cell_prefix}:{key}"]
        shown = " ".join("空" if v is None else str(v) for v in chosen)
        if how == "positional":
            if len(fitting) != 1:
                out.append(
                    finding(
                        "import_cell_positions",
                        "warning",
                        f"“{key}”一行只有部分单元格有数值，原文未保留空白单元格的位置，无法确定各数值所在的列；"
                        f"已按“{shown}”读取，请核对原文",
                        cells,
                    )
                )
        elif len(fitting) > 1:
            out.append(
                finding(
                    "import_ambiguous_split",
                    "warning",
                    f"“{key}”一行的数字连在一起，有 {len(fitting)} 种拆分都符合勾稽关系，已按“{shown}”读取，请核对原文",
                    cells,
                )
            )
        elif not fitting:
            out.append(
                finding(
                    "import_unsplit",
                    "warning",
                    f"“{key}”一行的数字连在一起，没有一种拆分符合勾稽关系，已按“{shown}”读取，请核对原文",
                    cells,
                )
            )
    return out


def _number(value: Any) -> float | None:
    if value is None:
        return 0.0
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


def _rules_hold(
    doc: dict[str, Any],
    rules: Sequence[defs.SumRule],
    row: str | None,
    undecided: set[str] | frozenset[str] = frozenset(),
) -> bool:
    """Do the rules touching `row` (all rules when None) hold? Rules over rows not yet decided are skipped."""
    for rule in rules:
        if row is not None and not any(ref.row == row for ref in rule.cells):
            continue
        if any(ref.row in undecided for ref in rule.cells):
            continue
        try:
            left = [_number(defs.cell_value(doc, ref)) for ref in rule.left]
            right = [_number(defs.cell_value(doc, ref)) for ref in rule.right]
        except (KeyError, IndexError, TypeError, ValueError):
            continue
        if any(v is None for v in left + right):
            continue
        if abs(sum(v for v in left if v is not None) - sum(v for v in right if v is not None)) > 1e-6:
            return False
    return True
