"""Extraction, 表二 whose row labels a text layer printed apart from their figures (pdfminer's reading order).

pdfminer.six reads the boxes of a table in an order of its own: a block's row labels run into the next block's
("第二十条第（一）项 规章 行政规范性文件 信息内容 行政许可 0 88 0 55 0 698 第二十条第（五）项 本年处理决定数量 10690"),
so the figures after a row label are not that row's. The figures themselves keep the table's order: block after
block, as the format prints them. So when the figures from the first block's header to the table's end are exactly
as many as the table's cells, each takes its cell in print order. Inside a block of several rows and several
columns the order may be row by row or column by column (both are seen, and 表二 has no sums to tell them apart):
its rows are taken only when both orders give the same cells, or when the block's rows read by their labels (one
at least) agree with one order only (LibreOffice prints read by ``pdftotext`` without ``-layout``: the figures of
规章 before the label 行政规范性文件 and its figures, the label 规章 after them). The reading is used only when it agrees with every
row read by its label, and only for the rows that could not be read so; each row it fills is named by a warning.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from gongkai.reports import definitions as defs
from gongkai.reports.checks.findings import Finding

from .extract_fit import value_candidates
from .extract_rules import finding, row_name
from .tokens import Token

Accept = Callable[[defs.Table2Block], Callable[[list[str]], bool]]


def _print_order(
    tokens: Sequence[Token], layout: defs.Table2Layout, accept: Accept, own: dict[str, list[str] | None]
) -> dict[str, list[str]]:
    """Row key → its figures, read in print order (see the module); empty when the count does not match. ``own``:
    each row's reading by its label (None when it has none), which decides between a block's two orders."""
    figures = [t.text for t in tokens if t.is_value and t.text.strip()]
    if len(figures) != sum(len(b.rows) * len(b.columns) for b in layout.blocks):
        return {}
    out: dict[str, list[str]] = {}
    position = 0
    for block in layout.blocks:
        height, width = len(block.rows), len(block.columns)
        cells = figures[position : position + height * width]
        position += height * width
        by_row = [cells[r * width : (r + 1) * width] for r in range(height)]
        by_column = [[cells[c * height + r] for c in range(width)] for r in range(height)]
        keys = [f"{block.item}/{row}" for row in block.rows]
        read = [own[key] for key in keys]
        orders = [
            order
            for order in ([by_row] if by_row == by_column else [by_row, by_column])
            if by_row == by_column
            or (any(read) and all(r is None or r == values for r, values in zip(read, order, strict=True)))
        ]
        if len(orders) != 1:
            continue
        for row, values in zip(block.rows, orders[0], strict=True):
            if accept(block)(values):
                out[f"{block.item}/{row}"] = values
    return out


def _read(values: list[str] | None, block: defs.Table2Block, accept: Accept) -> list[str] | None:
    """The one reading of a row's figures as read by its label, or None (a label without figures reads none)."""
    if not values or not any(v.strip() for v in values):
        return None
    candidates, _ = value_candidates(values, len(block.columns), accept(block))
    return candidates[0] if len(candidates) == 1 else None


def in_print_order(
    found: dict[str, dict[str, list[str]]], tokens: Sequence[Token], layout: defs.Table2Layout, accept: Accept
) -> tuple[dict[str, dict[str, list[str]]], list[Finding]]:
    """``found`` (block item → row → the figures after its label) with the rows it could not read filled in print
    order, when that order agrees with every row it did read; and the warnings naming the rows filled."""
    blocks = {f"{b.item}/{r}": b for b in layout.blocks for r in b.rows}
    own = {
        key: _read(found.get(b.item, {}).get(key.split("/", 1)[1]), b, accept) for key, b in blocks.items()
    }
    ordered = _print_order(tokens, layout, accept, own)
    if not ordered:
        return found, []
    if any(own[key] is not None and own[key] != values for key, values in ordered.items()):
        return found, []
    filled = {key: values for key, values in ordered.items() if own[key] is None}
    out = {item: dict(rows) for item, rows in found.items()}
    for key, values in filled.items():
        item, row = key.split("/", 1)
        out.setdefault(item, {})[row] = values
    notes = [
        finding(
            "import_cell_positions",
            "warning",
            f"{row_name('table2', key)}：原文此行的标签与数字分开排印（PDF 文字层逐块读出），"
            "按表格的印刷顺序读入此行数字，请核对原文。",
            [f"table2:{key}:{c.label}" for c in blocks[key].columns],
        )
        for key in filled
    ]
    return out, notes
