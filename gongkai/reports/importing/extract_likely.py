"""Extraction, 表二: the likelier reading of a row whose figures ran together, by what its columns mean.

表二 has no sum rules, so "4500" under 上一年项目数量 / 本年增/减 / 处理决定数量 reads 4、50、0 or 45、0、0 and nothing
in the table decides. What the columns mean often does: an exact sum between the three figures does not happen by
chance, 本年增/减 and 处理决定数量 are most often 0, a change seldom exceeds the count it changes, and a 政府集中采购
project is not worth a few hundred 元 on average. The tests below are tried in order; each keeps the readings that
do best by it when they do not all do the same; the row is decided when one reading is left. A decided row always
carries a warning that lists every reading and says why one was taken — the reader checks it, nothing is silent.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

# Column labels of the formats' 表二 blocks (gongkai.reports.definitions) whose figure is most often 0.
USUALLY_ZERO = ("本年增/减", "处理决定数量", "本年废止件数")
PREVIOUS, CHANGE = "上一年项目数量", "本年增/减"
PROJECTS, AMOUNT = "采购项目数量", "采购总金额"
MIN_PER_PROJECT = Decimal(10_000)  # 元: a lower average is not a 政府集中采购 project's
_AMOUNT = re.compile(r"\s*([-+]?\d[\d,]*(?:\.\d+)?)\s*(亿元|万元|元)?\s*")
_SCALE = {"亿元": Decimal(100_000_000), "万元": Decimal(10_000), "元": Decimal(1), None: Decimal(1)}


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _yuan(value: Any) -> Decimal | None:
    match = _AMOUNT.fullmatch(str(value)) if value is not None else None
    if match is None:
        return None
    try:
        return Decimal(match.group(1).replace(",", "")) * _SCALE[match.group(2)]
    except InvalidOperation:
        return None


def _sums(columns: Sequence[str], reading: Sequence[Any]) -> int | None:
    """1 when the third figure is the first plus or minus the second (上一年 + 增/减 = 处理决定, 制发 − 废止 = 现行有效)."""
    if len(reading) != 3:
        return None
    a, b, c = (_count(v) for v in reading)
    if a is None or b is None or c is None:
        return 0
    return int(c in (a + b, a - b))


def _zeros(columns: Sequence[str], reading: Sequence[Any]) -> int | None:
    cells = [v for c, v in zip(columns, reading, strict=True) if c in USUALLY_ZERO]
    return sum(1 for v in cells if _count(v) == 0) if cells else None


def _change_within(columns: Sequence[str], reading: Sequence[Any]) -> int | None:
    if PREVIOUS not in columns or CHANGE not in columns:
        return None
    previous, change = _count(reading[columns.index(PREVIOUS)]), _count(reading[columns.index(CHANGE)])
    return int(previous is not None and change is not None and abs(change) <= previous)


def _per_project(columns: Sequence[str], reading: Sequence[Any]) -> int | None:
    if PROJECTS not in columns or AMOUNT not in columns:
        return None
    projects, amount = _count(reading[columns.index(PROJECTS)]), _yuan(reading[columns.index(AMOUNT)])
    if not projects or amount is None:
        return 0
    return int(amount >= MIN_PER_PROJECT * projects)


@dataclass(frozen=True)
class Test:
    """``score``: higher is likelier, None when the test is not for these columns; ``reason``: why the reading
    taken is likelier, in Chinese."""

    score: Callable[[Sequence[str], Sequence[Any]], int | None]
    reason: Callable[[Sequence[str], Sequence[Any]], str]


def _sum_shown(columns: Sequence[str], reading: Sequence[Any]) -> str:
    a, b, c = reading
    plus = (c == a + b) == (b >= 0)  # 20 + 17 = 37, 26 − 26 = 0, 30 + 5 = 25 read as 30 − 5
    return f"三个数值恰好满足 {a} {'+' if plus else '−'} {abs(b)} = {c}"


TESTS = (
    Test(_sums, _sum_shown),
    Test(_zeros, lambda columns, _: "、".join(c for c in columns if c in USUALLY_ZERO) + "通常为 0"),
    Test(_change_within, lambda columns, _: f"{CHANGE}通常不超过{PREVIOUS}"),
    Test(_per_project, lambda columns, _: "政府集中采购项目的平均金额不低于 1 万元"),
)


def likeliest(columns: Sequence[str], readings: list[list[Any]]) -> tuple[list[Any], list[str]] | None:
    """The one reading the tests leave, and the reasons of the tests that narrowed to it; None when undecided."""
    left, narrowing = readings, []
    for test in TESTS:
        scored = [test.score(columns, r) for r in left]
        scores = [s for s in scored if s is not None]
        if len(scores) < len(scored):
            continue  # the test is not for these columns
        if (best := max(scores)) > min(scores):
            left = [r for r, s in zip(left, scores, strict=True) if s == best]
            narrowing.append(test)
        if len(left) == 1:
            return (left[0], [t.reason(columns, left[0]) for t in narrowing]) if narrowing else None
    return None
