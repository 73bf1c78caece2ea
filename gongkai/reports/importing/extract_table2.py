"""Extraction, 表二: block by block (第二十条第（x）项 header, then its 信息内容 rows)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from gongkai.reports import definitions as defs
from gongkai.reports.checks.findings import Finding

from .extract_align import UNSURE, agreed
from .extract_fit import value_candidates
from .extract_likely import likeliest
from .extract_match import label_score
from .extract_rules import Read, apply_rules, finding, row_name
from .extract_stated import Statement, narrow
from .extract_table2_order import in_print_order
from .normalise import label_key
from .tokens import Token, parse_value


def _cell_keys(layout: defs.Table2Layout, key: str) -> list[str]:
    """The cell keys of the 表二 row ``<item>/<row>``, in column order."""
    return [f"table2:{key}:{c.label}" for c in layout.block(key.split("/", 1)[0]).columns]


_SIGNED = re.compile(r"^\s*[-+−]")
_NOT_A_COUNT = re.compile(r"[-+−.]|[元%]")


def column_accept(block: defs.Table2Block) -> Callable[[list[str]], bool]:
    """A test on a reading of a 表二 row: each cell fits its column's kind — a sign only in 本年增/减 (delta), a
    decimal point or a currency only in an amount column, counts whole (as the format defines its columns)."""
    kinds = [c.kind for c in block.columns]

    def accept(cells: list[str]) -> bool:
        for kind, cell in zip(kinds, cells, strict=True):
            if kind == "count" and _NOT_A_COUNT.search(cell):
                return False
            if kind == "amount" and _SIGNED.match(cell):
                return False
        return True

    return accept


def _shown(values: Sequence[Any], sep: str = " ") -> str:
    return sep.join("空" if v is UNSURE or v is None else str(v) for v in values)


def _run_notes(
    layout: defs.Table2Layout,
    key: str,
    raw: list[list[str]],
    readings: list[list[Any]],
    used: list[Statement],
    likely: tuple[list[Any], list[str]] | None,
) -> list[Finding]:
    """The warnings on a run of digits (``raw``) read by the text's own statements (``used``, which narrowed the
    readings to ``readings``) and by what the columns mean (``likely``, extract_likely): each names the cells that
    differed between the readings it chose from."""
    notes: list[tuple[str, list[list[Any]], str]] = []
    if used:
        quoted = "；".join(f"“{s.clause}”" for s in used)
        before = [[parse_value(v) for v in c] for c in raw]
        notes.append(
            ("import_split_by_text", before, f"按正文所述 {quoted} 读作 {_shown(agreed(readings), '、')}")
        )
    if likely:
        listed = "；".join(f"“{_shown(r)}”" for r in readings)
        why = f"有 {len(readings)} 种读法：{listed}；因{'，'.join(likely[1])}，读作“{_shown(likely[0])}”"
        notes.append(("import_split_likely", readings, why))
    keys = _cell_keys(layout, key)
    return [
        finding(
            code,
            "warning",
            f"{row_name('table2', key)}：数字连在一起（“{''.join(raw[0])}”），{how}，请核对原文。",
            [k for k, v in zip(keys, agreed(open_), strict=True) if v is UNSURE],
        )
        for code, open_, how in notes
    ]


def _label_after_figures(key: str) -> Finding:
    return finding(
        "import_row_position",
        "warning",
        f"{row_name('table2', key)}：原文此行的标签印在数字之后，按标签之前的数字读入此行，请核对原文。",
        [f"table2:{key}"],
    )


def _block_starts(tokens: Sequence[Token], layout: defs.Table2Layout) -> list[tuple[int, defs.Table2Block]]:
    """Where each 第二十条第（x）项 block header stands in the stream (each block once)."""
    items = [(b, label_key(b.item)) for b in layout.blocks]
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
    return starts


def _block_rows(segment: Sequence[Token], block: defs.Table2Block) -> dict[str, list[str]]:
    """The value cells after each 信息内容 row label of one block. A label broken over lines before its figures
    ("其他对外管理服务" / "事项 0 0 0") is one label: words that name no row, right after a row label that has no
    figures yet, continue it."""
    row_keys = [(r, label_key(r)) for r in block.rows]
    current: str | None = None
    raw: dict[str, list[str]] = {}
    for token in segment:
        if token.is_value:
            if current is not None:
                raw[current].append(token.text)
            continue
        key = label_key(token.text)
        scored = [(label_score(key, (rk,)), r) for r, rk in row_keys if r not in raw]
        best = max(scored, default=(0.0, ""))
        if best[0] < 0.8 and current is not None and not raw[current]:
            continue
        current = best[1] if best[0] >= 0.8 else None
        if current is not None:
            raw[current] = []
    return raw


def _figures_before_labels(
    segment: Sequence[Token], block: defs.Table2Block, rows: dict[str, list[str]]
) -> dict[str, list[str]] | None:
    """The rows again when the block printed each row's label after its figures (markitdown on LibreOffice prints:
    header, "20 17 37", "行政许可", "144 5 149", "其他对外管理服务事项"): figures before the first row label, and
    every label but the last followed by figures, each run a whole row. Each row then takes the run before its
    label (named)."""
    labels = list(rows)
    order = [r for r in block.rows if r in rows]  # labels out of the format's order float: not this layout
    if not labels or labels != order or rows[labels[-1]] or not all(rows[r] for r in labels[:-1]):
        return None
    row_keys = [label_key(r) for r in block.rows]
    lead: list[str] = []
    for token in segment:
        if not token.is_value and label_score(label_key(token.text), tuple(row_keys)) >= 0.8:
            break
        if token.is_value:
            lead.append(token.text)
    runs = [lead, *(rows[r] for r in labels[:-1])]
    if any(len([v for v in run if v.strip()]) != len(block.columns) for run in runs):
        return None  # only whole rows move (a run of another width is not a row's figures printed before it)
    return dict(zip(labels, runs, strict=True))


def _rows_of(
    block: defs.Table2Block, segment: Sequence[Token], tail: Sequence[Token]
) -> dict[str, list[str]]:
    """A block's rows from its own segment; a row not there is taken from the tail after the last block's header
    when its label stands there (a PDF-to-Markdown converter printed the blocks' headers first and their rows
    as small tables after them, r706). The format's row labels are each in one block only."""
    rows = _block_rows(segment, block)
    if tail and len(rows) < len(block.rows):
        rows |= {r: v for r, v in _block_rows(tail, block).items() if r not in rows}
    return rows


