"""The public arithmetic over the seeded database: real years, hand-computed deadlines, the cache."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest
from django.core.signals import request_started
from django.db import close_old_connections

from gongkai.core.actors import SYSTEM_TEST
from gongkai.workdays import arithmetic
from gongkai.workdays.arithmetic import (
    add_workdays,
    due_date,
    get_table,
    is_provisional,
    is_workday,
    mark_check_due,
    workdays_between,
)
from gongkai.workdays.models import CalendarYear
from gongkai.workdays.services import arrangement_load

from .factories import arrangement_2027, d

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("day", "working"),
    [
        # 2020: 春节 01-24–01-30 extended to 02-02; the 02-01 (Sat) make-up day was cancelled.
        ("2020-01-19", True),  # Sunday make-up day
        ("2020-01-23", True),
        ("2020-01-24", False),
        ("2020-01-31", False),  # Friday, added by the extension
        ("2020-02-01", False),  # Saturday: would have been worked, cancelled
        ("2020-02-02", False),
        ("2020-02-03", True),  # work resumed on Monday 3 February
        # 2023: 中秋+国庆 09-29–10-06, with Saturday 10-07 and Sunday 10-08 worked.
        ("2023-09-28", True),
        ("2023-09-29", False),
        ("2023-10-02", False),
        ("2023-10-06", False),
        ("2023-10-07", True),
        ("2023-10-08", True),
        ("2023-10-09", True),
        # 2025: first year of the 13-day regime — 除夕 is a holiday, 劳动节 two days.
        ("2025-01-26", True),  # Sunday make-up day
        ("2025-01-27", True),
        ("2025-01-28", False),  # 除夕
        ("2025-02-04", False),
        ("2025-02-05", True),
        ("2025-02-08", True),  # Saturday make-up day
        ("2025-04-27", True),  # Sunday make-up day
        ("2025-05-01", False),
        ("2025-05-02", False),
        ("2025-05-05", False),
        ("2025-05-06", True),
        ("2025-09-28", True),
        ("2025-10-08", False),
        ("2025-10-11", True),
        ("2025-10-12", False),
    ],
)
def test_is_workday_in_real_years(day, working):
    assert is_workday(d(day)) is working


# Hand-computed from the §6.2 arrangements (counting written out in the comments), not from a library.
@pytest.mark.parametrize(
    ("received", "days", "due", "provisional"),
    [
        # 2018-12-29 (Sat) worked, 12-30–2019-01-01 off: 12/29 (1) | 1/2 (2).
        ("2018-12-28", 1, "2018-12-29", False),
        ("2018-12-28", 2, "2019-01-02", False),
        # 2019 劳动节 05-01–05-04, worked 04-28 (Sun) and 05-05 (Sun):
        # 4/26 (1) 4/28 (2) 4/29 (3) 4/30 (4) 5/5 (5) 5/6 (6) 5/7 (7).
        ("2019-04-25", 7, "2019-05-07", False),
        # 2019 国庆 10-01–10-07, worked 09-29 (Sun): 9/29 (1) 9/30 (2) 10/8 (3) 10/9 (4) 10/10 (5).
        ("2019-09-27", 5, "2019-10-10", False),
        # 2020: 1/21 1/22 1/23 (3), 春节 to 2/2, then 2/3–2/7 (8), 2/10–14 (13), 2/17–21 (18), 2/24 2/25 (20).
        ("2020-01-20", 20, "2020-02-25", False),
        # 2020-02-01 no longer worked: from Friday 1/31 the next working day is Monday 2/3.
        ("2020-01-31", 1, "2020-02-03", False),
        # 2020 国庆+中秋 10-01–10-08, worked 09-27 (Sun) and 10-10 (Sat).
        ("2020-09-25", 3, "2020-09-29", False),  # 9/27 (1) 9/28 (2) 9/29 (3)
        ("2020-09-30", 1, "2020-10-09", False),
        ("2020-09-30", 2, "2020-10-10", False),
        # 2021 春节 02-11–02-17, worked 02-07 (Sun) and 02-20 (Sat).
        ("2021-02-05", 3, "2021-02-09", False),  # 2/7 (1) 2/8 (2) 2/9 (3)
        ("2021-02-10", 3, "2021-02-20", False),  # 2/18 (1) 2/19 (2) 2/20 (3)
        # 2022 清明 04-03–04-05, worked 04-02 (Sat).
        ("2022-04-01", 1, "2022-04-02", False),
        ("2022-04-01", 2, "2022-04-06", False),
        # 2023: 9/26 9/27 9/28 (3), off to 10/6, 10/7 10/8 (5), 10/9–13 (10), 10/16–20 (15), 10/23–27 (20).
        ("2023-09-25", 20, "2023-10-27", False),
        ("2023-09-28", 1, "2023-10-07", False),
        ("2023-09-28", 3, "2023-10-09", False),
        # 2024 国庆 10-01–10-07, worked 09-29 (Sun): 9/29 (1) 9/30 (2).
        ("2024-09-27", 2, "2024-09-30", False),
        # 2025 春节 01-28–02-04, worked 01-26 (Sun) and 02-08 (Sat):
        # 1/26 (1) 1/27 (2) 2/5 (3) 2/6 (4) 2/7 (5) 2/8 (6) 2/10 (7).
        ("2025-01-24", 7, "2025-02-10", False),
        # 2025 劳动节 05-01–05-05, worked 04-27 (Sun).
        ("2025-04-25", 3, "2025-04-29", False),  # 4/27 (1) 4/28 (2) 4/29 (3)
        ("2025-04-30", 1, "2025-05-06", False),
        # 2026 元旦 01-01–01-03, worked 01-04 (Sun).
        ("2025-12-31", 1, "2026-01-04", False),
        # 2026 国庆 10-01–10-07, worked 10-10 (Sat): 10/8 (1) 10/9 (2) 10/10 (3).
        ("2026-09-30", 3, "2026-10-10", False),
        # December 2026 stays inside the known year: 12/2–4 (3), 12/7–11 (8), 12/14–18 (13), 12/21–25 (18), 12/28 12/29.
        ("2026-12-01", 20, "2026-12-29", False),
        # Into 2027 (unknown): weekends and the holidays fixed by law (元旦 1/1 is a Friday), provisional.
        # 12/21–25 (5), 12/28–31 (9), 1/4–8 (14), 1/11–15 (19), 1/18 (20).
        ("2026-12-20", 20, "2027-01-18", True),
        ("2026-12-31", 1, "2027-01-04", True),
        # 12/11 (1), 12/14–18 (6), 12/21–25 (11), 12/28–31 (15), 1/4–8 (20).
        ("2026-12-10", 20, "2027-01-08", True),
        # 11/23–27 (5) … 12/21–25 (25), 12/28–31 (29), 1/4–8 (34), 1/11–15 (39), 1/18 (40).
        ("2026-11-20", 40, "2027-01-18", True),
    ],
)
def test_hand_computed_deadlines(received, days, due, provisional):
    result = due_date(d(received), days)
    assert result.due == d(due)
    assert add_workdays(d(received), days) == d(due)
    assert workdays_between(d(received), d(due)) == days
    assert result.provisional is provisional
    assert is_provisional(d(received), d(due)) is provisional


# statutory-rules §6.3, worked examples (count from the day after receipt).
@pytest.mark.parametrize(
    ("received", "days", "due"),
    [
        ("2025-09-26", 20, "2025-10-30"),  # counts the 09-28 (Sun) and 10-11 (Sat) make-up days
        ("2025-09-26", 40, "2025-11-27"),  # with the 20-day extension
        ("2026-02-10", 7, "2026-02-26"),  # 补正 notice
        ("2026-02-10", 20, "2026-03-16"),  # reply
        ("2020-01-20", 20, "2020-02-25"),
        ("2026-12-20", 20, "2027-01-18"),  # into the unknown 2027: weekends and 元旦 (fixed by law) rest
    ],
)
def test_worked_examples_of_the_spec(received, days, due):
    assert add_workdays(d(received), days) == d(due)


def test_every_count_into_2027_is_provisional_until_2027_is_loaded():
    # given received dates across December 2026 and the usual periods
    starts = [dt.date(2026, 12, 1) + dt.timedelta(days=i) for i in range(31)]
    for start in starts:
        for days in (7, 20, 40):
            # when the due date is computed
            result = due_date(start, days)
            # then it is provisional exactly when it reaches 2027, and says so in its steps
            assert result.provisional is (result.due.year == 2027)
            assert ("2027年的节假日安排尚未公布" in "".join(result.steps)) is result.provisional


def test_seeded_calendar_matches_the_package_for_every_day_2004_to_2026():
    # given the migration's seed / then each day agrees with chinese_calendar.is_workday
    day = dt.date(2004, 1, 1)
    while day <= dt.date(2026, 12, 31):
        assert is_workday(day) is chinese_calendar.is_workday(day), day
        day += dt.timedelta(days=1)
    assert list(CalendarYear.objects.values_list("year", flat=True)) == list(range(2004, 2027))


def test_due_date_explains_holidays_and_makeup_days():
    steps = due_date(d("2026-02-10"), 20).steps
    assert steps[0].startswith("收到申请之日：2026年2月10日（星期二）。该日不计入")
    assert "节假日：春节 2026年2月15日至2月23日放假，不计入（其中周一至周五 6 天）。" in steps
    assert any(
        "2026年2月14日（星期六，春节调休）" in s and "2026年2月28日（星期六，春节调休）" in s for s in steps
    )
    assert steps[-1] == "第 20 个工作日为2026年3月16日（星期一）。"


def test_zero_days_is_the_receipt_day():
    result = due_date(d("2026-03-02"), 0)
    assert result.due == d("2026-03-02") and not result.provisional
    assert "当日" in result.steps[0]


def test_negative_days_are_refused_in_chinese():
    with pytest.raises(arithmetic.WorkdaysError, match="不能为负数"):
        due_date(d("2026-03-02"), -1)


def test_loading_a_year_takes_effect_in_this_process_at_once():
    # given 2027 is unknown and a deadline runs into it
    assert due_date(d("2026-12-20"), 20).provisional
    # when the 2027 arrangement is loaded
    arrangement_load(actor=SYSTEM_TEST, arrangement=arrangement_2027())
    # then 1 January 2027 is a holiday and the deadline is final:
    # 12/21–25 (5), 12/28–31 (9), 1/4–8 (14), 1/11–15 (19), 1/18 (20)
    assert not is_workday(d("2027-01-01"))
    result = due_date(d("2026-12-20"), 20)
    assert (result.due, result.provisional) == (d("2027-01-18"), False)


def test_a_change_made_by_another_process_is_seen_at_the_next_request():
    # given this process has built its table
    stale = get_table()
    assert is_workday(d("2027-02-08"))
    # when another process loads 2027 (simulated: the rows and token change, our cache is kept)
    arrangement_load(actor=SYSTEM_TEST, arrangement=arrangement_2027())
    arithmetic._cache.table, arithmetic._cache.check_due = stale, False
    arithmetic._cache.checked_at = arithmetic._monotonic()
    assert is_workday(d("2027-02-08"))  # still the stale table, by design, until the next check
    # then the start of the next request makes the token compare, and the new table is built
    # (close_old_connections is left out, as Django's test client does, to keep the test's transaction)
    request_started.disconnect(close_old_connections)
    try:
        request_started.send(sender=None)
    finally:
        request_started.connect(close_old_connections)
    assert not is_workday(d("2027-02-08"))


def test_an_unchanged_token_keeps_the_cached_table():
    table = get_table()
    mark_check_due()
    assert get_table() is table
