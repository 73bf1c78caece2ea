"""Extraction, 表四: the one data row of 15 cells after its 行政复议/行政诉讼 header."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from gongkai.reports import definitions as defs
from gongkai.reports.checks.findings import Finding

from .extract_fit import value_candidates
from .extract_match import label_score
from .extract_rules import Read, apply_rules, finding
from .normalise import label_key
from .tokens import Token, parse_value


def read_table4(tokens: Sequence[Token], fmt: str, doc: dict[str, Any]) -> list[Finding]:
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
        return len(rest) <= 1 or set(key) <= header_chars or label_score(key, tuple(header_words)) > 0.8

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
                f"表四：读到 {len([v for v in best if v.strip()])} 个数值，应为 {width} 个，未能对应到各列，请核对原文。",
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

    def cell_keys(_key: str) -> list[str]:
        return [f"table4:{g}:{c}" for g in layout.groups for c in layout.columns]

    return apply_rules(reads, place, doc, rules, cell_keys, rows_of=lambda _rule: {"table4"})
