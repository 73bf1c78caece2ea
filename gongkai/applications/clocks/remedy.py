"""The agency's own deadline once a 行政复议 or 行政诉讼 is brought against it (docs/legal-basis.md §8).

- 行政复议: the 被申请人 answers in writing and hands in its evidence within 10 days of receiving the copy of the
  application (行政复议法第四十八条; 5 days under the 简易程序, 第五十四条); 第八十八条第二款 makes those days
  working days, 不含法定休假日.
- 行政诉讼: the 被告 hands in its evidence and the 答辩状 within 15 days of receiving the copy of the complaint
  (行政诉讼法第六十七条第一款), calendar days counted under 民事诉讼法第八十五条 (through 行政诉讼法第一百零一条):
  the start day is not counted, and a last day that is a 法定休假日 moves to the first day after it. The texts do
  not define 法定休假日; the repealed 民法通则第一百五十四条第三款 named 星期日 among them and a 最高人民法院
  document of 2014 lists 星期六、星期日 (docs/legal-basis.md §8.5). The platform moves any last day that is not a
  working day of the calendar to the next working day (a 调休 working Saturday or Sunday does not move), and
  says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gongkai.workdays.arithmetic import DueDate
from gongkai.workdays.explain import WEEKDAYS, fmt_date, unknown_year_step
from gongkai.workdays.models import DayKind
from gongkai.workdays.table import WorkdayTable

from ..vocab import RemedyKind
from .counting import period_due

REVIEW_ANSWER_DAYS = 10  # 行政复议法第四十八条 (working days: 第八十八条第二款)
REVIEW_SIMPLE_ANSWER_DAYS = 5  # 行政复议法第五十四条 (简易程序)
SUIT_DEFENCE_DAYS = 15  # 行政诉讼法第六十七条第一款 (calendar days)
REVIEW_LABEL = "复议答复"
SUIT_LABEL = "诉讼答辩"
PENDING = "待确认"

START_BASIS_REVIEW = (
    "该日不计入，自次日起计算（行政复议法第八十八条第一款依照民事诉讼法第八十五条第二款"
    "“期间开始的时和日，不计算在期间内”）"
)
START_BASIS_SUIT = (
    "按日历日计算，该日不计入，自次日起计算（行政诉讼法第一百零一条适用民事诉讼法第八十五条第二款"
    "“期间开始的时和日，不计算在期间内”）"
)


@dataclass(frozen=True)
class RemedyAnswer:
    """The 书面答复 (复议) or 答辩 (诉讼) deadline of one case, with its explanation."""

    label: str  # 复议答复 / 诉讼答辩
    due: DueDate | None  # None while the day the copy was received is unknown (待确认)
    submitted_on: dt.date | None
    on_time: bool | None
    overdue: bool
    steps: tuple[str, ...]
    warnings: tuple[str, ...] = ()

    @property
    def pending(self) -> bool:
        return self.due is None

    @property
    def due_text(self) -> str:
        return PENDING if self.due is None else self.due.due.isoformat()


def answer_label(kind: str) -> str:
    return REVIEW_LABEL if kind == RemedyKind.REVIEW else SUIT_LABEL


def review_answer_due(table: WorkdayTable, received: dt.date, *, simple: bool = False) -> DueDate:
    """行政复议法第四十八条 (第五十四条 under the 简易程序): N working days after the copy was received."""
    days = REVIEW_SIMPLE_ANSWER_DAYS if simple else REVIEW_ANSWER_DAYS
    article = "第五十四条（简易程序）" if simple else "第四十八条"
    rule = f"行政复议法{article}、第八十八条第二款"
    opening = (
        f"收到行政复议申请书副本之日：{fmt_date(received)}。被申请人应当自收到之日起{days}日内提出书面答复，"
        f"并提交作出行政行为的证据、依据和其他有关材料（行政复议法{article}）；"
        f"“{'五' if simple else '十'}日”是指工作日，不含法定休假日（第八十八条第二款）。{START_BASIS_REVIEW}。"
    )
    return period_due(table, received, days, label="", rule=rule, what="书面答复期限", opening=opening)


def _rest_day_name(table: WorkdayTable, day: dt.date) -> str:
    override = table.overrides.get(day)
    if override is not None and override.kind == DayKind.HOLIDAY:
        return f"{override.name}放假日"
    return f"休息日（{WEEKDAYS[day.weekday()]}）"


def suit_defence_due(table: WorkdayTable, received: dt.date) -> DueDate:
    """行政诉讼法第六十七条第一款: 15 calendar days; a last day off moves to the next working day (民诉法第八十五条)."""
    rule = "行政诉讼法第六十七条第一款、第一百零一条，民事诉讼法第八十五条"
    last = received + dt.timedelta(days=SUIT_DEFENCE_DAYS)
    steps = [
        f"收到起诉状副本之日：{fmt_date(received)}。被告应当在收到起诉状副本之日起十五日内提交作出行政行为的证据"
        f"和所依据的规范性文件，并提出答辩状（行政诉讼法第六十七条第一款）；{START_BASIS_SUIT}。",
        f"第 {SUIT_DEFENCE_DAYS} 日为{fmt_date(last)}。",
    ]
    due = last
    if not table.is_workday(last):
        due, before = table.add(last, 1), table.add(last, -1)
        steps.append(
            f"该日为{_rest_day_name(table, last)}；期间届满的最后一日是法定休假日的，以法定休假日后的第一日为期间"
            f"届满的日期（民事诉讼法第八十五条第三款），顺延至{fmt_date(due)}。"
        )
        steps.append(
            f"提示：顺延依据上述规定；为稳妥起见，可于{fmt_date(before, weekday=False)}（{WEEKDAYS[before.weekday()]}，"
            "原第 15 日前最后一个工作日）或之前提交。"
        )
    unknown = table.unknown_years(received + dt.timedelta(days=1), due)
    last_known = table.last_known_year()
    steps.extend(unknown_year_step(y, last_known) for y in unknown)
    steps.append(f"答辩期限：{fmt_date(due)}。")
    return DueDate(
        due=due, provisional=bool(unknown), steps=tuple(steps), rule=rule, unknown_years=tuple(unknown)
    )


def remedy_answer(
    table: WorkdayTable,
    kind: str,
    *,
    received: dt.date | None,
    simple_procedure: bool = False,
    submitted_on: dt.date | None = None,
    today: dt.date | None = None,
) -> RemedyAnswer:
    """The deadline of the agency's answer (复议) or defence (诉讼) in one case, and whether it was kept."""
    review = kind == RemedyKind.REVIEW
    label = answer_label(kind)
    if received is None:
        what = "行政复议申请书副本" if review else "起诉状副本"
        text = (
            f"收到{what}之日{PENDING}：{'书面答复' if review else '答辩'}期限自收到{what}之日起计算，"
            "登记收到日期前无法确定。"
        )
        return RemedyAnswer(label, None, submitted_on, None, False, (text,))
    due = (
        review_answer_due(table, received, simple=simple_procedure)
        if review
        else suit_defence_due(table, received)
    )
    steps = list(due.steps)
    warnings: list[str] = []
    on_time: bool | None = None
    if submitted_on is not None:
        on_time = submitted_on <= due.due
        steps.append(
            f"已于{fmt_date(submitted_on)}提交{'书面答复' if review else '答辩状'}及证据，{'在期限内' if on_time else '已逾期'}。"
        )
    consequence = (
        "被申请人不按期提出书面答复、提交证据、依据和其他有关材料的，视为该行政行为没有证据、依据（行政复议法第七十条）。"
        if review
        else "被告不提供或者无正当理由逾期提供证据，视为没有相应证据（行政诉讼法第三十四条第二款）。"
    )
    overdue = submitted_on is None and today is not None and today > due.due
    if overdue or on_time is False:
        warnings.append(consequence)
    return RemedyAnswer(label, due, submitted_on, on_time, overdue, tuple(steps), tuple(warnings))
