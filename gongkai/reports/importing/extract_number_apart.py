"""Extraction, a 表三 row whose item number is printed apart from its label, on the line of a later figure
(a page printed by Chromium, read by ``pdftotext -layout``: a cell's label wraps over three lines, the figures
stand on the first two, and the number column's "3." is centred on the middle line)::

               危及“三安全一稳 0
              3.                                  0
              定”

The stream is then two runs: the first figure under the words without their number, the second under the
number alone. They are one row when: the second run's only label is the bare number, the two runs together hold
no more figures than a row, the second stands on a later line, and the number, the words and the words after the
second run ("定”") read as the label of the row the words name — a row with that number. What the row's figures
are then is decided as for any row (by its width and sums, named when it is not sure).
"""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING

from .extract_match import MATCH_THRESHOLD, best_row, ratio, strip_number
from .extract_rowcheck import ITEM_START, label_tail

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .extract_grid import Group

BARE_NUMBER = re.compile(r"^(\d+)、$")
_ROW_NUMBER = re.compile(r"(?:^|/)(\d+)\.[^/]*$")


def _starts(words: str, forms: tuple[str, ...]) -> bool:
    """Whether the words before the figures are how the row's own label starts (a slip in them allowed)."""
    leaves = {strip_number(form) for form in forms}
    spans = range(max(1, len(words) - 2), len(words) + 3)
    return any(ratio(words, leaf[:n]) >= 0.8 for leaf in leaves for n in spans)


def _number_apart(
    last: Group, group: Group, width: int, rows: Sequence[tuple[str, tuple[str, ...]]]
) -> tuple[str, int] | None:
    """(the whole label, how many of ``group``'s following fragments it takes) when ``group`` holds the rest of
    ``last``'s row under its number alone, else None. The label's end may run over several lines after the
    figures ("收费通知要求缴纳" / "费用、行政机关不" / …): as many of them as read best, up to the next item."""
    if not last.before or len(group.before) != 1 or len(last.tokens) + len(group.tokens) > width:
        return None
    bare = BARE_NUMBER.match(group.before[0])
    words = last.before[-1]
    if bare is None or ITEM_START.match(words) or group.tokens[0].line <= last.tokens[-1].line:
        return None
    tail = label_tail(group.after)
    best: tuple[float, int, str] = (-1.0, 0, "")
    for n in range(len(tail) + 1):
        score, key = best_row(group.before[0] + words + "".join(tail[:n]), rows)
        if score > best[0]:
            best = (score, n, key)
    score, taken, key = best
    number = _ROW_NUMBER.search(key)
    if score < MATCH_THRESHOLD or number is None or number.group(1) != bare.group(1):
        return None
    if not _starts(words, dict(rows)[key]):
        return None
    return group.before[0] + words + "".join(group.after[:taken]), taken


def numbers_apart(
    groups: list[Group], width: int, rows: Sequence[tuple[str, tuple[str, ...]]]
) -> list[Group]:
    """The groups with each row printed with its number apart (see the module) joined into one run."""
    out: list[Group] = []
    for group in groups:
        last = out[-1] if out else None
        found = None if last is None else _number_apart(last, group, width, rows)
        if last is None or found is None:
            out.append(group)
            continue
        label, taken = found
        out[-1] = dataclasses.replace(
            last,
            tokens=last.tokens + group.tokens,
            before=[*last.before[:-1], label],
            after=group.after[taken:],
        )
    return out
