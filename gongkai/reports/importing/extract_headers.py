"""Extraction, 表三 blocks printed column by column under their column headers (pdfminer on a table whose header
cells are broken over lines): the headers name the columns in print order ("商业 企业 … 总计 其他"), which the
figures' blocks follow but for the total column (placed by the sums). ``labels_after``: a page whose blocks come
before its row labels (WeasyPrint's paged print), the first rows by column under the headers, the page's other rows
across after them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from .extract_columns import read_blocks
from .extract_labels import in_format_order, leaf_labels
from .normalise import label_key

if TYPE_CHECKING:
    from .extract_grid import Group
    from .tokens import Token


_GROUP_HEADS = ("申请人情况", "法人或其他组织")


def header_columns(fragments: list[str], columns: Sequence[str]) -> tuple[list[str], list[str]] | None:
    """The column headers at the end of a list of label fragments ("商业", "企业", "科研", "机构" … "总计", "其他":
    a header cell broken over lines): (the fragments before them, the columns they name in print order), or None
    when the fragments do not end with whole column names."""
    keys = [label_key(c) for c in columns]
    heads = "".join(keys) + "".join(label_key(h) for h in _GROUP_HEADS)
    start = len(fragments)
    while start and fragments[start - 1] and fragments[start - 1] in heads:
        start -= 1
    named: list[str] = []
    buffer = ""
    for fragment in fragments[start:]:
        buffer += fragment
        if buffer in keys:
            named.append(columns[keys.index(buffer)])
            buffer = ""
        elif any(buffer == label_key(h) for h in _GROUP_HEADS):
            buffer = ""
    if buffer or not named:
        return None
    return fragments[:start], named


def across_headers(
    figures: list[Token],
    named: list[str],
    columns: Sequence[str],
    k: int,
    whole_row: Callable[[list[str]], bool],
) -> list[list[Token]] | None:
    """The k rows of a block printed column by column. Header cells are read in their own order, which need not be
    the figures' (a two-line "总计" read before a one-line "其他"): the columns keep their printed order, and which of
    them is the total (the last column of the format) is decided by the sums — taken only when one place holds."""
    total = columns[-1]
    others = [name for name in named if name != total]
    # a block headed by the first column (自然人) is that column's: equal to the total when every applicant is one
    first = 1 if named[0] == columns[0] else 0
    places = [[*others[:place], total, *others[place:]] for place in range(first, len(named))]
    orders = [[order.index(c) for c in columns] for order in places]
    # rows printed across before the columns (WeasyPrint's tall rows) only when no reading by column alone holds
    rows = read_blocks(figures, k, orders, whole_row, range(1))
    return rows if rows is not None else read_blocks(figures, k, orders, whole_row, range(1, k - 1))


def _figures(group: Group) -> list[Token]:
    return [t for t in group.tokens if t.text.strip()]


def _after(
    groups: list[Group],
    i: int,
    whole_row: Callable[[list[str]], bool],
    columns: Sequence[str],
    fmt: str,
    taken: bool,
) -> tuple[int, list[Group], bool] | None:
    """The page from ``i`` whose blocks stand under their headers before its row labels (see ``labels_after``):
    (the index after it, its rows, whether its labels stand before the next page's headers), or None. ``taken``:
    the labels before this page's first headers are the page before's."""
    width = len(columns)
    named: list[str] = []
    blocks: list[tuple[list[str], list[Token]]] = []
    j = i
    while j < len(groups) and len(named) < width:
        head = header_columns(groups[j].before, columns)
        if head is None or (leaf_labels(head[0], fmt) and not (taken and j == i)):
            return None
        named += head[1]
        blocks.append((head[1], _figures(groups[j])))
        j += 1
    if sorted(named) != sorted(columns) or len(named) != width:
        return None
    # the labels end the page; the next page may start with its own headers (then its first block is no figure of
    # this page's last row), or the table may end with them
    following = header_columns(groups[j].before, columns) if j < len(groups) else None
    if j == len(groups):
        fragments, end = groups[j - 1].after, j
    else:
        fragments, end = (following[0], j) if following is not None else (groups[j].before, j + 1)
    labels = in_format_order(leaf_labels(fragments, fmt), fmt)
    m, rest = divmod(len(blocks[0][1]), len(blocks[0][0]))
    if rest or not 1 <= m <= len(labels) or any(len(f) != m * len(n) for n, f in blocks[:-1]):
        return None
    last_names, last = blocks[-1]
    cut = m * len(last_names)
    tail = last[cut:] + (_figures(groups[j]) if end > j else [])
    if len(last) < cut or len(tail) != (len(labels) - m) * width:
        return None
    by_column = [t for _, f in blocks[:-1] for t in f] + last[:cut]
    rows = across_headers(by_column, named, columns, m, whole_row)
    across = [tail[r * width : (r + 1) * width] for r in range(len(labels) - m)]
    if rows is None or not all(whole_row([t.text for t in row]) for row in across):
        return None
    out = [
        replace(
            groups[i], tokens=row, before=[label], after=[], after_parent=False, by_column=True, block=block
        )
        for row, label, block in zip(
            rows + across, labels, [id(by_column)] * m + [id(tail)] * len(across), strict=True
        )
    ]
    return end, out, following is not None


def labels_after(
    groups: list[Group], whole_row: Callable[[list[str]], bool], columns: Sequence[str], fmt: str
) -> list[Group]:
    """Pages whose row labels follow their figures (pdfminer on WeasyPrint's paged print): blocks under their
    column headers holding the page's first m rows by column ("自然人 [m] 商业企业 科研机构 [2m] … 总计 其他 [2m +
    the other rows across]"), then the labels of all the page's rows, the last row's last figures after them. Read
    so when the first block holds whole columns, every block m figures a column, what follows the last block's
    columns is whole rows, the labels are as many as the rows, and the rows hold their sums; the labels go to the
    rows in the format's order, and the rows are named (their labels and columns are presumed)."""
    out: list[Group] = []
    i, taken = 0, False
    while i < len(groups):
        found = _after(groups, i, whole_row, columns, fmt, taken)
        if found is None:
            out.append(groups[i])
            i, taken = i + 1, False
            continue
        i, rows, taken = found
        out.extend(rows)
    return out
