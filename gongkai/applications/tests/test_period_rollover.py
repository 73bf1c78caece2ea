"""The roll-over of a calendar-day period whose last day is not a working day (民事诉讼法第八十五条第三款, through
行政诉讼法第一百零一条 and 行政复议法第八十八条第一款; docs/legal-basis.md §5, §8): the period ends on the first
day on or after the nominal last day that is a working day of the calendar — weekends and 放假日 move it, a
调休上班 Saturday or Sunday does not, and days off in the middle of the period are counted.

Property tests over every day of the seeded 2025 and 2026 calendars, and a table of the holiday and 调休 cases."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.applications.clocks.filing import filing_period
from gongkai.applications.clocks.remedy import suit_defence_due
from gongkai.applications.vocab import RemedyKind
from gongkai.workdays.arithmetic import get_table

D = dt.date.fromisoformat
pytestmark = pytest.mark.django_db
DAYS = st.dates(min_value=D("2025-01-01"), max_value=D("2026-11-30"))


def first_working_day_from(table, day: dt.date) -> dt.date:
    """The rule as stated, day by day (independent of the clocks' own arithmetic)."""
    while not table.is_workday(day):
        day += dt.timedelta(days=1)
    return day


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(received=DAYS)
def test_the_defence_ends_on_the_first_working_day_from_the_fifteenth_day(received):
    table = get_table()
    last = received + dt.timedelta(days=15)
    due = suit_defence_due(table, received)
    assert due.due == first_working_day_from(table, last)
    moved = "顺延至" in "".join(due.steps)
    assert moved == (due.due != last)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(received=st.dates(min_value=D("2025-01-01"), max_value=D("2026-10-01")))
def test_the_applicants_review_period_rolls_over_the_same_way(received):
    table = get_table()
    period = filing_period(table, RemedyKind.REVIEW, received)
    assert period.due == first_working_day_from(table, received + dt.timedelta(days=60))


ROLL_OVER_CASES = [
    # received, due, why
    ("2026-03-02", "2026-03-17", "15th day a Tuesday: no move"),
    ("2026-03-06", "2026-03-23", "15th day an ordinary Saturday: to Monday"),
    ("2026-03-07", "2026-03-23", "15th day an ordinary Sunday: to Monday"),
    ("2026-01-30", "2026-02-14", "15th day a Saturday worked (调休上班): no move"),
    ("2025-12-20", "2026-01-04", "15th day a Sunday worked (调休上班): no move"),
    ("2026-02-01", "2026-02-24", "15th day in 春节 (2/15–2/23): to the first day after"),
    ("2026-09-17", "2026-10-08", "15th day in 国庆 (10/1–10/7): to 10/8"),
    ("2026-09-10", "2026-09-28", "15th day 中秋 (Fri 9/25) then a weekend: to Monday"),
    (
        "2025-09-12",
        "2025-09-28",
        "15th day an ordinary Saturday, next day a Sunday worked (调休): to that Sunday",
    ),
    ("2025-09-20", "2025-10-09", "15th day in 国庆 2025 (10/1–10/8): to 10/9"),
    ("2026-09-05", "2026-09-20", "15th day Sunday 9/20 worked (调休上班): no move"),
]


@pytest.mark.parametrize(("received", "due", "why"), ROLL_OVER_CASES)
def test_holiday_and_makeup_day_table(received, due, why):
    assert suit_defence_due(get_table(), D(received)).due == D(due), why


def test_a_holiday_in_the_middle_of_the_period_is_counted():
    # 9/28 + 15 = 10/13: 国庆 inside the period is not left out (calendar days), 10/13 is a Tuesday
    assert suit_defence_due(get_table(), D("2026-09-28")).due == D("2026-10-13")
