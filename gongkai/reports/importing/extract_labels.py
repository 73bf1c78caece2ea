"""Extraction, the row labels of 表三 among a run's label fragments (a label broken over lines joined again).

A fragment that starts an item ("1、", "（二）", "四、") starts a label, the fragments after it continue it; words
before the first item (column headers) are left out, and so are the labels of groups (三、本年度办理结果, （三）不予公开:
rows without figures of their own). A group label that is also a row of the format (2021's （六）其他处理, printed as
one row by local templates) is a row when none of its sub-rows' labels stands among the fragments.
"""

from __future__ import annotations

from functools import lru_cache

from .extract_match import MATCH_THRESHOLD, label_score, parent_labels, ratio, row_candidates
from .extract_rowcheck import ITEM_START


@lru_cache(maxsize=8)
def _forms(fmt: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((key, forms) for key, forms, _ in row_candidates(fmt))


def _heads(fmt: str, label: str) -> list[str]:
    """The row keys that head sub-rows in the format whose label this is (（六）其他处理), or []."""
    rows = _forms(fmt)
    return [
        key
        for key, forms in rows
        if label_score(label, forms) >= MATCH_THRESHOLD and any(k.startswith(f"{key}/") for k, _ in rows)
    ]


def _has_sub_rows(labels: list[str], heads: list[str], fmt: str) -> bool:
    subs = [forms for key, forms in _forms(fmt) if any(key.startswith(f"{h}/") for h in heads)]
    return any(label_score(k, forms) >= MATCH_THRESHOLD for k in labels for forms in subs)


def joined(fragments: list[str]) -> list[str]:
    """Label fragments joined into labels: an item number starts one, the fragments after it continue it; words
    before the first item (column headers) are left out."""
    labels: list[str] = []
    for fragment in fragments:
        if ITEM_START.match(fragment):
            labels.append(fragment)
        elif labels:
            labels[-1] += fragment
    return labels


def leaf_labels(fragments: list[str], fmt: str) -> list[str]:
    """The row labels in a list of label fragments (see the module), in print order."""
    parents, rows = parent_labels(fmt), _forms(fmt)
    labels = joined(fragments)
    out = []
    for k in labels:
        if max((label_score(k, forms) for _, forms in rows), default=0.0) < MATCH_THRESHOLD:
            continue
        if max((ratio(k, p) for p in parents), default=0.0) >= 0.85:
            heads = _heads(fmt, k)
            if not heads or _has_sub_rows(labels, heads, fmt):
                continue
        out.append(k)
    return out


def in_format_order(labels: list[str], fmt: str) -> list[str]:
    """Row labels in the order of the rows they name: a block read column by column gives its rows top to bottom,
    while a text layer may print their labels in another order (pdfminer: "（七）总计 / 四、… / 1.申请人…")."""
    rows = _forms(fmt)

    def place(label: str) -> int:
        scores = [label_score(label, forms) for _, forms in rows]
        return scores.index(max(scores))

    return sorted(labels, key=place)
