"""Extraction: the flat text of one report → canonical JSON (sections 一–六, 表二/表三/表四) via definitions.

Labels are matched to the format's row keys by similarity (spaces, brackets, "，" for "、", truncation and
OCR noise tolerated); values keep their meaning: blank → null, "/" stays text. When a row's digits are run
together, every split into the right number of cells is tried and the one the format's sum rules accept is
kept; more than one acceptable split is reported.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz

from gongkai.reports import definitions as defs

from .normalise import label_key
from .tokens import Token, parse_value, tokenize

MATCH_THRESHOLD = 0.78
MAX_SPLIT_CANDIDATES = 20000
MAX_SPLIT_WORK = 200_000  # readings of one row tried before giving up on splitting digit runs


@dataclass
class Extraction:
    """What was read: the canonical tables and sections, plus reading findings (dicts as in report-json)."""

    sections: dict[str, str]
    table2: dict[str, Any] | None
    table3: dict[str, Any] | None
    table4: dict[str, Any] | None
    findings: list[dict[str, Any]] = field(default_factory=list)


def finding(code: str, severity: str, message: str, cells: Iterable[str] = ()) -> dict[str, Any]:
    return {"code": code, "severity": severity, "message": message, "cells": list(cells)}


# --------------------------------------------------------------------------- sections

_NUMERALS = "一二三四五六七八九十"
_HEADING = re.compile(r"^\s*([一二三四五六七八九十])\s*[、.．,，:：\s]?\s*(\S.{0,40}?)\s*$")
_SENTENCE = re.compile(r"[。；;！!？?]")


@lru_cache(maxsize=1)
def _heading_keys() -> dict[str, list[str]]:
    keys: dict[str, list[str]] = {}
    for number, variants in defs.SECTION_HEADING_VARIANTS.items():
        keys[number] = [label_key(v.split("、", 1)[1]) for v in variants]
    # Common wordings of the same headings in published reports.
    extra = {
        "一": ["概述", "总体情况", "基本情况"],
        "二": ["主动公开政府信息情况", "主动公开情况", "政府信息主动公开情况"],
        "三": ["收到和处理政府信息公开申请情况", "收到和处理政府信息公开申请的情况", "依申请公开情况"],
        "四": ["政府信息公开行政复议、行政诉讼情况", "因政府信息公开工作被申请行政复议、提起行政诉讼情况"],
        "五": ["存在的主要问题及改进情况", "存在的主要问题及改进措施", "存在问题及改进措施"],
        "六": ["其他需要报告的事项", "其他需要报告的事情"],
    }
    for number, words in extra.items():
        keys[number].extend(label_key(w) for w in words)
    return keys


def heading_of(line: str, *, strict: bool) -> tuple[str, str] | None:
    """(numeral, title) when the line is a section heading; strict = one of the six statutory headings."""
    if "|" in line or len(line) > 48:
        return None
    match = _HEADING.match(line)
    if not match:
        return None
    number, title = match.group(1), match.group(2)
    if _SENTENCE.search(title) or title[:1] in "、.．是〇零一二三四五六七八九十年要":
        return None
    if strict:
        if number not in _heading_keys():
            return None
        key = label_key(title)
        best = max(ratio(key, k) for k in _heading_keys()[number])
        if best < 0.7 and not any(key.startswith(k) or k.startswith(key) for k in _heading_keys()[number]):
            return None
    elif len(title) > 30 or re.search(r"\d{3,}", title):
        return None
    return number, title


def find_sections(lines: Sequence[str], *, strict_only: bool = False) -> list[tuple[str, int]]:
    """(numeral, line index) of the section headings, in document order, numbers increasing.

    The 表三 row labels 一、本年新收… also start with a numeral; they are cells (`|`) or not headings of
    the statutory list, and a heading must come after the previous one's number.
    """
    found: list[tuple[str, int]] = []
    best: list[tuple[str, int]] = []
    for strict in (True,) if strict_only else (True, False):
        found, last = [], 0
        for i, line in enumerate(lines):
            hit = heading_of(line, strict=strict)
            if not hit:
                continue
            position = _NUMERALS.index(hit[0]) + 1
            if position > last:
                found.append((hit[0], i))
                last = position
        if len(found) > len(best):
            best = found
    return best


def section_texts(lines: Sequence[str], headings: list[tuple[str, int]]) -> dict[str, str]:
    """Text under each heading (without table cells) for the six numbered sections."""
    sections: dict[str, str] = {}
    for n, (number, start) in enumerate(headings):
        end = headings[n + 1][1] if n + 1 < len(headings) else len(lines)
        if number not in defs.SECTION_NUMBERS:
            continue
        body = [line.strip() for line in lines[start + 1 : end] if line.strip()]
        prose = [line for line in body if "|" not in line]
        # A section that is only a table keeps the table's flat cells as its text.
        sections[number] = "\n".join(prose or body)
    return sections


# --------------------------------------------------------------------------- label matching


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
    """(row key, label forms, parent labels) for every 表三 row of the format."""
    out = []
    for row in defs.FORMATS[fmt].table3_rows:
        parts = [label_key(p) for p in row.key.split("/")]
        leaf = parts[-1]
        forms = {leaf, "".join(parts[-2:]), "".join(parts)}
        if len(_strip_number(leaf)) > 3:  # "3.其他" must not match the column header 其他
            forms.add(_strip_number(leaf))
        # （二）部分公开（区分处理的，…）: the bracketed note is often left out.
        forms.add(re.sub(r"（[^（）]*）$", "", leaf))
        out.append((row.key, tuple(f for f in forms if f), tuple(parts[:-1])))
    return tuple(out)


@lru_cache(maxsize=8)
def _parent_labels(fmt: str) -> frozenset[str]:
    parents: set[str] = set()
    for _, _, ps in _row_candidates(fmt):
        parents.update(ps)
    return frozenset(parents)


def _score(token: str, forms: Sequence[str]) -> float:
    best = 0.0
    for form in forms:
        if token == form:
            return 1.0
        if len(token) >= 4 and len(form) >= 4 and (form.startswith(token) or token.startswith(form)):
            best = max(best, 0.9 * min(len(token), len(form)) / max(len(token), len(form)) + 0.1)
        best = max(best, ratio(token, form))
    return best


# --------------------------------------------------------------------------- fitting values to cells


MAX_CELL_DIGITS = 7  # a count above 9,999,999 in one cell is not a reading worth trying


def _splits(digits: str, parts: int) -> Iterable[tuple[str, ...]]:
    """Every way to cut a digit string into `parts` numbers without leading zeros."""
    if parts == 1:
        if (len(digits) == 1 or not digits.startswith("0")) and len(digits) <= MAX_CELL_DIGITS:
            yield (digits,)
        return
    if len(digits) > parts * MAX_CELL_DIGITS:
        return
    for cut in range(1, min(len(digits) - parts + 2, MAX_CELL_DIGITS + 1)):
        head = digits[:cut]
        if len(head) > 1 and head.startswith("0"):
            break
        for rest in _splits(digits[cut:], parts - 1):
            yield (head, *rest)


def value_candidates(
    raw: Sequence[str],
    n: int,
    accept: Callable[[list[str]], bool] | None = None,
    subtotal: Callable[[list[str]], list[int]] | None = None,
) -> tuple[list[list[str]], str]:
    """Ways to read the value cells of a row as exactly n cells, and how they were found.

    "exact": separated cells map one to one (padding blanks dropped). "split": digit runs ("7000029")
    cut into cells. "positional": fewer values than cells and no way to tell which columns the blanks
    were in (a page flattened without its empty cells): the first value goes to the first column, the
    last to the last, the others are tried in every order-preserving position. Several candidates mean
    the row is ambiguous until the sum rules decide.
    """
    raw = list(raw)
    if len(raw) == n:
        return [raw], "exact"
    nonblank = [v for v in raw if v.strip()]
    if len(nonblank) == n:
        return [nonblank], "exact"
    trimmed = raw
    while trimmed and not trimmed[0].strip():
        trimmed = trimmed[1:]
    while trimmed and not trimmed[-1].strip():
        trimmed = trimmed[:-1]
    if len(trimmed) == n:
        return [trimmed], "exact"
    if len(nonblank) == n + 1 and subtotal is not None:
        dropped = [nonblank[:i] + nonblank[i + 1 :] for i in subtotal(nonblank)]
        if len(dropped) == 1:
            return dropped, "subtotal"
    if len(nonblank) > n:
        return [], "exact"
    split = _digit_splits(nonblank, n, accept)
    if split:
        return split, "split"
    return _positional(nonblank, n), "positional"


def _compositions(total: int, parts: int) -> Iterator[tuple[int, ...]]:
    """Every way to write ``total`` as ``parts`` non-negative numbers, in order (no search over the rest)."""
    if parts == 1:
        yield (total,)
        return
    for first in range(total + 1):
        for rest in _compositions(total - first, parts - 1):
            yield (first, *rest)


def _digit_splits(nonblank: list[str], n: int, accept: Callable[[list[str]], bool] | None) -> list[list[str]]:
    """Distribute the missing cells over the digit runs of the row.

    Bounded: at most MAX_SPLIT_WORK readings are tried per row. A long digit run in a wide row (表四 has 15
    columns) has millions of readings — one 30-digit run took all the memory of the machine — and none of
    them is a reading a person would trust; past the budget the row is read positionally and flagged.
    """
    runs = [i for i, v in enumerate(nonblank) if v.isdigit() and len(v) > 1]
    missing = n - len(nonblank)
    if not runs or missing <= 0 or sum(len(nonblank[i]) - 1 for i in runs) < missing:
        return []
    results: list[list[str]] = []
    work = 0
    for extra in _compositions(missing, len(runs)):
        pieces: list[list[tuple[str, ...]]] = []
        for i, value in enumerate(nonblank):
            if i in runs:
                k = extra[runs.index(i)] + 1
                piece = (
                    list(itertools.islice(_splits(value, k), max(0, MAX_SPLIT_WORK - work)))
                    if k <= len(value)
                    else []
                )
                work += len(piece)
                pieces.append(piece)
            else:
                pieces.append([(value,)])
        for combo in itertools.product(*pieces):
            work += 1
            if work > MAX_SPLIT_WORK:
                return results
            cells = [cell for piece in combo for cell in piece]
            if accept is not None and not accept(cells):
                continue
            results.append(cells)
            if len(results) >= MAX_SPLIT_CANDIDATES:
                return results
        work += 1  # an empty product still costs a step
        if work > MAX_SPLIT_WORK:
            return results
    if not results and accept is not None:  # nothing satisfies the row's own rules: offer every split
        return _digit_splits(nonblank, n, None)
    return results


def _positional(nonblank: list[str], n: int) -> list[list[str]]:
    k = len(nonblank)
    if k == 0:
        return [[""] * n]
    if k == 1:  # a lone figure: the first column (tables are filled from the left), then the last
        return [nonblank + [""] * (n - 1), [""] * (n - 1) + nonblank]
    out = []
    for middle in itertools.combinations(range(1, n - 1), k - 2):
        row = [""] * n
        row[0], row[-1] = nonblank[0], nonblank[-1]
        for column, value in zip(middle, nonblank[1:-1], strict=True):
            row[column] = value
        out.append(row)
        if len(out) >= MAX_SPLIT_CANDIDATES:
            break
    return out


# --------------------------------------------------------------------------- 表三


def _read_rows(tokens: Sequence[Token], fmt: str, *, anchored: bool = True) -> dict[str, list[Token]]:
    """Walk the cell stream, assigning value cells to the 表三 row whose label precedes them."""
    rows = _row_candidates(fmt)
    parents = _parent_labels(fmt)
    found: dict[str, list[Token]] = {}
    pointer = 0
    current: str | None = None
    for token in tokens:
        if token.is_value:
            if current is not None:
                found[current].append(token)
            continue
        key = label_key(token.text)
        if not key:
            continue
        best_index, best_score = -1, 0.0
        # Before the first row is found, any row may come first (an excerpt, a table's second page).
        window = len(rows) if not anchored and not found else 8
        for index in range(pointer, min(pointer + window, len(rows))):
            score = _score(key, rows[index][1])
            if score > best_score:
                best_index, best_score = index, score
        parent_score = max((ratio(key, p) for p in parents), default=0.0)
        if best_score >= MATCH_THRESHOLD and best_score >= parent_score:
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
            current = None
    return found


Read = tuple[str, list[list[Any]], str]  # row key, candidate cell lists, how they were found


def _apply_rules(
    reads: list[Read],
    place: Any,
    doc: dict[str, Any],
    rules: Sequence[defs.SumRule],
    cell_prefix: str,
    *,
    whole: bool = False,
) -> list[dict[str, Any]]:
    """Choose, for every ambiguous row, the candidate the sum rules accept (rows decided in turn).

    Blank cells count as 0 while choosing (a blank is "nothing to report"); the values kept stay null.
    """
    out: list[dict[str, Any]] = []
    undecided = {key for key, candidates, _ in reads if len(candidates) > 1}
    for key, candidates, _ in reads:
        if len(candidates) == 1:
            place(key, candidates[0])
    for key, candidates, how in reads:
        if len(candidates) <= 1:
            continue
        undecided.discard(key)
        fitting = []
        for candidate in candidates:
            place(key, candidate)
            if _rules_hold(doc, rules, None if whole else key, undecided):
                fitting.append(candidate)
        chosen = fitting[0] if fitting else candidates[0]
        place(key, chosen)
        cells = [cell_prefix if whole else f"{cell_prefix}:{key}"]
        shown = " ".join("空" if v is None else str(v) for v in chosen)
        if how == "positional":
            if len(fitting) != 1:
                out.append(
                    finding(
                        "import_cell_positions",
                        "warning",
                        f"“{key}”一行只有部分单元格有数值，原文未保留空白单元格的位置，无法确定各数值所在的列；"
                        f"已按“{shown}”读取，请核对原文",
                        cells,
                    )
                )
        elif len(fitting) > 1:
            out.append(
                finding(
                    "import_ambiguous_split",
                    "warning",
                    f"“{key}”一行的数字连在一起，有 {len(fitting)} 种拆分都符合勾稽关系，已按“{shown}”读取，请核对原文",
                    cells,
                )
            )
        elif not fitting:
            out.append(
                finding(
                    "import_unsplit",
                    "warning",
                    f"“{key}”一行的数字连在一起，没有一种拆分符合勾稽关系，已按“{shown}”读取，请核对原文",
                    cells,
                )
            )
    return out


def _number(value: Any) -> float | None:
    if value is None:
        return 0.0
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


def _rules_hold(
    doc: dict[str, Any],
    rules: Sequence[defs.SumRule],
    row: str | None,
    undecided: set[str] | frozenset[str] = frozenset(),
) -> bool:
    """Do the rules touching `row` (all rules when None) hold? Rules over rows not yet decided are skipped."""
    for rule in rules:
        if row is not None and not any(ref.row == row for ref in rule.cells):
            continue
        if any(ref.row in undecided for ref in rule.cells):
            continue
        try:
            left = [_number(defs.cell_value(doc, ref)) for ref in rule.left]
            right = [_number(defs.cell_value(doc, ref)) for ref in rule.right]
        except (KeyError, IndexError, TypeError, ValueError):
            continue
        if any(v is None for v in left + right):
            continue
        if abs(sum(v for v in left if v is not None) - sum(v for v in right if v is not None)) > 1e-6:
            return False
    return True


def _rebalance(found: dict[str, list[Token]], width: int) -> dict[str, list[str]]:
    """Undo a page break inside a row: a row holding its own line of cells plus a full extra line passes the
    extra line on to the next row that has none (PDF text flow puts the next row's values first)."""
    out: dict[str, list[str]] = {}
    carry: list[str] = []
    for key, tokens in found.items():
        values = [t.text for t in tokens]
        if not tokens and carry:
            out[key], carry = carry, []
            continue
        lines: dict[int, list[str]] = {}
        for t in tokens:
            lines.setdefault(t.line, []).append(t.text)
        groups = list(lines.values())
        nonblank = [v for v in values if v.strip()]
        first = [v for v in groups[0] if v.strip()] if groups else []
        rest = [v for g in groups[1:] for v in g if v.strip()]
        if len(nonblank) > width and len(first) == width and len(rest) == width:
            out[key], carry = first, rest
        else:
            out[key] = values
    return out


@lru_cache(maxsize=256)
def _local_rules(fmt: str, key: str) -> tuple[defs.SumRule, ...]:
    spec = defs.FORMATS[fmt]
    return tuple(
        r for r in spec.sum_rules if all(ref.table == "table3" and ref.row == key for ref in r.cells)
    )


def _subtotal_columns(cells: list[str]) -> list[int]:
    """Positions of an added 法人或其他组织 subtotal in an 8-cell 表三 row: the cell equal to the sum of the
    five organisation columns next to it (some tools add it before or after them; the format has none)."""
    try:
        values = [int(c) for c in cells]
    except ValueError:
        return []
    hits = []
    if values[1] == sum(values[2:7]):  # 自然人 | 小计 | five | 总计
        hits.append(1)
    if values[6] == sum(values[1:6]):  # 自然人 | five | 小计 | 总计
        hits.append(6)
    if len(hits) == 2 and values[1] == values[6] == 0:
        return [6]  # all zero: either reading gives the same cells
    return hits


def _row_accept(spec: defs.ReportFormat, key: str) -> Callable[[list[str]], bool]:
    """The format's rules that involve only this row (总计 = the six columns), as a test on raw cells."""
    index = {column: i for i, column in enumerate(spec.table3_columns)}
    local = _local_rules(spec.code, key)

    def accept(cells: list[str]) -> bool:
        try:
            values = [int(c) if c.strip() else 0 for c in cells]
        except ValueError:
            return True
        return all(
            sum(values[index[r.column]] for r in rule.left)
            == sum(values[index[r.column]] for r in rule.right)
            for rule in local
        )

    return accept


def read_table3(tokens: Sequence[Token], fmt: str, doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Fill doc["table3"] from the cell stream; returns reading findings. Leaves None if no row was found."""
    spec = defs.FORMATS[fmt]
    width = len(spec.table3_columns)
    received = label_key(defs.RECEIVED)
    anchored = any(not t.is_value and _score(label_key(t.text), (received,)) >= 0.8 for t in tokens)
    found = _rebalance(_read_rows(tokens, fmt, anchored=anchored), width)
    # A label alone (a prose line that looks like a row) is not a table; a row needs its figures.
    needed = 1 if anchored else (width + 1) // 2
    if not found or not any(sum(1 for v in values if v.strip()) >= needed for values in found.values()):
        doc["table3"] = None
        return []
    doc["table3"] = {
        "columns": list(spec.table3_columns),
        "rows": {r.key: [None] * width for r in spec.table3_rows},
    }
    out: list[dict[str, Any]] = []
    reads: list[Read] = []
    for key, raw in found.items():
        candidates, how = value_candidates(raw, width, _row_accept(spec, key), _subtotal_columns)
        if how == "subtotal":
            out.append(
                finding(
                    "import_subtotal_dropped",
                    "info",
                    f"“{key}”一行多出一个“法人或其他组织”小计列（官方格式没有此列），已略去",
                    [f"table3:{key}"],
                )
            )
        if not candidates:
            out.append(
                finding(
                    "import_cells",
                    "warning",
                    f"“{key}”一行读到 {len([v for v in raw if v.strip()])} 个数值，应为 {width} 个，未能对应到各列",
                    [f"table3:{key}"],
                )
            )
            continue
        reads.append((key, [[parse_value(v) for v in c] for c in candidates], how))

    def place(key: str, values: list[Any]) -> None:
        doc["table3"]["rows"][key] = list(values)

    out.extend(_apply_rules(reads, place, doc, spec.sum_rules, "table3"))
    missing = [r.key for r in spec.table3_rows if r.key not in found]
    if missing:
        out.append(
            finding(
                "import_rows_missing",
                "warning",
                f"表三中未找到 {len(missing)} 行：" + "、".join(k.rsplit("/", 1)[-1] for k in missing[:6]),
                [f"table3:{k}" for k in missing],
            )
        )
    return out


# --------------------------------------------------------------------------- 表二


def read_table2(tokens: Sequence[Token], fmt: str, doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Fill doc["table2"] block by block (第二十条第（x）项 header, then its 信息内容 rows)."""
    layout = defs.FORMATS[fmt].table2_layout
    items = [(b, label_key(b.item)) for b in layout.blocks]
    # Split the stream at the block headers.
    starts: list[tuple[int, defs.Table2Block]] = []
    for i, token in enumerate(tokens):
        if token.is_value:
            continue
        key = label_key(token.text)
        for block, item_key in items:
            if key == item_key or (key.startswith(item_key) and len(key) - len(item_key) < 3):
                if all(b is not block for _, b in starts):
                    starts.append((i, block))
                break
    if not starts:
        doc["table2"] = None
        return []
    table: dict[str, Any] = {
        b.item: {r: {c.label: None for c in b.columns} for r in b.rows} for b in layout.blocks
    }
    doc["table2"] = table
    out: list[dict[str, Any]] = []
    reads: list[Read] = []
    bounds = [s for s, _ in starts] + [len(tokens)]
    for n, (start, block) in enumerate(starts):
        segment = tokens[start + 1 : bounds[n + 1]]
        row_keys = [(r, label_key(r)) for r in block.rows]
        current: str | None = None
        raw: dict[str, list[str]] = {}
        for token in segment:
            if token.is_value:
                if current is not None:
                    raw[current].append(token.text)
                continue
            key = label_key(token.text)
            scored = [(_score(key, (rk,)), r) for r, rk in row_keys if r not in raw]
            best = max(scored, default=(0.0, ""))
            if best[0] >= 0.8:
                current = best[1]
                raw[current] = []
            else:
                current = None
        for row, values in raw.items():
            width = len(block.columns)
            candidates, how = value_candidates(values, width)
            cell = f"table2:{block.item}/{row}"
            if not candidates:
                out.append(
                    finding(
                        "import_cells",
                        "warning",
                        f"表二“{block.item}/{row}”读到的数值个数与 {width} 列不符，未能对应",
                        [cell],
                    )
                )
                continue
            reads.append((f"{block.item}/{row}", [[parse_value(v) for v in c] for c in candidates], how))

    def place(key: str, values: list[Any]) -> None:
        item, row = key.split("/", 1)
        block = layout.block(item)
        table[item][row] = {c.label: v for c, v in zip(block.columns, values, strict=True)}

    out.extend(_apply_rules(reads, place, doc, defs.FORMATS[fmt].sum_rules, "table2"))
    return out


# --------------------------------------------------------------------------- 表四


def read_table4(tokens: Sequence[Token], fmt: str, doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Fill doc["table4"]: after its 行政复议/行政诉讼 header, the one data row of 15 cells."""
    layout = defs.FORMATS[fmt].table4_layout
    first_header = label_key(layout.header[0][0].text)  # 行政复议
    anchor = next(
        (i for i, t in enumerate(tokens) if not t.is_value and label_key(t.text).startswith(first_header)),
        None,
    )
    if anchor is None:
        doc["table4"] = None
        return []
    header_words = sorted(
        {label_key(cell.text) for row in layout.header for cell in row},
        key=len,
        reverse=True,
    )

    header_chars = set("".join(header_words))

    def is_header(text: str) -> bool:
        key = label_key(text)
        rest = key
        for word in header_words:
            rest = rest.replace(word, "")
        # PDF text of narrow header cells comes one character per line ("结 结 其 尚").
        return len(rest) <= 1 or set(key) <= header_chars or _score(key, tuple(header_words)) > 0.8

    runs: list[list[str]] = [[]]
    for token in tokens[anchor + 1 :]:
        if token.is_value:
            runs[-1].append(token.text)
        elif is_header(token.text):
            runs.append([])
        else:
            break
    width = len(layout.groups) * len(layout.columns)
    best = max(runs, key=lambda r: (len([v for v in r if v.strip()]), len(r)))
    candidates, how = value_candidates(best, width)
    if not candidates:
        doc["table4"] = None
        return [
            finding(
                "import_cells",
                "warning",
                f"表四读到 {len([v for v in best if v.strip()])} 个数值，应为 {width} 个，未能对应到各列",
                ["table4"],
            )
        ]
    table: dict[str, Any] = {g: {c: None for c in layout.columns} for g in layout.groups}
    doc["table4"] = table

    def place(_key: str, values: list[Any]) -> None:
        it = iter(values)
        for group in layout.groups:
            for column in layout.columns:
                table[group][column] = next(it)

    reads: list[Read] = [("table4", [[parse_value(v) for v in c] for c in candidates], how)]
    rules = [r for r in defs.FORMATS[fmt].sum_rules if r.cells[0].table == "table4"]
    return _apply_rules(reads, place, doc, rules, "table4", whole=True)


# --------------------------------------------------------------------------- whole report


def table_tokens(lines: Sequence[str], start: int, end: int) -> list[Token]:
    return tokenize(list(lines[start:end]), start_line=start)


def extract(lines: Sequence[str], fmt: str) -> Extraction:
    """Sections and tables of one report's lines, in the format `fmt` ("2019"/"2021"/"pre2019")."""
    headings = find_sections(lines, strict_only=fmt in defs.FORMATS)
    sections = section_texts(lines, headings)
    if fmt not in defs.FORMATS:
        return Extraction(sections=sections, table2=None, table3=None, table4=None)
    tokens = tokenize(list(lines))
    doc: dict[str, Any] = {"table2": None, "table3": None, "table4": None}
    findings: list[dict[str, Any]] = []
    # 表三 first: its row labels bound the other two tables.
    t3_tokens, t2_tokens, t4_tokens = _regions(tokens, fmt)
    findings += read_table2(t2_tokens, fmt, doc)
    findings += read_table3(t3_tokens, fmt, doc)
    findings += read_table4(t4_tokens, fmt, doc)
    return Extraction(sections, doc["table2"], doc["table3"], doc["table4"], findings)


@lru_cache(maxsize=1)
def _table3_header_keys() -> frozenset[str]:
    """The first header cells of 表三 (the identity note, 申请人情况, 自然人), as label keys."""
    first_rows = defs.TABLE3_HEADER[:2]
    return frozenset(label_key(cell.text) for row in first_rows for cell in row[:2])


def _regions(tokens: Sequence[Token], fmt: str) -> tuple[list[Token], list[Token], list[Token]]:
    """Cut the stream into the parts holding 表二, 表三 and 表四 by their anchor labels."""
    received = label_key(defs.RECEIVED)
    carried_out = label_key(defs.CARRIED_OUT)
    t3_start = next(
        (i for i, t in enumerate(tokens) if not t.is_value and _score(label_key(t.text), (received,)) >= 0.8),
        None,
    )
    if t3_start is None:  # an excerpt or a PDF page without the first rows: look for rows anywhere
        return list(tokens), list(tokens), list(tokens)
    # Back up over the header cells (申请人情况 / 自然人 …) so they stay out of 表二.
    header_start = t3_start
    for i in range(t3_start - 1, max(-1, t3_start - 40), -1):
        if label_key(tokens[i].text) in _table3_header_keys():
            header_start = i
    t3_end = next(
        (
            i + 1
            for i in range(t3_start, len(tokens))
            if not tokens[i].is_value and _score(label_key(tokens[i].text), (carried_out,)) >= 0.8
        ),
        len(tokens),
    )
    # The values of 四、结转下年度继续办理 follow its label.
    while t3_end < len(tokens) and tokens[t3_end].is_value:
        t3_end += 1
    return list(tokens[header_start:t3_end]), list(tokens[:header_start]), list(tokens[t3_end:])
