"""Extraction, figures the report states in its own words: "动态更新本年度制发的规范性文件88件".

表二 has no sum rules, so a row whose figures ran together ("行政规范性文件8855698") has several readings that
nothing in the table decides. The report's text often states some of them. A statement names a cell when one
clause holds the row's words, the column's words and the figure with its unit, figure last
("集中公开现行有效行政规范性文件698件" → 现行有效件数 of 行政规范性文件). Only readings agreeing with a statement
are kept (a statement no reading agrees with is ignored, as are two statements of one cell that differ); the
cells so decided still carry a warning quoting the statement — the reader checks them, nothing is silent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from gongkai.reports import definitions as defs

from .tokens import parse_value

# The words by which the text names a column of 表二 (its label is too long to be quoted in a sentence).
COLUMN_WORDS: dict[str, tuple[str, ...]] = {
    "本年制发件数": ("制发", "印发"),
    "本年废止件数": ("废止",),
    "现行有效件数": ("现行有效",),
    "本年新制作数量": ("新制作", "制发", "印发"),
    "本年新公开数量": ("新公开",),
    "对外公开总数量": ("对外公开总",),
    "上一年项目数量": ("上一年",),
    "处理决定数量": ("处理决定",),
    "本年处理决定数量": ("处理决定",),
    "采购项目数量": ("采购项目",),
    "采购总金额": ("采购总金额", "采购金额"),
    "本年收费金额（单位：万元）": ("收费金额",),
}
_COUNT_UNIT = "件条项个笔份"
_CLAUSE = re.compile(r"[^。；;，,！!？?\n]+")
_FIGURE = re.compile(rf"(\d[\d,]*(?:\.\d+)?)\s*(万元|元|[{_COUNT_UNIT}])")
NEAR = 24  # characters before a figure within which the row's and the column's words must stand


@dataclass(frozen=True)
class Statement:
    """A figure the text states for one cell, and the clause that states it."""

    value: Any
    clause: str


def _row_words(row: str) -> tuple[str, ...]:
    return (row, row.removeprefix("行政")) if row.startswith("行政规范性") else (row,)


def stated_figures(text: str, fmt: str) -> dict[str, Statement]:
    """表二 cell key → the figure the text states for it (cells stated twice with different figures left out)."""
    layout = defs.FORMATS[fmt].table2_layout
    found: dict[str, set[Any]] = {}
    clauses: dict[str, str] = {}
    for clause in _CLAUSE.findall(text):
        for match in _FIGURE.finditer(clause):
            before = clause[max(0, match.start() - NEAR) : match.start()]
            for block in layout.blocks:
                for row in block.rows:
                    if not any(w in before for w in _row_words(row)):
                        continue
                    for column in block.columns:
                        if not any(w in before for w in COLUMN_WORDS.get(column.label, ())):
                            continue
                        number, unit = match.groups()
                        value = parse_value(number + unit if column.kind == "amount" else number)
                        key = f"table2:{block.item}/{row}:{column.label}"
                        found.setdefault(key, set()).add(value)
                        clauses[key] = clause.strip()
    return {k: Statement(next(iter(v)), clauses[k]) for k, v in found.items() if len(v) == 1}


def narrow(
    readings: list[list[Any]], keys: list[str], stated: dict[str, Statement]
) -> tuple[list[list[Any]], list[Statement]]:
    """The readings that agree with the statements on their cells, and the statements that narrowed them."""
    used: list[Statement] = []
    for n, key in enumerate(keys):
        statement = stated.get(key)
        if statement is None:
            continue
        agreeing = [r for r in readings if r[n] == statement.value and type(r[n]) is type(statement.value)]
        if agreeing and len(agreeing) < len(readings):
            readings = agreeing
            used.append(statement)
    return readings, used
