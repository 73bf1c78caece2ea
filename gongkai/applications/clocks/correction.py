"""Where the reply period starts: receipt, or the corrected application after one 补正 notice (第三十条)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from gongkai.workdays.arithmetic import DueDate
from gongkai.workdays.explain import NEXT_DAY_BASIS, fmt_date
from gongkai.workdays.table import WorkdayTable

from .counting import Explanation, period_due
from .events import ClockEvent, EventKind
from .periods import CORRECTION_NOTICE_DAYS, CORRECTION_PERIOD_NOTE, REPLY_DAYS


@dataclass(frozen=True)
class ReplyStart:
    day: dt.date | None  # None while waiting for the corrected application
    label: str
    correction_requested: bool
    correction_until: DueDate | None = None  # the 补正 deadline (None: none asked, or 待确认送达)
    correction_delivery_pending: bool = False


def correction_until(
    table: WorkdayTable, first: ClockEvent, ordered: Sequence[ClockEvent]
) -> tuple[DueDate | None, str]:
    """The 补正 deadline of the notice ``first`` and how it reads: the date the notice gave, or ``days`` working
    days after the day the applicant received it (the latest CORRECTION_DELIVERED; 待确认送达 while unknown)."""
    if first.days is None:
        if first.until is None:
            return None, ""
        due = DueDate(due=first.until, provisional=False, steps=(), rule="第三十条")
        return due, f"，补正期限为{fmt_date(first.until)}"
    delivered = [e for e in ordered if e.kind == EventKind.CORRECTION_DELIVERED]
    if not delivered:
        return None, (
            f"，补正期限为申请人收到补正告知书之日起 {first.days} 个工作日（{CORRECTION_PERIOD_NOTE}）；"
            "申请人收到日期待确认（待确认送达），补正期限尚未起算"
        )
    received = delivered[-1].date
    due = period_due(
        table,
        received,
        first.days,
        label="申请人收到补正告知书之日",
        rule=CORRECTION_PERIOD_NOTE,
        what="补正期限",
    )
    return due, (
        f"，申请人于{fmt_date(received)}收到补正告知书，补正期限自次日起计算 {first.days} 个工作日，"
        f"为{fmt_date(due.due)}（{CORRECTION_PERIOD_NOTE}）"
    )


def correction_notice_due(table: WorkdayTable, received: dt.date) -> DueDate:
    """第三十条: the 补正 notice is due 7 working days after receipt."""
    return period_due(
        table, received, CORRECTION_NOTICE_DAYS, label="收到申请之日", rule="第三十条", what="补正告知期限"
    )


def reply_start(  # noqa: C901 - one branch per stage of the 补正, in the order of the article
    table: WorkdayTable,
    received: dt.date,
    ordered: Sequence[ClockEvent],
    correction_due: DueDate,
    today: dt.date | None,
    notes: Explanation,
) -> ReplyStart:
    """第三十条: one notice, then the reply period restarts from the corrected application."""
    notes.steps.append(
        f"收到申请之日：{fmt_date(received)}。答复期限为 {REPLY_DAYS} 个工作日（第三十三条第二款）；"
        f"该日不计入，自次日起计算（{NEXT_DAY_BASIS}）。"
    )
    requests = [e for e in ordered if e.kind == EventKind.CORRECTION_REQUESTED]
    if not requests:
        return ReplyStart(received, "收到申请之日", correction_requested=False)
    first = requests[0]
    if len(requests) > 1:
        notes.warnings.append(
            f"第三十条要求一次性告知需要补正的内容，本申请共发出 {len(requests)} 次补正通知。"
        )
    if first.date > correction_due.due:
        notes.warnings.append(
            f"补正通知于{fmt_date(first.date)}发出，晚于收到申请后 7 个工作日的告知期限"
            f"（{fmt_date(correction_due.due)}，第三十条）。"
        )
    corrected = next((e for e in ordered if e.kind == EventKind.CORRECTION_RECEIVED), None)
    notice = f"补正：{fmt_date(first.date)}发出补正通知，答复期限自收到补正后的申请之日起重新计算（第三十条）"
    until, until_text = correction_until(table, first, ordered)
    notice += until_text
    pending = first.days is not None and until is None
    if corrected is None:
        notice += "；目前等待申请人补正。"
        if until is not None and today is not None and today > until.due:
            notice += (
                "已超过补正期限：申请人无正当理由逾期不补正的，视为放弃申请，行政机关不再处理（第三十条）。"
            )
        notes.steps.append(notice)
        return ReplyStart(None, "收到申请之日", True, until, pending)
    label = "收到补正后的申请之日"
    notes.steps.append(notice + "。")
    notes.steps.append(
        f"{label}：{fmt_date(corrected.date)}。该日不计入，自次日起重新计算（参照民法典第二百零一条，同上）。"
    )
    return ReplyStart(corrected.date, label, True, until, False)
