"""Extraction, label matching: cell labels → the format's row keys by similarity (definitions' labels).

Spaces, brackets, "，" for "、", truncated labels and OCR slips are tolerated; `match_rows` walks the cell
stream of 表三 and gives every matched row the value cells that follow its label.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from rapidfuzz import fuzz

from gongkai.reports import definitions as defs

from .normalise import label_key
from .tokens import Token

MATCH_THRESHOLD = 0.78


@lru_cache(maxsize=65536)
def ratio(a: str, b: str) -> float:
    """Similarity 0–1 (normalised longest common subsequence, as difflib's ratio, in C via rapidfuzz)."""
    if not a or not b or 2 * min(len(a), len(b)) / (len(a) + len(b)) < 0.5:
        return 0.0  # too different in length to reach any threshold used here
    return float(fuzz.ratio(a, b, processor=None)) / 100.0


def _strip_number(key: str) -> str:
    return re.sub(r"^(?:[（(][一二三四五六七八九十]+[）)]|\d+、|[一二三四五六七八九十]+、)", "", key)


@lru_cache(maxsize=8)
def _row_candidates(fmt: str) -> tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]:
    """(row key, label forms, parent labels) for every 表三 row of the format. In 2021 the single
    （六）其他处理 row of local templates is a candidate too, before its sub-rows (read_table3 keeps it only
    when it holds figures and the sub-rows are not there)."""
    spec = defs.FORMATS[fmt]
    keys: list[str] = []
    for key in spec.table3_row_keys:
        if key.startswith(f"{defs.OTHER_2019}/") and defs.OTHER_2019 not in keys:
            keys.append(defs.OTHER_2019)
        keys.append(key)
    out = []
    for key in keys:
        parts = [label_key(p) for p in key.split("/")]
        leaf = parts[-1]
        forms = {leaf, "".join(parts[-2:]), "".join(parts)}
        if len(_strip_number(leaf)) > 3:  # "3.其他" must not match the column header 其他
            forms.add(_strip_number(leaf))
        # （二）部分公开（区分处理的，…）: the bracketed note is often left out.
        forms.add(re.sub(r"（[^（）]*）$", "", leaf))
        out.append((key, tuple(f for f in forms if f), tuple(parts[:-1])))
    return tuple(out)


@lru_cache(maxsize=8)
def _parent_labels(fmt: str) -> frozenset[str]:
    parents: set[str] = set()
    for _, _, ps in _row_candidates(fmt):
        parents.update(ps)
    return frozenset(parents)


def label_score(token: str, forms: Sequence[str]) -> float:
    """Similarity of a label key to the closest of a row's label forms (1.0 exact; a shared prefix counts)."""
    best = 0.0
    for form in forms:
        if token == form:
            return 1.0
        if len(token) >= 4 and len(form) >= 4 and (form.startswith(token) or token.startswith(form)):
            best = max(best, 0.9 * min(len(token), len(form)) / max(len(token), len(form)) + 0.1)
        best = max(best, ratio(token, form))
    return best


def _best_row(
    keys: Sequence[str], rows: Sequence[tuple[str, tuple[str, ...], tuple[str, ...]]], start: int, stop: int
) -> tuple[int, float, str]:
    """(row index, score, label key used) of the best match of any of the label readings in rows[start:stop]."""
    best = (-1, 0.0, keys[0])
    for key in keys:
        for index in range(start, stop):
            score = label_score(key, rows[index][1])
            if score > best[1]:
                best = (index, score, key)
    return best


def match_rows(tokens: Sequence[Token], fmt: str, *, anchored: bool = True) -> dict[str, list[Token]]:
    """Walk the cell stream, assigning value cells to the 表三 row whose label precedes them.

    A label broken over lines (PDF text: "1、申请人无正当理由逾期不补" / "正、行政机关不再处理其政府信 67 3 …" /
    "息公开申请", with a merged group label "（六）其" / "他处理" floating between) is read whole: the label
    cells that matched no row are kept as fragments, and a later label is also tried joined to them (in order,
    any of the last three, so a stray fragment in between is skipped).
    """
    rows = _row_candidates(fmt)
    parents = _parent_labels(fmt)
    found: dict[str, list[Token]] = {}
    pointer = 0
    current: str | None = None
    fragments: list[tuple[int, str]] = []  # (line, key) of recent label cells that matched nothing
    for token in tokens:
        if token.is_value:
            if current is not None:
                found[current].append(token)
            continue
        key = label_key(token.text)
        if not key:
            continue
        if current is not None and not found[current] and label_score(key, rows[pointer - 1][1]) >= 0.9:
            continue  # the label again before its figures (a Markdown heading, then the table's row)
        # Before the first row is found, any row may come first (an excerpt, a table's second page).
        window = len(rows) if not anchored and not found else 8
        recent = [k for line, k in fragments if token.line - line <= 3][-3:]
        joined = [
            "".join(k for n, k in enumerate(recent) if mask >> n & 1) + key
            for mask in range(1 << len(recent))
        ]
        best_index, best_score, used = _best_row(joined, rows, pointer, min(pointer + window, len(rows)))
        parent_score = max((ratio(key, p) for p in parents), default=0.0)
        if best_score >= MATCH_THRESHOLD and best_score >= parent_score:
            fragments = [] if used != key else fragments
            current = rows[best_index][0]
            if current in found:  # the same label twice (repeated header): keep the first reading
                current = None
                continue
            found[current] = []
            pointer = best_index + 1
        elif parent_score >= 0.85:
            # 三、本年度办理结果 / （三）不予公开: a merged parent cell; values follow the child. Figures
            # right after a parent belong to a subtotal row some tools add: not a row of the format.
            current = None
        elif current is not None and not found[current] and len(key) <= 12:
            continue  # the rest of a label wrapped onto the next line ("2.没有现成信息需要另" / "行制作")
        else:
            fragments.append((token.line, key))
            current = None
    return found
