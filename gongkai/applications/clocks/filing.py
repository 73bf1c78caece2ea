"""The applicant's own periods to bring a 行政复议 or a lawsuit, counted from the day the letter reached them.

Shown on the remedy record beside the proof of delivery of the letter the case challenges (docs/legal-basis.md
§1.3 item 5, §5):

- 行政复议: 六十日 from the day the applicant knew or should have known of the act (行政复议法第二十条第一款); the
  reply letter says 「自收到本告知书之日起六十日内」, taking the day of receipt as that day. Calendar days: the
  start day is not counted and a last day off moves to the next working day (第八十八条第一款 → 民事诉讼法第八十五条).
- 直接起诉: 六个月 (行政诉讼法第四十六条第一款); the last day is the corresponding day of the last month, or that
  month's last day when it has none (民法典第二百零二条, applied by analogy like 第二百零一条 in §5), and a last
  day off moves to the next working day (民事诉讼法第八十五条第三款 through 行政诉讼法第一百零一条).
- 复议后起诉: 十五日 from the receipt of the 复议决定书 (行政诉讼法第四十五条): not counted from this letter.

As for the agency's own deadline (``clocks.remedy``), the texts do not define 法定休假日; the platform moves any
last day that is not a working day of the calendar (weekends included, 调休 working days not), as the materials of
docs/legal-basis.md §8.5 do, and says so. These dates are for reference:
whether a case was brought in time is for the 复议机关 or the court.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from gongkai.workdays.explain import fmt_date
from gongkai.workdays.table import WorkdayTable

from ..vocab import RemedyKind

REVIEW_APPLY_DAYS = 60  # 行政复议法第二十条第一款
SUIT_MONTHS = 6  # 行政诉讼法第四十六条第一款
START = "该日不计入，自次日起计算（民事诉讼法第八十五条第二款）"
ROLL = (
    "期间届满的最后一日是法定休假日的，以法定休假日后的第一日为期间届满的日期（民事诉讼法第八十五条第三款）"
)
REFERENCE = "以上日期供参考，是否超过期限由行政复议机关或者人民法院认定。"
AFTER_REVIEW = (
    "复议后起诉的，起诉期限自收到复议决定书之日起十五日（复议机关逾期不作决定的，自复议期满之日起十五日）"
    "计算（行政诉讼法第四十五条），不以本机关文书的送达日期计算。"
)


@dataclass(frozen=True)
class FilingPeriod:
    """The applicant's period to bring the case, counted from the day the challenged letter was received."""

    label: str  # 申请行政复议期限 / 提起行政诉讼期限
    due: dt.date | None  # None: not counted from this letter (复议后起诉)
    steps: tuple[str, ...]


def add_months(day: dt.date, months: int) -> dt.date:
    """The corresponding day ``months`` later; the month's last day when it has none (民法典第二百零二条)."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _rolled(table: WorkdayTable, last: dt.date, steps: list[str]) -> dt.date:
    if table.is_workday(last):
        return last
    due = table.add(last, 1)
    steps.append(f"该日不是工作日；{ROLL}，顺延至{fmt_date(due)}。")
    return due


def filing_period(table: WorkdayTable, kind: str, received: dt.date) -> FilingPeriod:
    """The applicant's period for a case of ``kind``, from the day the letter was received (签收、确认送达)."""
    opening = f"申请人收到该文书之日：{fmt_date(received)}。"
    if kind == RemedyKind.REVIEW:
        last = received + dt.timedelta(days=REVIEW_APPLY_DAYS)
        steps = [
            opening + "公民、法人或者其他组织可以自知道或者应当知道该行政行为之日起六十日内提出行政复议申请"
            "（行政复议法第二十条第一款）；以收到该文书之日为知道之日。"
            f"{START}，行政复议法第八十八条第一款依照民事诉讼法计算期间。",
            f"第 {REVIEW_APPLY_DAYS} 日为{fmt_date(last)}。",
        ]
        due = _rolled(table, last, steps)
        steps += [f"申请行政复议期限：{fmt_date(due)}。", REFERENCE]
        return FilingPeriod("申请行政复议期限", due, tuple(steps))
    if kind == RemedyKind.SUIT_DIRECT:
        last = add_months(received, SUIT_MONTHS)
        steps = [
            opening + "直接向人民法院提起诉讼的，应当自知道或者应当知道作出行政行为之日起六个月内提出"
            f"（行政诉讼法第四十六条第一款）；{START}，行政诉讼法第一百零一条适用民事诉讼法。",
            f"按月计算的，到期月的对应日为期间的最后一日，没有对应日的，月末日为期间的最后一日（民法典第二百零二条，"
            f"参照适用）：{fmt_date(last)}。",
        ]
        due = _rolled(table, last, steps)
        steps += [f"提起行政诉讼期限：{fmt_date(due)}。", REFERENCE]
        return FilingPeriod("提起行政诉讼期限", due, tuple(steps))
    return FilingPeriod("提起行政诉讼期限", None, (opening + AFTER_REVIEW,))
