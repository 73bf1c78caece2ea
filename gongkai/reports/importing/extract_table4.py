"""Extraction, 表四: 15 cells (three groups of five) after its 行政复议/行政诉讼 header.

The table is read as the format's grid: the figures after the anchor, in order, with the group labels that
stand right before a run of figures as anchors (a Markdown conversion prints one small table per group under
"### 行政复议", "### 行政诉讼（未经复议直接起诉）" …). When every run of figures follows its own group label, each
group is fitted to its five columns apart; otherwise the figures are one row of 15 (the printed grid: the whole
header first, then the data row). Either way the sum rules (总计 = the four results) choose between readings.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from gongkai.reports import definitions as defs
from gongkai.reports.checks.findings import Finding

from .extract_fit import value_candidates
from .extract_match import label_score
from .extract_rules import Read, apply_rules, finding
from .normalise import label_key
from .tokens import Token, parse_value


@lru_cache(maxsize=1)
def _header_words() -> tuple[tuple[str, ...], frozenset[str]]:
    layout = defs.TABLE4
    words = sorted(
        {label_key(part) for row in layout.header for cell in row for part in cell.text.split("/")},
        key=len,
        reverse=True,
    )
    return tuple(words), frozenset("".join(words))


def _is_header(text: str) -> bool:
    words, chars = _header_words()
    key = label_key(text)
    rest = key
    for word in words:
        rest = rest.replace(word, "")
    # PDF text of narrow header cells comes one character per line ("结 结 其 尚"); brackets around a group.
    rest = rest.strip("（）()")
    return len(rest) <= 1 or set(key) <= chars | set("（）") or label_score(key, words) > 0.8


def _group_of(text: str) -> int | None:
    """The group a label names on its own (行政复议 / 未经复议直接起诉 / 复议后起诉), or None."""
    key = label_key(text)
    named = [
        n
        for n, group in enumerate(defs.TABLE4.groups)
        if label_key(group.rsplit("/", 1)[-1]) in key and (n > 0 or defs.SUIT_GROUP not in key)
    ]
    return named[0] if len(named) == 1 else None


def _segments(tokens: Sequence[Token], anchor: int) -> list[tuple[int | None, list[str]]]:
    """Runs of figures after the anchor, each with the group whose label alone stands before it (or None)."""
    segments: list[tuple[int | None, list[str]]] = []
    groups_seen: list[int] = [0] if _group_of(tokens[anchor].text) == 0 else []
    run: list[str] = []
    for token in tokens[anchor + 1 :]:
        if token.is_value:
            run.append(token.text)
            continue
        if not _is_header(token.text):
            break
        if run:
            segments.append((groups_seen[0] if len(groups_seen) == 1 else None, run))
            run, groups_seen = [], []
        group = _group_of(token.text)
        if group is not None:
            groups_seen.append(group)
    if run:
        segments.append((groups_seen[0] if len(groups_seen) == 1 else None, run))
    return segments


def read_table4(tokens: Sequence[Token], fmt: str, doc: dict[str, Any]) -> list[Finding]:
    """Fill doc["table4"] from the figures after its 行政复议/行政诉讼 header (see the module)."""
    layout = defs.FORMATS[fmt].table4_layout
    first_header = label_key(layout.header[0][0].text)  # 行政复议
    anchor = next(
        (i for i, t in enumerate(tokens) if not t.is_value and label_key(t.text).startswith(first_header)),
        None,
    )
    if anchor is None:
        doc["table4"] = None
        return []
    columns = len(layout.columns)
    segments = [(g, run) for g, run in _segments(tokens, anchor) if any(v.strip() for v in run)]
    by_group = {g: run for g, run in segments if g is not None}
    if segments and len(by_group) == len(segments):  # one small table per group
        parts = [(layout.groups[g], by_group[g], columns) for g in sorted(by_group)]
    else:
        runs = [run for _, run in segments] or [[]]
        best = max(runs, key=lambda r: (len([v for v in r if v.strip()]), len(r)))
        parts = [("table4", best, columns * len(layout.groups))]
    reads: list[Read] = []
    for key, run, width in parts:
        candidates, how = value_candidates(run, width)
        if not candidates:
            doc["table4"] = None
            return [
                finding(
                    "import_cells",
                    "warning",
                    f"表四：读到 {len([v for v in run if v.strip()])} 个数值，应为 {width} 个，未能对应到各列，请核对原文。",
                    ["table4"],
                )
            ]
        reads.append((key, [[parse_value(v) for v in c] for c in candidates], how))
    table: dict[str, Any] = {g: {c: None for c in layout.columns} for g in layout.groups}
    doc["table4"] = table

    def groups_of(key: str) -> tuple[str, ...]:
        return layout.groups if key == "table4" else (key,)

    def place(key: str, values: list[Any]) -> None:
        it = iter(values)
        for group in groups_of(key):
            for column in layout.columns:
                table[group][column] = next(it)

    def cell_keys(key: str) -> list[str]:
        return [f"table4:{g}:{c}" for g in groups_of(key) for c in layout.columns]

    def rows_of(rule: defs.SumRule) -> set[str]:
        group = rule.cells[0].row
        return {"table4"} if parts[0][0] == "table4" else {group}

    rules = [r for r in defs.FORMATS[fmt].sum_rules if r.cells[0].table == "table4"]
    return apply_rules(reads, place, doc, rules, cell_keys, rows_of=rows_of)
