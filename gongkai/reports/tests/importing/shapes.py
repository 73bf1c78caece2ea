"""Test data for the property tests: random consistent reports and the shapes published files take.

A document from `consistent_document` satisfies every sum rule of its format (表三 row totals, （七）总计,
the identity 一 + 二 = （七） + 四, 表四 totals); `render` writes it as a published file of one shape: a row per
line, one cell per line, pipe rows, Markdown, PDF-like text with page furniture, the whole report on one line,
digits run together. Values come from the document, so every cell read back must equal it — or be reported.
"""

from __future__ import annotations

import random
from typing import Any

from gongkai.reports import definitions as defs

from . import synth

SHAPES = ("pipe", "lines", "spaced", "markdown", "pdf_like", "one_line", "glued")


def _parties(rng: random.Random, high: int) -> list[int]:
    return [rng.choice((0, 0, 0, rng.randint(0, high))) for _ in defs.TABLE3_PARTY_COLUMNS]


def consistent_document(seed: int, fmt: str) -> dict[str, Any]:
    """A report of the format whose tables hold every sum rule; numbers drawn from `seed`."""
    rng = random.Random(seed)
    year = 2020 if fmt == "2019" else 2022
    doc = defs.empty_document("某县交通运输局", year, fmt, "unknown", fill=0)
    spec = defs.FORMATS[fmt]
    rows = doc["table3"]["rows"]
    outcome = [r.key for r in spec.table3_rows if r.kind == "outcome"]
    for key in outcome:
        rows[key] = _parties(rng, rng.choice((3, 30, 300)))
    rows[defs.CARRIED_OUT] = _parties(rng, 20)
    total = [sum(rows[k][c] for k in outcome) for c in range(6)]
    carried_in = [
        rng.randint(0, t + o) if rng.random() < 0.4 else 0
        for t, o in zip(total, rows[defs.CARRIED_OUT], strict=True)
    ]
    rows[defs.RESULTS_TOTAL] = total
    rows[defs.CARRIED_IN] = carried_in
    rows[defs.RECEIVED] = [
        t + o - i for t, o, i in zip(total, rows[defs.CARRIED_OUT], carried_in, strict=True)
    ]
    for key, values in rows.items():
        if len(values) == 6:
            rows[key] = [*values, sum(values)]
    for block in spec.table2_layout.blocks:
        for row in block.rows:
            for column in block.columns:
                doc["table2"][block.item][row][column.label] = rng.choice(
                    (0, rng.randint(0, 99), rng.randint(100, 9999))
                )
    for group in spec.table4_layout.groups:
        parts = [rng.choice((0, 0, rng.randint(0, 9))) for _ in spec.table4_layout.columns[:-1]]
        doc["table4"][group] = dict(zip(spec.table4_layout.columns, [*parts, sum(parts)], strict=True))
    doc["sections"] = {"一": "本单位做好工作考核、社会评议和责任追究。", "五": "存在问题。", "六": "无。"}
    return doc


def _markdown(rows: list[synth.Row]) -> list[str]:
    out = []
    for n, row in enumerate(rows):
        cells = [text for text, _, _ in row]  # one cell per table cell, spans not repeated (as html2text)
        out.append("| " + " | ".join(cells) + " |")
        if n == 0:
            out.append("|" + " --- |" * len(cells))
    return out


def render(doc: dict[str, Any], shape: str, rng: random.Random | None = None) -> str:
    """The report as a published text of `shape` (see SHAPES)."""
    rng = rng or random.Random(0)
    if shape in ("pipe", "lines", "spaced", "glued"):
        return synth.to_text(doc, shape)
    if shape == "one_line":
        return "".join(synth.to_text(doc, "spaced").split("\n"))
    lines: list[str] = []
    for kind, content in synth._body(doc):  # noqa: SLF001 - the same section order as the other shapes
        if kind != "table":
            lines.append(("## " if shape == "markdown" and kind == "h" else "") + content)
            continue
        rows = synth._rows_for(doc, content)  # noqa: SLF001
        if shape == "markdown":
            lines += ["", *_markdown(rows), ""]
        else:  # pdf_like: a row per line, cells apart by spaces, a page footer somewhere inside the table
            table = [" ".join(t for t, _, _ in row if t) for row in rows]
            at = rng.randint(1, len(table) - 1)
            table[at:at] = [f"— {rng.randint(2, 9)} —"]
            lines += table
    return "\n".join(lines)
