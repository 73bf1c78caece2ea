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
from .periods import CORRECTION_NOTICE_DAYS, REPLY_DAYS


@dataclass(frozen=True)
class ReplyStart:
    day: dt.date | None  # None while waiting for the corrected application
    label: str
    correction_requested: bool


def correction_notice_due(table: WorkdayTable, received: dt.date) -> DueDate:
    """第三十条: the 补正 notice is due 7 working days after receipt."""
    return period_due(
        table, received, CORRECTION_NOTICE_DAYS, label="收到申请之日", rule="第三十条", what="补正告知期限"
    )


def reply_start(
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
    if first.until is not None:
        notice += f"，补正期限为{fmt_date(first.until)}"
    if corrected is None:
        notice += "；目前等待申请人补正。"
        if first.until is not None and today is not None and today > first.until:
            notice += (
                "已超过补正期限：申请人无正当理由逾期不补正的，视为放弃申请，行政机关不再处理（第三十条）。"
            )
        notes.steps.append(notice)
        return ReplyStart(None, "收到申请之日", correction_requested=True)
    label = "收到补正后的申请之日"
    notes.steps.append(notice + "。")
    notes.steps.append(
        f"{label}：{fmt_date(corrected.date)}。该日不计入，自次日起重新计算（参照民法典第二百零一条，同上）。"
    )
    return ReplyStart(corrected.date, label, correction_requested=True)
