"""Arrangements for 2004–2026 (and later, if the package has them) from the `chinesecalendar` package."""

from __future__ import annotations

import datetime as dt
from importlib.metadata import PackageNotFoundError, version

from .arrangements import ArrangedDay, Arrangement, default_source
from .models import DayKind

SEED_FIRST_YEAR = 2004
SEED_LAST_YEAR = 2026  # what chinesecalendar 1.11 covers; the migration seeds exactly these

NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}

# Days fixed by a later, supplementary notice rather than the year's main one.
SUPPLEMENTARY_SOURCES: dict[dt.date, str] = {
    **{
        dt.date(2020, 1, 31) + dt.timedelta(days=i): "国务院办公厅关于延长2020年春节假期的通知"
        for i in range(3)  # 2020-01-31 … 02-02; the 02-01 make-up day was cancelled
    },
    **{
        d: "国务院办公厅关于调整2019年劳动节假期安排的通知"
        for d in (
            dt.date(2019, 4, 28),
            dt.date(2019, 5, 2),
            dt.date(2019, 5, 3),
            dt.date(2019, 5, 4),
            dt.date(2019, 5, 5),
        )
    },
}


def package_version() -> str:
    try:
        return version("chinesecalendar")
    except PackageNotFoundError:  # pragma: no cover - installed under the other name
        return version("chinese-calendar")


def package_years() -> list[int]:
    from chinese_calendar.constants import holidays

    return sorted({d.year for d in holidays})


def arrangement_year(day: dt.date, name: str) -> int:
    """The notice a day belongs to: late-December 元旦 days belong to the next year's notice."""
    return day.year + 1 if day.month == 12 and name == "New Year's Day" else day.year


def package_arrangements(first: int = SEED_FIRST_YEAR, last: int = SEED_LAST_YEAR) -> dict[int, Arrangement]:
    """One :class:`Arrangement` per year in [first, last] built from the package's tables."""
    from chinese_calendar.constants import holidays, workdays

    source_note = f"（数据来自 chinesecalendar {package_version()}）"
    by_year: dict[int, list[ArrangedDay]] = {}
    for table, kind in ((holidays, DayKind.HOLIDAY), (workdays, DayKind.MAKEUP)):
        for day, name in table.items():
            year = arrangement_year(day, name)
            if first <= year <= last:
                source = SUPPLEMENTARY_SOURCES.get(day, "")
                by_year.setdefault(year, []).append(ArrangedDay(day, kind, NAMES.get(name, name), source))
    return {
        year: Arrangement(
            year=year,
            source=default_source(year) + source_note,
            days=tuple(sorted(days, key=lambda d: d.date)),
        )
        for year, days in sorted(by_year.items())
    }
