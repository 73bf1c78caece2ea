"""Extraction, 表三's first figure printed apart from the rest of its row (LibreOffice prints read by ``pdftotext``
without ``-layout``).

A row label printed over two lines puts the row's first figure (自然人) between them and the row's other figures
after the label's second line, often followed in the same run by the figures of the next rows:
"4、保护第三方合法" / 0 / "权益" / 0 0 0 0 0 0 [0 0 0 0 0 0 0]. The lone figure and the first six of the run are
one row when only together they are a whole row (its own sum holds) and the words between them continue the label
(they start no item); what is left of the run stays a run of its own without a label (a whole row is placed by
position and named, a part of a row is left out). The joined rows are named too: the join is presumed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING

from .extract_late import late_firsts
from .extract_rowcheck import ITEM_START

if TYPE_CHECKING:
    from .extract_grid import Group
    from .tokens import Token


def _texts(tokens: list[Token]) -> list[str]:
    return [t.text for t in tokens]


def _joins(last: Group, group: Group, whole_row: Callable[[list[str]], bool], width: int) -> bool:
    """Whether ``last`` is a row's lone first figure and ``group`` starts with the rest of that row."""
    if len(last.tokens) != 1 or not last.tokens[0].text.strip():
        return False
    if not any(ITEM_START.match(k) for k in last.before) or not group.before:
        return False
    if any(ITEM_START.match(k) for k in group.before):
        return False
    cells = group.tokens
    if any(not t.text.strip() for t in cells) or len(cells) < width - 1:
        return False
    left = cells[width - 1 :]
    if len(left) not in (0, width - 1, width) or (len(left) == width and not whole_row(_texts(left))):
        return False
    return whole_row(_texts(last.tokens + cells[: width - 1]))


def first_apart(
    groups: list[Group], whole_row: Callable[[list[str]], bool], width: int
) -> tuple[list[Group], set[int]]:
    """The groups with each row's lone first figure joined to the rest of its row (see the module; a first figure
    printed after the rest, ``extract_late``), and the ids of the joined groups' token lists (rows to name)."""
    out: list[Group] = []
    joined: set[int] = set()
    for group in groups:
        last = out[-1] if out else None
        if last is None or id(last.tokens) in joined or not _joins(last, group, whole_row, width):
            out.append(group)
            continue
        last.tokens = last.tokens + group.tokens[: width - 1]
        last.before = last.before + group.before
        joined.add(id(last.tokens))
        rest = group.tokens[width - 1 :]
        last.after = [] if rest else group.after
        if rest:
            out.append(dataclasses.replace(group, tokens=rest, before=[], after_parent=False))
    out, late = late_firsts(out, whole_row, width)
    return out, joined | late