def read_table2(
    tokens: Sequence[Token], fmt: str, doc: dict[str, Any], stated: dict[str, Statement] | None = None
) -> list[Finding]:
    """Fill doc["table2"] block by block (第二十条第（x）项 header, then its 信息内容 rows); `stated`: figures
    the report's text states for cells (extract_stated), which decide between readings of a run of digits."""
    layout = defs.FORMATS[fmt].table2_layout
    starts = _block_starts(tokens, layout)
    if not starts:
        doc["table2"] = None
        return []
    table: dict[str, Any] = {
        b.item: {r: {c.label: None for c in b.columns} for r in b.rows} for b in layout.blocks
    }
    doc["table2"] = table
    out: list[Finding] = []
    reads: list[Read] = []
    bounds = [s for s, _ in starts] + [len(tokens)]
    tail = tokens[bounds[-2] + 1 :]  # after the last block's header: where a converter may put earlier rows
    found: dict[str, dict[str, list[str]]] = {}
    moved: list[str] = []  # rows read from the figures before their label
    for n, (start, b) in enumerate(starts):
        segment = tokens[start + 1 : bounds[n + 1]]
        found[b.item] = _rows_of(b, segment, tail if n + 2 < len(bounds) else [])
        if (before := _figures_before_labels(segment, b, found[b.item])) is not None:
            found[b.item] = before
            moved += [f"{b.item}/{r}" for r in before]
    found, notes = in_print_order(found, tokens[starts[0][0] :], layout, column_accept)
    out += notes + [_label_after_figures(key) for key in moved]
    for block in layout.blocks:
        for row, values in found.get(block.item, {}).items():
            key = f"{block.item}/{row}"
            width = len(block.columns)
            candidates, how = value_candidates(values, width, column_accept(block))
            if not candidates:
                out.append(
                    finding(
                        "import_cells",
                        "warning",
                        f"{row_name('table2', key)}：读到的数值个数与 {width} 列不符，未能对应到各列，已留空，请核对原文。",
                        [f"table2:{key}"],
                    )
                )
                continue
            readings = [[parse_value(v) for v in c] for c in candidates]
            readings, used = narrow(readings, _cell_keys(layout, key), stated or {})
            likely = likeliest([c.label for c in block.columns], readings) if len(readings) > 1 else None
            out += _run_notes(layout, key, candidates, readings, used, likely)
            if likely:
                readings, how = [likely[0]], "likely"
            reads.append((key, readings, how))

    def place(key: str, values: list[Any]) -> None:
        item, row = key.split("/", 1)
        block = layout.block(item)
        table[item][row] = {c.label: v for c, v in zip(block.columns, values, strict=True)}

    out.extend(apply_rules(reads, place, doc, defs.FORMATS[fmt].sum_rules, partial(_cell_keys, layout)))
    return out
