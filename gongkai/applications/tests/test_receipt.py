"""The day an application counts as received, per channel (《条例》第三十一条)."""

from __future__ import annotations

import pytest

from gongkai.applications.receipt import RECEIPT_RULES, Channel, receipt_date
from gongkai.workdays.table import WorkdaysError
from gongkai.workdays.tests.factories import d

SUBMITTED, SIGNED, CONFIRMED = d("2026-03-02"), d("2026-03-04"), d("2026-03-05")


def test_channel_labels_are_the_statutory_terms():
    assert Channel.labels == ["当面提交", "邮寄", "平常信函", "互联网渠道", "传真"]
    assert set(RECEIPT_RULES) == set(Channel.values)


@pytest.mark.parametrize(
    ("channel", "expected"),
    [
        (Channel.IN_PERSON, SUBMITTED),  # （一）the submission day
        (Channel.POST, SIGNED),  # （二）签收之日
        (Channel.ORDINARY_MAIL, CONFIRMED),  # （二）the day receipt was confirmed with the applicant
        (Channel.INTERNET, CONFIRMED),  # （三）双方确认之日
        (Channel.FAX, CONFIRMED),
    ],
)
def test_receipt_date_per_channel(channel, expected):
    got = receipt_date(channel=channel, submitted=SUBMITTED, signed_for=SIGNED, confirmed=CONFIRMED)
    assert got == expected


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"channel": Channel.POST, "submitted": SUBMITTED}, "邮寄的申请须填写签收日期"),
        ({"channel": Channel.INTERNET, "submitted": SUBMITTED}, "须填写双方确认的日期"),
        ({"channel": Channel.ORDINARY_MAIL}, "与申请人确认的日期"),
        ({"channel": Channel.IN_PERSON}, "须填写提交日期"),
        (
            {"channel": Channel.FAX, "submitted": CONFIRMED, "confirmed": SUBMITTED},
            "不能早于申请人提交的日期",
        ),
        ({"channel": "email", "submitted": SUBMITTED}, "提交方式「email」无法识别"),
    ],
)
def test_missing_or_inconsistent_dates_are_refused_in_chinese(kwargs, message):
    with pytest.raises(WorkdaysError, match=message):
        receipt_date(**kwargs)
