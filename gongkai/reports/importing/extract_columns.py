"""Extraction, 表三 printed column by column with its first column among the labels (pdfminer's reading order).

pdfminer.six's layout analysis reads a table whose cells are laid out apart as boxes, in an order of its own: the
labels of a page's rows with the first column's figure beside each (or a few together), then the other columns
top to bottom, one block each, the 总计 column's among them::

    一、本年新收… 71 | 二、上年结转… 1 | （一）予以公开 21 | … | 3.补正后… | 0 0 | 3 0 0 1 0 … | 74 1 21 9 …

Each run of figures then looks like a short row, and the last run like many rows. Such a stretch is read back row
by row only when it decides itself: the stretch holds the labels of k rows and exactly k figures per column, read
column by column every one of the k rows holds its own sum (总计 = the six applicant columns), exactly one place of
the total column among the blocks gives such rows, and read row by row they do not hold — or give the same cells
(rows of zeros read every way). Runs under no row label may only close a stretch (a total column's block): such a
run between labelled runs is a row whose label was lost, so the stretch is no table read by column. The rows are
then marked as read by column, so their cells are named by a warning: which applicant column is which is the
format's order, and which label each row takes is presumed (a run of zeros fits any count of rows).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from .extract_labels import in_format_order, joined
from .extract_match import MATCH_THRESHOLD, label_score, parent_labels, ratio, row_candidates

if TYPE_CHECKING:
    from .extract_grid import Group
    from .tokens import Token

MAX_SPAN = 60  # runs of figures one stretch (a page of 表三) holds at most


def _row_labels(fragments: list[str], fmt: str) -> list[str]:
    """The row labels among label fragments (extract_labels.joined); labels of groups (（三）不予公开) left out,
    and a label that names the same row as the one before it (a Markdown heading repeating its row's label over
    the row's own cell: "### 5.要求…" / "| 类别 | … | 总计 |" / "| 5.要求… | 1 | …") counted once."""
    parents = parent_labels(fmt)
    forms = [f for _, f, _ in row_candidates(fmt)]
    out: list[str] = []
    rows: list[int] = []
    for k in joined(fragments):
        if max((ratio(k, p) for p in parents), default=0.0) >= 0.85:
            continue
        scores = [label_score(k, f) for f in forms]
        best = max(range(len(forms)), key=scores.__getitem__)
        if scores[best] < MATCH_THRESHOLD or (rows and rows[-1] == best):
            continue
        out.append(k)
        rows.append(best)
    return out


def _texts(rows: list[list[Token]]) -> list[list[str]]:
    return [[t.text for t in row] for row in rows]


def read_blocks(
    figures: list[Token],
    k: int,
    orders: list[list[int]],
    whole_row: Callable[[list[str]], bool],
    heads: range | None = None,
) -> list[list[Token]] | None:
    """The k rows of figures printed column by column, one block a column: ``orders`` are the places the blocks may
    stand in (order[c]: the block holding column c), and the rows are read only when every place that makes each
    row hold its own sum gives the same cells. The page's first rows may be printed across before the others'
    columns (LibreOffice's or WeasyPrint's tall rows, each cell read on its own): every count of such rows is tried
    the same way (``heads``: the counts tried, all by default)."""
    width = len(orders[0]) if orders else 0
    found: dict[tuple[str, ...], list[list[Token]]] = {}
    for head in range(k - 1) if heads is None else heads:
        first = [figures[r * width : (r + 1) * width] for r in range(head)]
        if not all(whole_row([t.text for t in row]) for row in first):
            break
        m = k - head
        blocks = [figures[head * width + n * m : head * width + (n + 1) * m] for n in range(width)]
        for order in orders:
            rows = first + [[blocks[order[c]][r] for c in range(width)] for r in range(m)]
            if all(whole_row([t.text for t in row]) for row in rows):
                found.setdefault(tuple(t.text for row in rows for t in row), rows)
    return next(iter(found.values())) if len(found) == 1 else None


def _across(
    figures: list[Token], k: int, width: int, whole_row: Callable[[list[str]], bool]
) -> list[list[Token]] | None:
    """The k rows of figures printed column by column, the total column at the one block place the sums allow.
    The first block is the column printed beside the labels — the table's first, 自然人 — never the total (when
    the applicants are all 自然人 the two columns are equal, and only this tells them apart)."""
    orders = [[*range(place), *range(place + 1, width), place] for place in range(1, width)]
    return read_blocks(figures, k, orders, whole_row)


def _across_rows(groups: list[Group], labels: list[list[str]], width: int) -> bool:
    """Whether the runs before a stretch's last are rows printed across, each under its own label — whole, or
    without the total column, which is then read apart after them (extract_totals): not a table read by column."""
    return bool(groups) and all(
        len(names) == 1 and len(g.tokens) in (width - 1, width)
        for g, names in zip(groups, labels, strict=True)
    )


def _places(
    figures: list[Token], last: list[Token], before: int, k: int, width: int
) -> list[tuple[list[Token], list[Token]]]:
    """The ways to leave out the figures a stretch holds beyond its k rows (a chart's, printed beside the table's
    last rows): (the table's figures, the left-out ones). After the last run — when the runs before it hold whole
    columns or the last run all the columns after the first; or at the edges between the last two runs' columns,
    the end of the run before and the start of the last, when what stands before them is whole columns."""
    extra = len(figures) - k * width
    cut = len(figures) - len(last)
    places: list[tuple[list[Token], list[Token]]] = []
    if extra == 0 or len(last) - extra >= (width - 1) * k or (cut % k == 0 and len(last) - extra >= k):
        places.append((figures[: k * width], figures[k * width :]))
    for e1 in range(min(extra, before) + 1):
        for e2 in range(extra - e1 + 1):
            e3 = extra - e1 - e2
            if e1 + e2 == 0 or (cut - e1) % k or len(last) - e2 - e3 < k:
                continue
            table = figures[: cut - e1] + last[e2 : len(last) - e3]
            places.append((table, figures[cut - e1 : cut] + last[:e2] + last[len(last) - e3 :]))
    return places


def _names(labels: list[str], fmt: str, apart: bool) -> list[str] | None:
    """The stretch's row labels in the order of its rows (top to bottom, as its blocks are): when the text printed
    them in another order, sorted by the rows they name — only when every figure stands after all of them (apart),
    else the first column beside them follows the printed order and the stretch is not read."""
    ordered = in_format_order(labels, fmt)
    return ordered if ordered == labels or apart else None


def _whole_runs(groups: list[Group], width: int, whole_row: Callable[[list[str]], bool]) -> bool:
    """Whether every run of a stretch is one whole row printed across (its width, its own sum): with row labels
    among the runs (not all before the first), rows whose labels stand a row off their figures (markitdown: a label
    printed after its row's figures, another cut around them), not a table read by column."""
    return all(len(g.tokens) == width and whole_row([t.text for t in g.tokens]) for g in groups)


def _stretch(
    groups: list[Group],
    labels: list[list[str]],
    i: int,
    width: int,
    whole_row: Callable[[list[str]], bool],
    fmt: str,
) -> tuple[int, list[list[Token]], list[str], list[Token]] | None:
    """The stretch of runs from ``i`` read column by column: (its end, its rows, their labels, the figures left
    after its rows), or None. The table's last stretch may hold a few figures more than its rows take (fewer than a
    row: a chart's, see ``_places``): every place they may stand is tried, and the stretch is read only when every
    place that holds gives the same rows."""
    k = 0
    figures: list[Token] = []
    for j in range(i, min(len(groups), i + MAX_SPAN)):
        if labels[j] and j > i and not labels[j - 1]:
            return None  # runs without a row label only after the stretch's labels (a total column's block)
        k += len(labels[j])
        last = [t for t in groups[j].tokens if t.text.strip()]
        figures += last
        extra = len(figures) - k * width
        if extra > 0 and (k < 2 or extra >= width or j < len(groups) - 1):
            return None
        if extra < 0 or k < 2:
            continue
        if _across_rows(groups[i:j], labels[i:j], width) or (
            any(labels[i + 1 : j + 1]) and _whole_runs(groups[i : j + 1], width, whole_row)
        ):
            return None
        before = len([t for t in groups[j - 1].tokens if t.text.strip()]) if j > i and extra else 0
        found: dict[tuple[str, ...], tuple[list[list[Token]], list[Token]]] = {}
        for table, left in _places(figures, last, before, k, width):
            rows = _across(table, k, width, whole_row)
            by_row = [table[r * width : (r + 1) * width] for r in range(k)]
            either = all(whole_row([t.text for t in row]) for row in by_row)
            if rows is None:
                continue
            if either and _texts(by_row) != _texts(rows):
                return None
            found.setdefault(tuple(t.text for row in rows for t in row), (rows, left))
        if len(found) != 1:
            return None
        rows, left = next(iter(found.values()))
        used = {id(t) for row in rows for t in row}
        first = next(n for n in range(i, j + 1) if any(id(t) in used for t in groups[n].tokens))
        apart = not any(labels[n] for n in range(first + 1, j + 1))  # no label after the rows' first figures
        names = _names([label for n in range(i, j + 1) for label in labels[n]], fmt, apart)
        return None if names is None else (j + 1, rows, names, left)
    return None


def interleaved_columns(
    groups: list[Group], whole_row: Callable[[list[str]], bool], width: int, fmt: str
) -> list[Group]:
    """Stretches of runs printed column by column (see the module) read back as rows, each with its label."""
    labels = [_row_labels(g.before, fmt) for g in groups]
    out: list[Group] = []
    i = 0
    while i < len(groups):
        found = None if not labels[i] else _stretch(groups, labels, i, width, whole_row, fmt)
        if found is None:
            out.append(groups[i])
            i += 1
            continue
        end, rows, names, left = found
        out.extend(
            replace(
                groups[i],
                tokens=row,
                before=[name],
                after=[],
                after_parent=False,
                by_column=True,
                block=id(rows),
            )
            for row, name in zip(rows, names, strict=True)
        )
        if left:
            out.append(replace(groups[end - 1], tokens=left, before=[], after_parent=False))
        i = end
    return out
