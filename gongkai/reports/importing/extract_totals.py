"""Extraction, 表三's total column printed apart: a text layer that reads the 总计 column of a page as one block.

Chromium prints a table whose last column a PDF text extractor (``pdftotext`` without ``-layout``) reads apart
from the others: each row of the page comes with its six applicant figures, and after the page's rows the header
"总计" and the column's figures top to bottom ("一、本年新收… 3 0 0 0 0 0  二、上年结转… 0 0 0 0 0 0  总计 3 0").
Each figure of such a block is given back to its row — in order, to the rows just before it that lack one cell
(rows printed whole are passed over) — only when every figure equals the sum of its row's six: the row sums are
the constraint, nothing is presumed. Otherwise the groups stay as they are.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .extract_grid import Group


def _figures(group: Group) -> list[int] | None:
    try:
        return [int(t.text) for t in group.tokens if t.text.strip()]
    except ValueError:
        return None


def detached_totals(groups: list[Group], width: int, total: str) -> list[Group]:
    """The groups with each detached total column block (a group right after the fragment ``total``) given back
    to its rows (see the module); a block's figures left over (not the column's) stay a group of their own."""
    done = 0  # groups before this index belong to an earlier block
    out = list(groups)
    n = 0
    while n < len(out):
        block = out[n]
        values = _figures(block)
        if not (block.before and block.before[-1] == total and values):
            n += 1
            continue
        rows: list[Group] = []
        for group in reversed(out[done:n]):
            figures = _figures(group)
            if figures is None or len(figures) not in (width - 1, width):
                break
            if len(figures) == width - 1:
                rows.append(group)
        rows.reverse()
        rows = rows[: len(values)]
        if not rows or any(sum(_figures(row) or []) != v for row, v in zip(rows, values, strict=False)):
            n += 1
            continue
        cells = [t for t in block.tokens if t.text.strip()]
        for row, token in zip(rows, cells, strict=False):
            row.tokens = [*row.tokens, token]
        rest = cells[len(rows) :]
        if rest:
            block.tokens, block.before = rest, []
            n += 1
        else:
            del out[n]
        done = n
    return out
