"""Chinese explanations of a working-day count: receipt day, holidays, 调休, weekends, unknown years."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from .models import DayKind
from .table import WorkdayTable

WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")

Interval = tuple[dt.date, dt.date]  # (a, b]: working days d with a < d <= b

# The 条例 does not define how periods are counted; the start day is left out by analogy with 民法典第二百零一条.
NEXT_DAY_BASIS = (
    "条例未规定期间的计算方法，参照《中华人民共和国民法典》第二百零一条"
    "“开始的当日不计入，自下一日开始计算”的做法"
)


# 元旦、劳动节、国庆节 have dates fixed by law: rest days of a year whose arrangement is not loaded (table.py).
FIXED_BASIS = "《全国年节及纪念日放假办法》第二条"


def fmt_date(day: dt.date, *, weekday: bool = True) -> str:
    text = f"{day.year}年{day.month}月{day.day}日"
    return f"{text}（{WEEKDAYS[day.weekday()]}）" if weekday else text


def fmt_range(first: dt.date, last: dt.date) -> str:
    if first == last:
        return fmt_date(first, weekday=False)
    end = f"{last.month}月{last.day}日" if first.year == last.year else fmt_date(last, weekday=False)
    return f"{fmt_date(first, weekday=False)}至{end}"


def in_intervals(day: dt.date, intervals: Sequence[Interval]) -> bool:
    return any(a < day <= b for a, b in intervals)


def unknown_year_step(year: int, last_known: int | None) -> str:
    if last_known is not None and year > last_known:
        return (
            f"注意：{year}年的节假日安排尚未公布或尚未载入（国务院办公厅通常于上一年10月至12月公布），"
            f"{year}年的日期暂按周一至周五为工作日（元旦、劳动节、国庆节等法定日期固定的节日除外）计算，结果为暂定；安排载入后系统将重新计算。"
        )
    return f"注意：本系统未载入{year}年的节假日安排，{year}年的日期按周一至周五为工作日计算，结果为暂定。"


def span_steps(
    table: WorkdayTable, start: dt.date, end: dt.date, *, paused: Sequence[Interval] = ()
) -> tuple[list[str], list[int]]:
    """Describe the days in (start, end]: holidays, make-up days, weekends, paused days, unknown years."""
    steps: list[str] = []
    if end <= start:
        return steps, []
    holidays: list[list[dt.date]] = []  # runs of consecutive holiday dates with the same name
    makeups: list[dt.date] = []
    counts = {"work": 0, "makeup": 0, "weekend": 0, "holiday": 0, "paused": 0}
    day = start + dt.timedelta(days=1)
    one = dt.timedelta(days=1)
    while day <= end:
        override = table.overrides.get(day)
        holiday = table.holiday_name(day)  # with 元旦、劳动节、国庆节 of a year not loaded: rest days by law
        if holiday is not None:
            counts["holiday"] += 1
            last_run = holidays[-1] if holidays else None
            if last_run and last_run[-1] == day - one and table.holiday_name(last_run[-1]) == holiday:
                last_run.append(day)
            else:
                holidays.append([day])
        elif not table.is_workday(day):
            counts["weekend"] += 1
        elif in_intervals(day, paused):
            counts["paused"] += 1
        else:
            counts["work"] += 1
            if override is not None:
                counts["makeup"] += 1
        if override is not None and override.kind == DayKind.MAKEUP:
            makeups.append(day)
        day += one

    for run in holidays:
        weekdays = sum(1 for d in run if d.weekday() < 5)
        if weekdays:
            name, days = table.holiday_name(run[0]), fmt_range(run[0], run[-1])
            rest = "放假" if run[0] in table.overrides else f"为{FIXED_BASIS}规定的节日"
            steps.append(f"节假日：{name} {days}{rest}，不计入（其中周一至周五 {weekdays} 天）。")
    if makeups:
        listed = "、".join(
            f"{fmt_date(d, weekday=False)}（{WEEKDAYS[d.weekday()]}，{table.overrides[d].name}调休）"
            for d in makeups
        )
        steps.append(f"调休上班：{listed}照常上班，计入工作日。")
    summary = (
        f"合计：{fmt_range(start + one, end)}共 {(end - start).days} 天，"
        f"计入工作日 {counts['work']} 天"
        + (f"（含调休上班 {counts['makeup']} 天）" if counts["makeup"] else "")
        + f"；周末 {counts['weekend']} 天、节假日 {counts['holiday']} 天不计入"
        + (f"；暂停计算的工作日 {counts['paused']} 天不计入" if counts["paused"] else "")
        + "。"
    )
    steps.append(summary)
    unknown = table.unknown_years(start + one, end)
    last_known = table.last_known_year()
    steps.extend(unknown_year_step(y, last_known) for y in unknown)
    return steps, unknown


def explain_count(
    table: WorkdayTable, start: dt.date, end: dt.date, days: int, *, start_label: str
) -> tuple[list[str], list[int]]:
    """Steps for a plain count of ``days`` working days after ``start`` ending on ``end``."""
    if days == 0:
        return [f"{start_label}：{fmt_date(start)}。期限为 0 个工作日，即当日。"], []
    steps = [
        f"{start_label}：{fmt_date(start)}。该日不计入，自次日起计算 {days} 个工作日（{NEXT_DAY_BASIS}）。"
    ]
    more, unknown = span_steps(table, start, end)
    steps.extend(more)
    steps.append(f"第 {days} 个工作日为{fmt_date(end)}。")
    return steps, unknown
