"""The working-day table on its own (no database): real years, properties, agreement with a naive loop."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.workdays.explain import span_steps
from gongkai.workdays.models import DayKind
from gongkai.workdays.seed import package_arrangements
from gongkai.workdays.table import Override, WorkdaysError, WorkdayTable

from .factories import d


@cache
def table() -> WorkdayTable:
    """The 2004–2026 calendar as the migration seeds it, built without the database."""
    arrangements = package_arrangements()
    overrides = {x.date: Override(x.date, x.kind, x.name) for a in arrangements.values() for x in a.days}
    return WorkdayTable(overrides, arrangements)


# 《全国年节及纪念日放假办法》(2024) 第二条: the holidays whose dates the law fixes, rest days even in a year
# whose arrangement is not loaded yet (written out here, not read from the code under test).
LAW_FIXED = {(1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)}


def naive_is_workday(day: dt.date) -> bool:
    o = table().overrides.get(day)
    if o:
        return o.kind == DayKind.MAKEUP
    if day.year >= 2025 and day.year not in table().known_years and (day.month, day.day) in LAW_FIXED:
        return False
    return day.weekday() < 5


def naive_add(day: dt.date, n: int) -> dt.date:
    while n > 0:
        day += dt.timedelta(days=1)
        n -= naive_is_workday(day)
    return day


dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2150, 12, 31))
counts = st.integers(min_value=0, max_value=400)


# Published counts (statutory-rules §6.2): the whole arrangement of each year in one number.
@pytest.mark.parametrize(
    ("year", "workdays"),
    [(2019, 250), (2020, 249), (2021, 250), (2022, 249), (2023, 249), (2024, 251), (2025, 248), (2026, 248)],
)
def test_working_days_per_year(year, workdays):
    # given the seeded calendar / when counting a year / then it matches the published count
    assert table().year_workdays(year) == workdays


@given(dates, counts)
def test_add_then_between_round_trips(day, n):
    # given a day and a count / when adding n working days / then exactly n working days lie in (day, result]
    assert table().between(day, table().add(day, n)) == n


@given(dates, st.integers(min_value=1, max_value=400))
def test_result_is_a_working_day_after_the_start(day, n):
    result = table().add(day, n)
    assert result > day
    assert table().is_workday(result)


@given(dates, dates, counts)
def test_monotonic_in_the_start_day(a, b, n):
    first, second = sorted((a, b))
    assert table().add(first, n) <= table().add(second, n)


@given(dates, counts, counts)
def test_monotonic_in_the_count(day, m, n):
    if m < n:
        assert table().add(day, m) < table().add(day, n)


@settings(max_examples=300)
@given(st.dates(min_value=dt.date(2003, 6, 1), max_value=dt.date(2027, 6, 30)), st.integers(0, 60))
def test_agrees_with_a_naive_day_by_day_loop(day, n):
    assert table().add(day, n) == naive_add(day, n)


@given(dates, dates, dates)
def test_between_is_additive_and_antisymmetric(a, b, c):
    t = table()
    assert t.between(a, b) == -t.between(b, a)
    assert t.between(a, b) + t.between(b, c) == t.between(a, c)


@given(dates, st.integers(min_value=1, max_value=400))
def test_counting_back_returns_to_a_working_start(day, n):
    # given a working day / when going n working days forward then back / then we are where we began
    start = table().add(day, 1)
    assert table().add(table().add(start, n), -n) == start


@given(dates)
def test_zero_days_is_the_same_day(day):
    assert table().add(day, 0) == day


def test_unknown_years_are_weekends_only_and_flagged():
    # given 2027 is not loaded / when counting across it / then Mon–Fri count, except the holidays whose dates
    # the law fixes, and the span is provisional
    t = table()
    assert not t.is_workday(d("2027-01-01"))  # a Friday, but 元旦 is 1月1日 by law
    assert not t.is_workday(d("2027-10-01"))  # a Friday: 国庆节
    assert t.is_workday(d("2027-01-04"))
    assert t.year_workdays(2027) == 261 - 2  # Mon–Fri less 元旦 and 10月1日 (5/1–2, 10/2–3 are weekend days)
    assert t.span_is_provisional(d("2026-12-31"), d("2027-01-01"))
    assert not t.span_is_provisional(d("2026-12-01"), d("2026-12-31"))
    assert t.unknown_years(d("2026-12-01"), d("2028-01-01")) == [2027, 2028]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda t: t.add(dt.date(2199, 12, 20), 30), "超出可计算范围"),
        (lambda t: t.add(dt.date(1950, 1, 3), -30), "超出可计算范围"),
        (lambda t: t.is_workday(dt.date(1900, 1, 1)), "超出可计算范围"),
        (lambda t: t.between(dt.date(2020, 1, 1), dt.date(2300, 1, 1)), "超出可计算范围"),
    ],
)
def test_out_of_range_is_a_clear_chinese_error(call, message):
    with pytest.raises(WorkdaysError, match=message):
        call(table())


SUMMARY = re.compile(r"计入工作日 (\d+) 天(?:（含调休上班 \d+ 天）)?；周末 (\d+) 天、节假日 (\d+) 天不计入")


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=dt.date(2025, 12, 1), max_value=dt.date(2029, 12, 31)), st.integers(1, 400))
def test_the_explanation_counts_the_days_as_the_deadline_does(start, span):
    # given a span in loaded years and in years not loaded yet (2027 on: only the law's fixed holidays known)
    end = start + dt.timedelta(days=span)
    # when it is explained
    steps, _ = span_steps(table(), start, end)
    summary = SUMMARY.search("".join(steps))
    assert summary is not None
    work, weekend, holiday = (int(n) for n in summary.groups())
    # then its working days are those the deadline counts, its weekends are Saturdays and Sundays (never a
    # 元旦 on a Friday), and its holidays are the days the count rests on that are neither
    days = [start + dt.timedelta(days=i) for i in range(1, span + 1)]
    rest = [day for day in days if not naive_is_workday(day)]
    assert work == table().between(start, end) == len(days) - len(rest)
    law_holiday = [day for day in rest if day.year >= 2027 and (day.month, day.day) in LAW_FIXED]
    assert weekend == sum(1 for day in rest if day.weekday() >= 5 and day not in table().overrides
                          and day not in law_holiday)  # fmt: skip
    assert holiday == len(rest) - weekend


def test_a_deadline_over_new_year_of_a_year_not_loaded_counts_yuandan_as_a_holiday():
    # given 2027 not loaded: 2027-01-01 (a Friday) is a rest day by law, and the count skips it (it was
    # explained as a 10th weekend day, 「周末 9 天、节假日 0 天」)
    steps, unknown = span_steps(table(), d("2026-12-20"), d("2027-01-18"))
    assert unknown == [2027]
    assert (
        "节假日：元旦 2027年1月1日为《全国年节及纪念日放假办法》第二条规定的节日，不计入（其中周一至周五 1 天）。"
        in steps
    )
    assert "计入工作日 20 天；周末 8 天、节假日 1 天不计入。" in "".join(steps)
