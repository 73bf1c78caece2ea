"""Extraction, 表四: 15 cells (three groups of five) after its 行政复议/行政诉讼 header.

The table is read as the format's grid: the figures after the anchor, in order, with the group labels that
stand right before a run of figures as anchors (a Markdown conversion prints one small table per group under
"### 行政复议", "### 行政诉讼（未经复议直接起诉）" …). When every run of figures follows its own group label, each
group is fitted to its five columns apart; otherwise the figures are one row of 15 (the printed grid: the whole
header first, then the data row). Either way the sum rules (总计 = the four results) choose between readings.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from gongkai.reports import definitions as defs
from gongkai.reports.checks.findings import Finding

from .extract_fit import value_candidates
from .extract_match import label_score
from .extract_rules import Read, apply_rules, finding
from .extract_sections import heading_of
from .normalise import label_key
from .tokens import Token, is_placeholder, parse_value


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
    if is_placeholder(text):  # "Col7": a converter's name for a header cell left empty
        return True
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


MAX_PASSED = 2  # bare section headings passed over inside 表四's figures at most
_NOTE = re.compile(r"^\s*(?:备注|注|说明)\s*\d?\s*[：:]")  # a note the unit printed under the table's header


def _segments(tokens: Sequence[Token], anchor: int) -> list[tuple[int | None, list[str]]]:
    """Runs of figures after the anchor, each with the group whose label alone stands before it (or None). Bare
    headings of the parts after 表四 (五、… 六、… with nothing under them) are passed over while the table's
    15 figures are not all read and the figures after them are followed by the table's own header words (a text
    layer reads the rest of the table's page after them: "0 0 0 0 总计 0 … 五、存在的主要问题及改进情况
    六、其他需要报告的事项 0 复议后起诉 …"), never by the part's prose ("五、… 2024 年，…")."""
    segments: list[tuple[int | None, list[str]]] = []
    groups_seen: list[int] = [0] if _group_of(tokens[anchor].text) == 0 else []
    run: list[str] = []
    read, passed = 0, 0
    width = len(defs.TABLE4.groups) * len(defs.TABLE4.columns)
    for n in range(anchor + 1, len(tokens)):
        token = tokens[n]
        if token.is_value:
            run.append(token.text)
            read += 1
            continue
        if _NOTE.match(token.text):  # "注：行政复议、行政诉讼数量含上年度结转数量。" under the header
            continue
        if not _is_header(token.text):
            if read < width and passed < MAX_PASSED and _table_resumes(tokens, n):
                passed += 1
                continue
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


def _heading_anchor(tokens: Sequence[Token]) -> int | None:
    """The part heading 四、… right before the table's header cells and figures, when no header cell names 行政复议
    on its own (pymupdf4llm on a header printed upright, one character a line: "行" / "政复" / "议" in three cells).
    """
    for n, token in enumerate(tokens):
        hit = None if token.is_value else heading_of(token.text, strict=True)
        if hit is None or hit[0] != "四":
            continue
        ahead = n + 1
        while ahead < len(tokens) and not tokens[ahead].is_value and _is_header(tokens[ahead].text):
            ahead += 1
        if ahead > n + 1 and ahead < len(tokens) and tokens[ahead].is_value:
            return n
    return None


def _table_resumes(tokens: Sequence[Token], at: int) -> bool:
    """Whether the token at ``at`` is a bare part heading after which 表四's figures go on: past the headings,
    figures followed by a header word of the table (or the end)."""
    if not heading_of(tokens[at].text, strict=True):
        return False
    n = at + 1
    while n < len(tokens) and not tokens[n].is_value and heading_of(tokens[n].text, strict=True):
        n += 1
    if n == len(tokens) or not tokens[n].is_value:
        return False
    while n < len(tokens) and tokens[n].is_value:
        n += 1
    return n == len(tokens) or _is_header(tokens[n].text)


MAX_PIECES = 7  # runs of figures put back in order at most (7! = 5040 orders)


def _holds(cells: list[str], fmt: str) -> bool:
    """Whether 15 figures, in the grid's order, satisfy 表四's sum rules (总计 = the four results, per group)."""
    layout = defs.FORMATS[fmt].table4_layout
    try:
        numbers = [int(v) for v in cells]
    except ValueError:
        return False
    at = {
        (group, column): numbers[g * len(layout.columns) + c]
        for g, group in enumerate(layout.groups)
        for c, column in enumerate(layout.columns)
    }
    rules = [r for r in defs.FORMATS[fmt].sum_rules if r.cells[0].table == "table4"]
    return bool(rules) and all(
        sum(at[(ref.row, ref.column)] for ref in r.left) == sum(at[(ref.row, ref.column)] for ref in r.right)
        for r in rules
    )


