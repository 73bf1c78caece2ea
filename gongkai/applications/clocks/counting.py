"""Counting working days with pauses, and the explanation every rule appends to."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from gongkai.workdays.arithmetic import DueDate
from gongkai.workdays.explain import NEXT_DAY_BASIS, Interval, fmt_date, span_steps
from gongkai.workdays.table import WorkdayTable


@dataclass
class Explanation:
    """The Chinese steps and warnings of one computation, in the order the rules add them."""

    steps: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def merge_intervals(intervals: Iterable[Interval]) -> list[Interval]:
    """Merge (a, b] intervals that overlap or touch."""
    merged: list[Interval] = []
    for a, b in sorted(i for i in intervals if i[1] > i[0]):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def count_forward(table: WorkdayTable, start: dt.date, n: int, paused: Sequence[Interval]) -> dt.date:
    """The n-th counted working day after ``start``, skipping working days inside ``paused``."""
    cursor, remaining = start, n
    for a, b in merge_intervals(paused):
        if b <= cursor:
            continue
        if a > cursor:
            available = table.between(cursor, a)
            if available >= remaining:
                return table.add(cursor, remaining)
            remaining -= available
        cursor = b
    return table.add(cursor, remaining)


def counted_between(table: WorkdayTable, start: dt.date, end: dt.date, paused: Sequence[Interval]) -> int:
    """Counted working days in (start, end], leaving out the paused ones."""
    if end <= start:
        return 0
    total = table.between(start, end)
    for a, b in merge_intervals(paused):
        lo, hi = max(a, start), min(b, end)
        if hi > lo:
            total -= table.between(lo, hi)
    return total


def period_due(
    table: WorkdayTable,
    start: dt.date,
    days: int,
    *,
    label: str,
    rule: str,
    what: str,
    opening: str = "",
) -> DueDate:
    """The ``days``-th working day after ``start`` (no pauses), with its explanation; ``opening`` replaces the
    standard first step (a rule that words its own basis)."""
    due = table.add(start, days)
    steps = [
        opening
        or f"{label}：{fmt_date(start)}。期限为 {days} 个工作日（{rule}）；该日不计入，自次日起计算（{NEXT_DAY_BASIS}）。"
    ]
    more, unknown = span_steps(table, start, due)
    steps.extend(more)
    steps.append(f"{what}：第 {days} 个工作日为{fmt_date(due)}。")
    return DueDate(
        due=due, provisional=bool(unknown), steps=tuple(steps), rule=rule, unknown_years=tuple(unknown)
    )
