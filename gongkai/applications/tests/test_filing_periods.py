"""The applicant's periods to bring a 复议 or a lawsuit, counted from the day the challenged letter was received
(issue 17 item 3: shown on the remedy record beside the proof of delivery). Seeded 2026 calendar: 国庆 10/1–10/7."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.applications.clocks.filing import add_months, filing_period
from gongkai.applications.vocab import RemedyKind
from gongkai.workdays.arithmetic import get_table

D = dt.date.fromisoformat
pytestmark = pytest.mark.django_db


def test_review_is_sixty_calendar_days_from_receipt():
    period = filing_period(get_table(), RemedyKind.REVIEW, D("2026-03-23"))
    assert period.due == D("2026-05-22") and period.label == "申请行政复议期限"
    text = "".join(period.steps)
    assert "行政复议法第二十条第一款" in text and "第 60 日为2026年5月22日" in text and "顺延" not in text


def test_a_last_day_in_the_national_day_holiday_moves_to_the_next_working_day():
    period = filing_period(get_table(), RemedyKind.REVIEW, D("2026-08-02"))  # + 60 days = 10/1
    assert period.due == D("2026-10-08")
    assert "民事诉讼法第八十五条第三款" in "".join(period.steps)


def test_a_direct_suit_is_six_months_to_the_corresponding_day_or_the_months_last_day():
    assert filing_period(get_table(), RemedyKind.SUIT_DIRECT, D("2026-03-23")).due == D("2026-09-23")
    end_of_month = filing_period(get_table(), RemedyKind.SUIT_DIRECT, D("2026-03-31"))
    assert end_of_month.due == D("2026-09-30")  # no 9/31: the month's last day (民法典第二百零二条)
    assert "行政诉讼法第四十六条第一款" in "".join(end_of_month.steps)


def test_a_suit_after_review_is_not_counted_from_the_agencys_letter():
    period = filing_period(get_table(), RemedyKind.SUIT_AFTER_REVIEW, D("2026-03-23"))
    assert period.due is None and "行政诉讼法第四十五条" in period.steps[0]


def test_add_months():
    assert add_months(D("2026-08-31"), 6) == D("2027-02-28")
    assert add_months(D("2027-08-31"), 6) == D("2028-02-29")
    assert add_months(D("2026-12-15"), 1) == D("2027-01-15")
