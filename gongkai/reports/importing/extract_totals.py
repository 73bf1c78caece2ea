"""Extraction, 表三's total column printed apart: a text layer that reads the 总计 column of a page as one block.

Chromium prints a table whose last column a PDF text extractor (``pdftotext`` without ``-layout``) reads apart
from the others: each row of the page comes with its six applicant figures, and after the page's rows the header
"总计" and the column's figures top to bottom ("一、本年新收… 3 0 0 0 0 0  二、上年结转… 0 0 0 0 0 0  总计 3 0").
The figures of such a block are given back to the rows just before it that lack one cell (rows printed whole are
passed over, and so are rows printed with an empty cell, "…|0|0||": a Markdown table's blank 总计 is the report's;
a row cut in two by a floating label, "1.本机关不掌握相关 0 | 年度办 | 0 0 0 0 0", counts as one) — only when
every figure equals the sum of its row's six: the row sums are the constraint. When the block and the rows differ
in number, the figures are paired from the block's start or from its end, and only a pairing that alone holds (or
that gives every row the same total as the other) is taken; otherwise nothing changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .extract_grid import Group
    from .tokens import Token


def _figures(group: Group) -> list[int] | None:
    try:
        return [int(t.text) for t in group.tokens if t.text.strip()]
    except ValueError:
        return None


def _page_rows(groups: list[Group], start: int, end: int, width: int) -> list[list[Group]]:
    """The rows lacking one cell just before ``end`` (each one group, or two whose figures make the row)."""
    rows: list[list[Group]] = []
    i = end - 1
    while i >= start:
        figures = _figures(groups[i])
        if figures is None:
            break
        # a whole row, or one printed with an empty cell (a Markdown row "…|0|0||"): it lacks no cell
        if len(figures) == width or len(groups[i].tokens) >= width:
            i -= 1
            continue
        if len(figures) == width - 1:
            rows.append([groups[i]])
            i -= 1
            continue
        before = _figures(groups[i - 1]) if i - 1 >= start else None
        if before is None or len(before) + len(figures) != width - 1:
            break
        rows.append([groups[i - 1], groups[i]])
        i -= 2
    return rows[::-1]


def _pairing(rows: list[list[Group]], values: list[int]) -> tuple[list[list[Group]], int] | None:
    """The rows and the offset in ``values`` of the one pairing under which every row sum holds."""
    k = min(len(rows), len(values))
    if k == 0:
        return None
    options = {(len(rows) - k, 0), (len(rows) - k, len(values) - k)}
    held: dict[tuple[int, ...], tuple[list[list[Group]], int]] = {}
    for first, offset in options:
        chosen = rows[first:]
        sums = [sum(sum(_figures(g) or []) for g in row) for row in chosen]
        if sums == values[offset : offset + k]:
            held[tuple(sums)] = (chosen, offset)
    return next(iter(held.values())) if len(held) == 1 else None


def detached_totals(groups: list[Group], width: int, total: str) -> list[Group]:
    """The groups with each detached total column block (a group right after the fragment ``total``) given back
    to its rows (see the module); a block's figures left over stay a group of their own, without a label."""
    out = list(groups)
    done = 0  # groups before this index belong to an earlier block
    n = 0
    while n < len(out):
        block = out[n]
        values = _figures(block)
        fit = None
        if block.before and block.before[-1] == total and values:
            fit = _pairing(_page_rows(out, done, n, width), values)
        if fit is None:
            n += 1
            continue
        rows, offset = fit
        cells: list[Token] = [t for t in block.tokens if t.text.strip()]
        gone: set[int] = set()
        for row, token in zip(rows, cells[offset:], strict=False):
            head = row[0]
            for piece in row[1:]:
                head.tokens, head.after = head.tokens + piece.tokens, piece.after
                gone.add(id(piece))
            head.tokens = [*head.tokens, token]
        rest = cells[:offset] + cells[offset + len(rows) :]
        if rest:
            block.tokens, block.before = rest, []
        else:
            gone.add(id(block))
        kept = sum(1 for g in out[:n] if id(g) not in gone)
        out = [g for g in out if id(g) not in gone]
        n = done = kept + (1 if rest else 0)
    return out
