"""Extraction, label matching: cell labels → the format's row keys by similarity (definitions' labels).

Spaces, brackets, "，" for "、", truncated labels and OCR slips are tolerated; `row_candidates` gives
every 表三 row's label forms, which `extract_grid` aligns the figures of the stream to.
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


def strip_number(key: str) -> str:
    return re.sub(r"^(?:[（(][一二三四五六七八九十]+[）)]|\d+、|[一二三四五六七八九十]+、)", "", key)


@lru_cache(maxsize=8)
def row_candidates(fmt: str) -> tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]:
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
        if len(strip_number(leaf)) > 3:  # "3.其他" must not match the column header 其他
            forms.add(strip_number(leaf))
        # （二）部分公开（区分处理的，…）: the bracketed note is often left out.
        forms.add(re.sub(r"（[^（）]*）$", "", leaf))
        out.append((key, tuple(f for f in forms if f), tuple(parts[:-1])))
    return tuple(out)


@lru_cache(maxsize=8)
def parent_labels(fmt: str) -> frozenset[str]:
    parents: set[str] = set()
    for _, _, ps in row_candidates(fmt):
        parents.update(ps)
    return frozenset(parents)


@lru_cache(maxsize=65536)
def label_score(token: str, forms: tuple[str, ...]) -> float:
    """Similarity of a label key to the closest of a row's label forms (1.0 exact; a shared prefix counts)."""
    best = 0.0
    for form in forms:
        if token == form:
            return 1.0
        if len(token) >= 4 and len(form) >= 4 and (form.startswith(token) or token.startswith(form)):
            best = max(best, 0.9 * min(len(token), len(form)) / max(len(token), len(form)) + 0.1)
        best = max(best, ratio(token, form))
    return best


def best_row(label: str, rows: Sequence[tuple[str, tuple[str, ...]]]) -> tuple[float, str]:
    """(score, key) of the row whose label forms a label key reads best as."""
    return max((label_score(label, forms), key) for key, forms in rows)


@lru_cache(maxsize=8)
def known_labels(fmt: str) -> frozenset[str]:
    """Every label the format prints in its three tables (表二 items, rows and columns; 表三 row labels, header and
    columns; 表四 header and groups), as label keys."""
    spec = defs.FORMATS[fmt]
    texts: set[str] = {spec.table2_layout.label_header, *spec.table3_columns}
    for block in spec.table2_layout.blocks:
        texts.update({block.item, *block.rows, *(c.label for c in block.columns)})
    for key, _, _ in row_candidates(fmt):
        texts.update(key.split("/"))
    for rows in (defs.TABLE3_HEADER, spec.table4_layout.header):
        texts.update(part for row in rows for cell in row for part in cell.text.split("/"))
    for group in spec.table4_layout.groups:
        texts.update(group.split("/"))
    return frozenset(k for k in map(label_key, texts) if k)


MAX_PIECES = 5  # cells one label is split over at most


def join_split_labels(tokens: list[Token], fmt: str) -> list[Token]:
    """A label a converter cut over neighbouring cells of one row — a merged cell's text divided at the column
    lines under it ("|第二十条第|（一）项|", "|行|政复议|", "|申|请人情|况|": PyMuPDF's table finder on a PDF) — is one
    label again: label cells next to each other on one line are joined when together, and not the first alone, they
    are a label the format prints. The format's labels are the anchors; cells that join into none stay apart."""
    known = known_labels(fmt)
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        joined = None
        if not token.is_value and label_key(token.text) not in known:
            text = token.text
            for j in range(i + 1, min(len(tokens), i + MAX_PIECES)):
                following = tokens[j]
                if following.is_value or following.line != token.line:
                    break
                text += following.text
                if label_key(text) in known:
                    joined = j
        if joined is None:
            out.append(token)
            i += 1
            continue
        out.append(Token("".join(t.text for t in tokens[i : joined + 1]), token.line, False))
        i = joined + 1
    return out
