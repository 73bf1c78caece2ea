"""Extraction, 表三's first figure printed after the rest of its row, with the row's label (LibreOffice prints read
by ``pdftotext`` without ``-layout``).

A row label printed next to a merged group label ("（三）不予公开", "（四）无法提供") leaves the table's flow with the
group label: the row's other six figures stand in their place among the rows (a run of six without a label, or
the end of the run before after its whole rows), and the label with the row's first figure (自然人) comes later,
after the rows the group label spans: "4、保护第三方合法" / 0 / "权益" / 0 0 0 0 0 0 [0 0 0 0 0 0] …
"5、属于三类内部事" / 0 / "务信息". The tails and the lone figures stand in the format's row order both, so they
are paired in order: a lone figure (with a row label: an item number) goes to a tail before it when only together
they are a whole row (its own sum holds) and only runs of whole rows and other lone figures stand between them.
A lone 0 holds the sum wherever it stands, and a figure right after its tail is a cell broken off the row at a
page break, any of its cells: those are joined only when the row's cells are the same wherever the figure stands.
In a table whose runs of six stand under their own row labels there are no tails: those are rows whose total
column was printed apart (``extract_totals``). Every pairing that pairs the most tails is tried; only the pairs
all of them share are joined — a tail that could take more than one lone figure is left as it is (its row stays
unread and named). The joined row takes the tail's place in the stream and the lone figure's label; it is named
(``import_row_position``): the join is presumed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING

from .extract_rowcheck import ITEM_START

if TYPE_CHECKING:
    from .extract_grid import Group

MAX_PAIRINGS = 64  # pairings of tails and lone figures tried at most (a table has a handful of each)

Pairs = tuple[tuple[int, int], ...]


def _rows(group: Group, whole_row: Callable[[list[str]], bool], width: int) -> bool:
    """A run of whole rows, ending or not in the row width less one figures (a tail)."""
    cells = [t.text for t in group.tokens]
    rows, rest = divmod(len(cells), width)
    if rest not in (0, width - 1) or not all(c.strip() for c in cells):
        return False
    return all(whole_row(cells[k : k + width]) for k in range(0, rows * width, width))


def _tail(group: Group, whole_row: Callable[[list[str]], bool], width: int) -> bool:
    """A run ending in a tail after whole rows, or a tail alone without a row label of its own."""
    if len(group.tokens) % width != width - 1 or not _rows(group, whole_row, width):
        return False
    return len(group.tokens) > width or not any(ITEM_START.match(k) for k in group.before)


def _lone(group: Group) -> bool:
    """A single figure printed with a row label (an item number)."""
    return (
        len(group.tokens) == 1
        and bool(group.tokens[0].text.strip())
        and any(ITEM_START.match(k) for k in group.before)
    )


def _same(text: str, other: str) -> bool:
    return text.isdigit() and other.isdigit() and int(text) == int(other)


def _pairings(
    tails: list[int], lones: list[int], fits: Callable[[int, int], bool], start: int = 0, after: int = -1
) -> list[Pairs]:
    """The order-keeping pairings of ``tails[start:]`` with lone figures after them (and after ``after``), each
    pair a whole row; tails may stay unpaired. Stops past ``MAX_PAIRINGS``."""
    if start == len(tails):
        return [()]
    tail = tails[start]
    out = list(_pairings(tails, lones, fits, start + 1, after))
    for lone in lones:
        if lone > tail and lone > after and fits(tail, lone):
            out += [((tail, lone), *rest) for rest in _pairings(tails, lones, fits, start + 1, lone)]
        if len(out) > MAX_PAIRINGS:
            return out
    return out


def late_firsts(
    groups: list[Group], whole_row: Callable[[list[str]], bool], width: int
) -> tuple[list[Group], set[int]]:
    """The groups with each tail joined to its row's lone first figure printed later (see the module), and the ids of
    the joined groups' token lists (rows to name)."""
    tails = [i for i, g in enumerate(groups) if _tail(g, whole_row, width)]
    lones = [i for i, g in enumerate(groups) if _lone(g)]
    # runs of six under their own row labels: the table's total column was printed apart (extract_totals), and a
    # run of six is such a row, no tail
    sixes = [g for g in groups if len(g.tokens) == width - 1]
    if not tails or not lones or any(ITEM_START.match(k) for g in sixes for k in g.before):
        return groups, set()

    def fits(tail: int, lone: int) -> bool:
        between = groups[tail + 1 : lone]
        if not all(_lone(g) or _rows(g, whole_row, width) for g in between):
            return False
        first, rest = (
            groups[lone].tokens[0].text.strip(),
            [t.text.strip() for t in groups[tail].tokens[1 - width :]],
        )
        # a lone 0 holds the sum wherever it stands, and a figure right after the tail is a cell broken off the row
        # at a page break, any of its cells: read only when the row is the same wherever the figure stands
        anywhere = all(_same(c, first) for c in rest[:-1])
        if (_same(first, "0") or not between) and not anywhere:
            return False
        return whole_row([first, *rest])

    pairings = _pairings(tails, lones, fits)
    if len(pairings) > MAX_PAIRINGS:
        return groups, set()
    most = max(len(p) for p in pairings)
    best = [set(p) for p in pairings if len(p) == most]
    shared = dict(set.intersection(*best)) if most else {}
    if not shared:
        return groups, set()
    used = set(shared.values())
    out: list[Group] = []
    joined: set[int] = set()
    for i, group in enumerate(groups):
        if i in used:
            continue
        if i in shared:
            lone, cut = groups[shared[i]], len(group.tokens) - (width - 1)
            if cut:  # the whole rows before the tail stay a run of their own, with the run's label
                out.append(dataclasses.replace(group, tokens=group.tokens[:cut], after=[]))
            group = dataclasses.replace(
                group,
                tokens=lone.tokens + group.tokens[cut:],
                before=lone.before if cut else group.before + lone.before,
                after=lone.after,
                after_parent=False,
            )
            joined.add(id(group.tokens))
        out.append(group)
    return out, joined
