"""Working-day arithmetic over the calendar table, cached per process and refreshed on change."""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from .table import Override, WorkdaysError, WorkdayTable

__all__ = [
    "DueDate",
    "WorkdaysError",
    "add_workdays",
    "due_date",
    "get_table",
    "invalidate",
    "is_provisional",
    "is_workday",
    "workdays_between",
]

# Processes that serve no requests (CLI, workers) look for changes made elsewhere this often.
RECHECK_SECONDS = 60.0


class _Cache:
    table: WorkdayTable | None = None
    check_due: bool = True
    checked_at: float = 0.0


_cache = _Cache()
_monotonic = time.monotonic
_fromordinal = dt.date.fromordinal
_lock = threading.Lock()


def _current_token() -> str:
    from .models import CalendarRevision

    return CalendarRevision.objects.filter(id=1).values_list("token", flat=True).first() or ""


def build_table_from_db(token: str | None = None) -> WorkdayTable:
    """Read every loaded year and override and build the table (about 50 ms)."""
    from .models import CalendarYear, DayOverride

    rows = DayOverride.objects.values_list("date", "kind", "name", "source")
    overrides = {d: Override(d, kind, name, source) for d, kind, name, source in rows}
    years = CalendarYear.objects.values_list("year", flat=True)
    return WorkdayTable(overrides, years, token=_current_token() if token is None else token)


def _refresh() -> WorkdayTable:
    with _lock:
        token = _current_token()
        table = _cache.table
        if table is None or table.token != token:
            table = build_table_from_db(token)
            _cache.table = table
        _cache.check_due = False
        _cache.checked_at = _monotonic()
        return table


def get_table() -> WorkdayTable:
    """The process's table; compares the revision token at most once per request or minute."""
    table = _cache.table
    if table is None or _cache.check_due or _monotonic() - _cache.checked_at > RECHECK_SECONDS:
        table = _refresh()
    return table


def invalidate(**_: Any) -> None:
    """Drop the cached table; the next call rebuilds it from the database."""
    _cache.table = None
    _cache.check_due = True


def mark_check_due(**_: Any) -> None:
    """At the start of each request: compare the token once before the next computation."""
    _cache.check_due = True


# --- the public arithmetic -------------------------------------------------------------------


def is_workday(day: dt.date) -> bool:
    """Is ``day`` a 工作日: a make-up day (调休上班), or Monday–Friday and not a holiday (放假)?"""
    return get_table().is_workday(day)


def add_workdays(day: dt.date, n: int) -> dt.date:
    """The n-th working day *after* ``day``: the start day never counts (民法典第二百零一条 practice).

    A period "within N working days of receipt" (《条例》第三十条、第三十三条) ends on
    ``add_workdays(receipt, N)``. n = 0 returns ``day``; a negative n counts backwards.
    """
    # The benchmark's hot path (≥ 1,000,000 calls/s): the common case inline, the rest in table.add.
    table = _cache.table
    if table is None or _cache.check_due or _monotonic() - _cache.checked_at > RECHECK_SECONDS:
        table = _refresh()
    if n > 0:
        i = day.toordinal() - table.lo
        if 0 <= i < table.size:
            k = table.cum[i] + n - 1
            if k < table.count:
                return _fromordinal(table.ords[k])
    return table.add(day, n)


def workdays_between(start: dt.date, end: dt.date) -> int:
    """Working days in (start, end]: ``workdays_between(d, add_workdays(d, n)) == n``."""
    return get_table().between(start, end)


def is_provisional(start: dt.date, end: dt.date) -> bool:
    """Does a count over (start, end] touch a year whose arrangement is not loaded yet?"""
    return get_table().span_is_provisional(start, end)


@dataclass(frozen=True)
class DueDate:
    """A computed date with the steps that explain it (Chinese, shown to staff beside the date)."""

    due: dt.date
    provisional: bool
    steps: tuple[str, ...]
    rule: str = ""
    unknown_years: tuple[int, ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        return {"due": self.due.isoformat(), "provisional": self.provisional, "steps": list(self.steps)}


def due_date(received: dt.date, days: int, *, start_label: str = "收到申请之日", rule: str = "") -> DueDate:
    """The day ``days`` working days after ``received``, with the Chinese explanation.

    Rule: count from the day after receipt (the day itself does not count), skipping weekends
    and 放假 days and counting 调休上班 days; 《条例》第三十条（补正, 7 days）and 第三十三条（答复,
    20 days）. Beyond the last loaded year the count is weekends-only and marked provisional.
    """
    from .explain import explain_count

    if days < 0:
        raise WorkdaysError(f"工作日天数不能为负数（收到的是 {days}）。")
    table = get_table()
    due = table.add(received, days)
    steps, unknown = explain_count(table, received, due, days, start_label=start_label)
    return DueDate(
        due=due, provisional=bool(unknown), steps=tuple(steps), rule=rule, unknown_years=tuple(unknown)
    )
