"""Extraction, runs of placeholder dashes before 表三's first row (a converter's empty header tables).

A page that printed 表三's header as small tables of its own with dashes for cells ("申请人情况 (自然人)" /
"(数据项目) 数量" / "- -", r704 of the dev half) puts those dashes before the first row's label in the text. Taken
as a row whose label is printed after its figures, they push every row of the table one row down. Such runs are
left out when the table's first row follows with its own label before real figures: nothing of the format
stands before that row. A report that prints a real row as dashes keeps it (it is not before the first row).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .extract_match import MATCH_THRESHOLD, label_score

if TYPE_CHECKING:
    from .extract_grid import Group

_DASH = re.compile(r"^[-－—–/／]+$")


def _dashes(group: Group) -> bool:
    return all(_DASH.match(t.text.strip()) for t in group.tokens if t.text.strip())


def placeholder_lead(groups: list[Group], rows: Sequence[tuple[str, tuple[str, ...]]]) -> list[Group]:
    """The groups without the runs of dashes standing before the first row's own labelled figures."""
    lead = 0
    while lead < len(groups) and _dashes(groups[lead]):
        lead += 1
    if lead == 0 or lead == len(groups) or not rows:
        return groups
    first = groups[lead]
    forms = rows[0][1]
    labels = [first.before[-1]] if first.before else []
    if len(first.before) > 1:
        labels.append("".join(first.before[-2:]))
    if max((label_score(k, forms) for k in labels), default=0.0) < MATCH_THRESHOLD:
        return groups
    return groups[lead:]