def reordered(segments: list[tuple[int | None, list[str]]], fmt: str) -> tuple[list[str], int] | None:
    """表四's figures printed in pieces out of the grid's order (a PDF text layer read column block by column
    block: "72 64 178 37" … "12 1 1 6" … "351" …): the order of the pieces that makes every group's 总计 the sum
    of its four results, a piece after a group's own label staying in that group. Of the orders that hold, the one
    closest to the printed order (fewest pieces moved past each other) is taken when it alone is closest; returns
    the 15 figures and how many distinct readings held, or None (the caller warns). Past MAX_PIECES pieces (a header
    broken one character a line between single figures, "结 果 维 持 0 结 果 纠 正 0 …") only the printed order is
    tried: when it holds, it is the closest."""
    layout = defs.FORMATS[fmt].table4_layout
    width = len(layout.columns)
    runs = [[v for v in run if v.strip()] for _, run in segments]
    if len(runs) < 2 or sum(map(len, runs)) != width * len(layout.groups):
        return None
    best: dict[tuple[str, ...], int] = {}
    printed = tuple(range(len(runs)))
    for order in itertools.permutations(printed) if len(runs) <= MAX_PIECES else [printed]:
        position, fits = 0, True
        for i in order:
            hint = segments[i][0]
            if (
                hint is not None
                and not hint * width <= position <= position + len(runs[i]) <= (hint + 1) * width
            ):
                fits = False
                break
            position += len(runs[i])
        cells = [v for i in order for v in runs[i]]
        if not fits or not _holds(cells, fmt):
            continue
        moved = sum(1 for a, b in itertools.combinations(order, 2) if a > b)
        key = tuple(cells)
        best[key] = min(best.get(key, moved), moved)
    if not best:
        return None
    least = min(best.values())
    closest = [cells for cells, moved in best.items() if moved == least]
    return (list(closest[0]), len(best)) if len(closest) == 1 else None


def read_table4(tokens: Sequence[Token], fmt: str, doc: dict[str, Any]) -> list[Finding]:
    """Fill doc["table4"] from the figures after its 行政复议/行政诉讼 header (see the module)."""
    layout = defs.FORMATS[fmt].table4_layout
    first_header = label_key(layout.header[0][0].text)  # 行政复议
    anchor = next(
        (i for i, t in enumerate(tokens) if not t.is_value and label_key(t.text).startswith(first_header)),
        None,
    )
    if anchor is None:
        anchor = _heading_anchor(tokens)
    if anchor is None:
        doc["table4"] = None
        return []
    columns = len(layout.columns)
    notes: list[Finding] = []
    segments = [(g, run) for g, run in _segments(tokens, anchor) if any(v.strip() for v in run)]
    if not segments:  # the header is there, its figures are not where they were looked for: not "blank"
        doc["table4"] = {g: {c: None for c in layout.columns} for g in layout.groups}
        return [
            finding(
                "import_cells",
                "warning",
                "表四：在表头之后未读到数值，各单元格未能读入，请核对原文。",
                [f"table4:{g}:{c}" for g in layout.groups for c in layout.columns],
            )
        ]
    by_group = {g: run for g, run in segments if g is not None}
    small = all(len([v for v in run if v.strip()]) <= columns for run in by_group.values())
    if segments and len(by_group) == len(segments) and small:  # one small table per group
        parts = [(layout.groups[g], by_group[g], columns) for g in sorted(by_group)]
    else:
        runs = [run for _, run in segments] or [[]]
        best = max(runs, key=lambda r: (len([v for v in r if v.strip()]), len(r)))
        width = columns * len(layout.groups)
        rebuilt = reordered(segments, fmt) if len([v for v in best if v.strip()]) < width else None
        if rebuilt is not None:
            best, readings = rebuilt
            notes.append(
                finding(
                    "import_cell_positions",
                    "warning",
                    "表四：原文的数字分成几段（PDF 文字层按栏读出），已按各组“总计 = 四项结果之和”排成表格顺序"
                    f"（{readings} 种排法符合勾稽关系，取与原文顺序最接近的一种），请核对原文。",
                    [f"table4:{g}:{c}" for g in layout.groups for c in layout.columns],
                )
            )
        parts = [("table4", best, width)]
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
    return notes + apply_rules(reads, place, doc, rules, cell_keys, rows_of=rows_of)
