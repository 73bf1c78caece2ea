"""Extraction, the applicant columns of 表三's blocks read by column checked against the table's own sums.

A block printed column by column (pdfminer: extract_columns, extract_grid.column_blocks) is read across in the
order of its column headers, or the format's: the rows' own sums fix the total column, never which applicant column
is which, so that order is presumed (and named). The table's sums across rows (一+二 = （七）+四 and （七）总计 = the
results, column by column) can refute it: when they fail, every order of the block's applicant columns — one order
for all its rows, one block at a time — is tried, and the cells that every reading making all the table's sums hold
gives alike are taken; a cell the readings give differently is left open and named with the figures they give
(which block's presumed order is the wrong one the sums cannot always tell). The rows stay named either way.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

from gongkai.reports import definitions as defs

MAX_BLOCK_ROWS = 30  # rows of one block (a page of 表三) reordered at most


def _holds(rows: dict[str, list[Any]], rules: Sequence[defs.SumRule], columns: Sequence[str]) -> bool:
    """Whether no rule fails (a rule over a cell that is not a count is not judged)."""

    def value(ref: defs.CellRef) -> int | None:
        cells = rows.get(ref.row)
        v = cells[columns.index(ref.column)] if cells is not None else None
        return v if isinstance(v, int) else None

    return all(rule.holds(value) is not False for rule in rules)


def reorder_blocks(
    rows: dict[str, list[Any]], blocks: dict[str, int], rules: Sequence[defs.SumRule], columns: Sequence[str]
) -> tuple[list[str], dict[tuple[str, str], list[Any]]]:
    """Reorder (in place) the applicant columns of a block whose order the table's sums refute (see the module):
    returns the rows read in another order and the cells left open where the readings that hold differ ((row key, column) → the
    figures they give)."""
    rules = [r for r in rules if r.cells[0].table == "table3"]
    if _holds(rows, rules, columns):
        return [], {}
    by_block: dict[int, list[str]] = {}
    for key, block in blocks.items():
        by_block.setdefault(block, []).append(key)
    applicants = range(len(columns) - 1)
    found: dict[tuple[tuple[str, tuple[Any, ...]], ...], dict[str, list[Any]]] = {}
    for keys in by_block.values():
        if len(keys) > MAX_BLOCK_ROWS or any(not all(isinstance(v, int) for v in rows[k]) for k in keys):
            continue
        for order in itertools.permutations(applicants):
            trial = dict(rows)
            for key in keys:
                trial[key] = [rows[key][c] for c in order] + rows[key][len(applicants) :]
            if _holds(trial, rules, columns):
                changed = {k: trial[k] for k in keys if trial[k] != rows[k]}
                found.setdefault(tuple((k, tuple(v)) for k, v in sorted(changed.items())), changed)
    if not found:
        return [], {}
    readings = list(found.values())
    moved: list[str] = []
    open_cells: dict[tuple[str, str], list[Any]] = {}
    for key in sorted({k for reading in readings for k in reading}):
        values = [reading.get(key, rows[key]) for reading in readings]
        new = list(values[0])
        for c, column in enumerate(columns):
            if any(v[c] != new[c] for v in values):
                open_cells[(key, column)] = sorted({v[c] for v in values})
                new[c] = None
        if any(v is not None and v != old for v, old in zip(new, rows[key], strict=True)):
            moved.append(key)
        rows[key] = new
    return moved, open_cells
