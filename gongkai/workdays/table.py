"""The precomputed working-day table: one flag and one running count per day, O(1) arithmetic."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .models import FIRST_YEAR, LAST_YEAR, DayKind

TABLE_FIRST = dt.date(FIRST_YEAR, 1, 1)
TABLE_LAST = dt.date(LAST_YEAR, 12, 31)


class WorkdaysError(ValueError):
    """Bad input to the calendar arithmetic; the message is Chinese and meant for the clerk."""


@dataclass(frozen=True, slots=True)
class Override:
    date: dt.date
    kind: str  # DayKind value
    name: str
    source: str = ""


# 《全国年节及纪念日放假办法》(2024 revision, from 2025) 第二条: 元旦 1月1日, 劳动节 5月1日、2日, 国庆节
# 10月1日、2日、3日 — the holidays whose dates are fixed by law. The lunar holidays (春节、清明、端午、中秋) and the
# 调休 days are only known when 国务院办公厅 publishes the year's arrangement. Before it is loaded, a year counts
# its weekends and these fixed days as rest days: a provisional deadline never falls on 元旦 or 国庆.
FIXED_HOLIDAYS_SINCE = 2025
FIXED_HOLIDAYS: tuple[tuple[int, int], ...] = ((1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3))
FIXED_HOLIDAY_NAMES = {1: "元旦", 5: "劳动节", 10: "国庆节"}  # by month


def fixed_holidays_of_unknown_years(known_years: Iterable[int]) -> list[dt.date]:
    known = set(known_years)
    return [
        dt.date(year, month, day)
        for year in range(FIXED_HOLIDAYS_SINCE, LAST_YEAR + 1)
        if year not in known
        for month, day in FIXED_HOLIDAYS
    ]


class WorkdayTable:
    """Working days between 1950 and 2199 as arrays indexed by ``date.toordinal() - lo``.

    ``flags[i]`` is 1 for a working day; ``cum[i]`` counts working days up to and including day
    ``i``; ``ords`` lists the ordinals of the working days. A day is a working day iff it is a
    make-up day (调休上班), or a Monday–Friday that is not a holiday. Years in ``known_years``
    have their arrangement loaded; other years are weekends and the holidays whose dates the law fixes
    (``fixed_holidays_of_unknown_years``), and every count reaching them is marked provisional.
    """

    __slots__ = ("lo", "hi", "size", "count", "flags", "cum", "ords", "known_years", "overrides", "token")

    def __init__(
        self, overrides: Mapping[dt.date, Override], known_years: Iterable[int], token: str = ""
    ) -> None:
        self.lo = TABLE_FIRST.toordinal()
        self.hi = TABLE_LAST.toordinal()
        self.known_years = frozenset(known_years)
        self.overrides = dict(overrides)
        self.token = token
        size = self.hi - self.lo + 1
        # 1950-01-01 was a Sunday; weekday() of ordinal o is (o + 6) % 7.
        flags = bytearray(1 if (o + 6) % 7 < 5 else 0 for o in range(self.lo, self.hi + 1))
        for day in fixed_holidays_of_unknown_years(self.known_years):
            flags[day.toordinal() - self.lo] = 0
        for day, override in self.overrides.items():
            i = day.toordinal() - self.lo
            if 0 <= i < size:
                flags[i] = 1 if override.kind == DayKind.MAKEUP else 0
        cum = [0] * size
        ords: list[int] = []
        running = 0
        lo = self.lo
        for i in range(size):
            if flags[i]:
                running += 1
                ords.append(lo + i)
            cum[i] = running
        self.flags = bytes(flags)
        self.cum = cum
        self.ords = ords
        self.size = size
        self.count = len(ords)

    # --- arithmetic ------------------------------------------------------------------------

    def _index(self, day: dt.date) -> int:
        i = day.toordinal() - self.lo
        if not 0 <= i < self.size:
            raise WorkdaysError(f"日期 {day.isoformat()} 超出可计算范围（{FIRST_YEAR}年至{LAST_YEAR}年）。")
        return i

    def is_workday(self, day: dt.date) -> bool:
        return bool(self.flags[self._index(day)])

    def holiday_name(self, day: dt.date) -> str | None:
        """The holiday ``day`` is a rest day of, as the count treats it: a loaded arrangement's holiday, or a
        holiday whose date the law fixes in a year not loaded (``fixed_holidays_of_unknown_years``); else None."""
        override = self.overrides.get(day)
        if override is not None:
            return override.name if override.kind == DayKind.HOLIDAY else None
        fixed = day.year >= FIXED_HOLIDAYS_SINCE and (day.month, day.day) in FIXED_HOLIDAYS
        return FIXED_HOLIDAY_NAMES[day.month] if fixed and day.year not in self.known_years else None

    def add(self, day: dt.date, n: int) -> dt.date:
        """The n-th working day after ``day`` (n > 0), before it (n < 0), or ``day`` itself (n = 0)."""
        i = day.toordinal() - self.lo
        if n > 0 and 0 <= i < self.size:
            k = self.cum[i] + n - 1
        elif n < 0 and 0 <= i < self.size:
            k = self.cum[i] - self.flags[i] + n
        elif n == 0:
            return day
        else:
            k = -1
        if not 0 <= k < self.count:
            raise WorkdaysError(
                f"从 {day.isoformat()} 起计算 {n} 个工作日超出可计算范围（{FIRST_YEAR}年至{LAST_YEAR}年）。"
            )
        return dt.date.fromordinal(self.ords[k])

    def between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end] — the start day does not count; negative if end < start."""
        return self.cum[self._index(end)] - self.cum[self._index(start)]

    # --- known and unknown years -----------------------------------------------------------

    def last_known_year(self) -> int | None:
        return max(self.known_years) if self.known_years else None

    def unknown_years(self, first: dt.date, last: dt.date) -> list[int]:
        """Years touched by the days ``first``..``last`` (inclusive) whose arrangement is not loaded."""
        if last < first:
            first, last = last, first
        return [y for y in range(first.year, last.year + 1) if y not in self.known_years]

    def span_is_provisional(self, start: dt.date, end: dt.date) -> bool:
        """Does counting the days in (start, end] rely on a year whose arrangement is not loaded?"""
        if start == end:
            return False
        first, last = (
            (start + dt.timedelta(days=1), end) if start < end else (end, start - dt.timedelta(days=1))
        )
        known = self.known_years
        return any(y not in known for y in range(first.year, last.year + 1))

    def year_workdays(self, year: int) -> int:
        return self.between(dt.date(year - 1, 12, 31), dt.date(year, 12, 31))
