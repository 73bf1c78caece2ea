"""Extraction, 表二: block by block (第二十条第（x）项 header, then its 信息内容 rows)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

from gongkai.reports import definitions as defs
from gongkai.reports.checks.findings import Finding

from .extract_fit import value_candidates
from .extract_match import label_score
from .extract_rules import Read, apply_rules, finding, row_name
from .normalise import label_key
from .tokens import Token, parse_value


def _cell_keys(layout: defs.Table2Layout, key: str) -> list[str]:
    """The cell keys of the 表二 row ``<item>/<row>``, in column order."""
    return [f"table2:{key}:{c.label}" for c in layout.block(key.split("/", 1)[0]).columns]


def read_table2(tokens: Sequence[Token], fmt: str, doc: dict[str, Any]) -> list[Finding]:
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
    out: list[Finding] = []
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
            scored = [(label_score(key, (rk,)), r) for r, rk in row_keys if r not in raw]
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
                        f"{row_name('table2', f'{block.item}/{row}')}：读到的数值个数与 {width} 列不符，"
                        "未能对应到各列，已留空，请核对原文。",
                        [cell],
                    )
                )
                continue
            reads.append((f"{block.item}/{row}", [[parse_value(v) for v in c] for c in candidates], how))

    def place(key: str, values: list[Any]) -> None:
        item, row = key.split("/", 1)
        block = layout.block(item)
        table[item][row] = {c.label: v for c, v in zip(block.columns, values, strict=True)}

    out.extend(apply_rules(reads, place, doc, defs.FORMATS[fmt].sum_rules, partial(_cell_keys, layout)))
    return out
