"""Reads of the calendar for pages and other apps: loaded years, a year's days, the last known year."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .arithmetic import get_table
from .explain import fmt_range
from .models import CalendarYear, DayKind, DayOverride


@dataclass(frozen=True)
class YearSummary:
    year: int
    known: bool
    workdays: int
    holiday_days: int  # 放假 days falling Monday–Friday
    makeup_days: int
    row: CalendarYear | None


def last_known_year() -> int | None:
    """The latest year whose arrangement is loaded (later years are counted weekends-only)."""
    return get_table().last_known_year()


def missing_arrangements(today: dt.date) -> list[int]:
    """Years whose arrangement should be loaded by ``today`` and is not: this year, and from 1 December the
    next (the 国务院办公厅 publishes it in October–December). Read from the database, not the cached table."""
    wanted = [today.year, today.year + 1] if today.month == 12 else [today.year]
    loaded = set(CalendarYear.objects.filter(year__in=wanted).values_list("year", flat=True))
    return [year for year in wanted if year not in loaded]


def missing_arrangement_message(year: int, today: dt.date) -> str:
    """What the dashboard and the reminder say about a year that is not loaded (Chinese, for staff)."""
    if year > today.year:
        return (
            f"{year}年节假日安排尚未载入。国务院办公厅通常在10月至12月公布下一年的安排，公布后请系统管理员在"
            f"“工作日历”中载入；载入前，计入{year}年的期限按周末和法定固定假日暂计，标为“暂定”，载入时自动重新计算。"
        )
    return (
        f"本年度（{year}年）节假日安排尚未载入：计入本年的期限均按周末和法定固定假日暂计，标为“暂定”。"
        "请系统管理员尽快在“工作日历”中载入。"
    )


def year_summaries() -> list[YearSummary]:
    """Every loaded year, newest first, plus the next year when it is not loaded yet."""
    rows = {r.year: r for r in CalendarYear.objects.select_related("loaded_by")}
    years = set(rows)
    if years:
        years.add(max(years) + 1)
    return [year_summary(y, table_row=rows.get(y)) for y in sorted(years, reverse=True)]


def year_summary(year: int, *, table_row: CalendarYear | None = None) -> YearSummary:
    table = get_table()
    row = table_row or CalendarYear.objects.filter(year=year).first()
    days = [o for d, o in table.overrides.items() if d.year == year]
    return YearSummary(
        year=year,
        known=year in table.known_years,
        workdays=table.year_workdays(year),
        holiday_days=sum(1 for o in days if o.kind == DayKind.HOLIDAY and o.date.weekday() < 5),
        makeup_days=sum(1 for o in days if o.kind == DayKind.MAKEUP),
        row=row,
    )


@dataclass(frozen=True)
class HolidayRun:
    name: str
    first: dt.date
    last: dt.date
    source: str

    @property
    def text(self) -> str:
        return fmt_range(self.first, self.last)


def year_days(year: int) -> tuple[list[HolidayRun], list[DayOverride]]:
    """The year's 放假 ranges (consecutive days of one holiday and notice) and its make-up days, in date order."""
    rows = list(DayOverride.objects.filter(arrangement__year=year).order_by("date"))
    runs: list[HolidayRun] = []
    for o in rows:
        if o.kind != DayKind.HOLIDAY:
            continue
        prev_run = runs[-1] if runs else None
        if (
            prev_run
            and (prev_run.name, prev_run.source) == (o.name, o.source)
            and prev_run.last == o.date - dt.timedelta(days=1)
        ):
            runs[-1] = HolidayRun(prev_run.name, prev_run.first, o.date, prev_run.source)
        else:
            runs.append(HolidayRun(o.name, o.date, o.date, o.source))
    return runs, [o for o in rows if o.kind == DayKind.MAKEUP]
