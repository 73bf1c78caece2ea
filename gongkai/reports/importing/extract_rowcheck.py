"""Extraction, 表三: rows the grid aligner (`extract_grid`) placed by a label that may as well be another row's.

The aligner takes the reading with the best total label score; two shapes of a text layer leave that reading
presumed, and the rows are named by a warning instead of being silently right or wrong:

- a run taken by the row label printed after its figures ("二、上年结转…" after the run) while the label before
  it is missing or reads as another row's ("本年新收…" / run / "二、上年结转…": a header cell's figures took
  the first row, and each run after it the next row's label);
- a run whose figures follow, besides its own label, the label of another row that got no figures
  ("2.重复申请" / "3.要求提供公开出版物" / run): a text layer that read a page's figures out of order (pdfminer
  around a page footer), so the run may hold both rows' figures — a row of zeros with blanks is then read as
  one whole row of zeros.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from .extract_match import MATCH_THRESHOLD, best_row, label_score

ITEM_START = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+、)")

Rows = Sequence[tuple[str, tuple[str, ...]]]


def label_tail(after: Sequence[str], limit: int | None = None) -> list[str]:
    """The fragments after a label that may continue it: up to the next item's start ("1、" "（三）" "四、")."""
    out: list[str] = []
    for fragment in after[:limit]:
        if ITEM_START.match(fragment):
            break
        out.append(fragment)
    return out


def printed_after(before: Sequence[str], after: Sequence[str], forms: tuple[str, ...], rows: Rows) -> bool:
    """Whether a run takes this row (label ``forms``) only by a label printed after its figures that starts an
    item: that label is as well the next run's own, so which run is the row's is presumed — when the fragments
    before the run do not read as this row, or read better as another row. A label broken around its figures
    ("4.无正" / figures / "量反复申请") continues the label before and is not this."""
    if not any(ITEM_START.match(k) for k in after):
        return False
    windows = ["".join(before[len(before) - k :]) for k in range(1, len(before) + 1)]
    own = max((label_score(text, forms) for text in windows), default=0.0)
    if own < MATCH_THRESHOLD:
        return True
    return any(label_score(text, other) > own for text in windows for _, other in rows)


def crowded(taken: Mapping[str, Sequence[str]], rows: Rows) -> dict[str, str]:
    """Row key → the key of another row whose label stands before this row's figures without figures of its own.
    ``taken``: each placed row → the row labels printed before its run (since the run before). A label counts
    when it reads best as a row that got no run."""
    out: dict[str, str] = {}
    for key, labels in taken.items():
        for label in labels:
            score, other = best_row(label, rows)
            if score >= MATCH_THRESHOLD and other != key and other not in taken:
                out[key] = other
                break
    return out
