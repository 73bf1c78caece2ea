"""Fee notices: the reply clock stops until payment, and payment is due after receipt (国办函〔2020〕109号).

From the day a notice is sent to the day of payment (both excluded) the reply clock stops (FEE_PAUSE_NOTE);
payment is due 20 working days after the day the applicant received the notice (FEE_RULE_NOTE); while that
day is unknown there is no payment deadline (待确认送达).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from gongkai.workdays.arithmetic import DueDate
from gongkai.workdays.explain import Interval, fmt_date, fmt_range
from gongkai.workdays.table import WorkdayTable

from .counting import Explanation, period_due
from .events import ClockEvent, EventKind
from .periods import FEE_PAUSE_NOTE, FEE_PAYMENT_DAYS, FEE_RULE_NOTE


@dataclass
class _FeeNotice:
    notice: ClockEvent
    received: dt.date | None = None  # the day the applicant received it, when known
    payment: ClockEvent | None = None


@dataclass(frozen=True)
class FeePauses:
    paused: tuple[Interval, ...]
    payment_due: DueDate | None
    awaiting_since: dt.date | None  # the sending day of an unpaid notice: the reply clock stops from then
    delivery_pending: bool  # an unpaid notice's receipt day is unknown (待确认送达)


def _notices(ordered: Sequence[ClockEvent]) -> list[_FeeNotice]:
    fees: list[_FeeNotice] = []
    for e in ordered:
        if e.kind == EventKind.FEE_NOTICE_SENT:
            fees.append(_FeeNotice(e, e.delivered))
        elif e.kind == EventKind.FEE_NOTICE_DELIVERED and fees:
            fees[-1].received = e.date
        elif e.kind == EventKind.FEE_PAID and fees:
            fees[-1].payment = e
    return fees


def fee_pauses(table: WorkdayTable, ordered: Sequence[ClockEvent], notes: Explanation) -> FeePauses:
    """Every fee notice: its pause of the reply clock, and the payment deadline of an unpaid one."""
    paused: list[Interval] = []
    payment_due: DueDate | None = None
    awaiting_since: dt.date | None = None
    delivery_pending = False
    for fee in _notices(ordered):
        sent, receipt_day, payment = fee.notice.date, fee.received, fee.payment
        how = f"（{fee.notice.delivery}）" if fee.notice.delivery else ""
        if payment is not None:
            notes.steps.append(
                f"收费：{fmt_date(sent)}发出收费通知{how}，{fmt_date(payment.date)}申请人缴费；"
                f"自发出收费通知之日至缴费之日（{fmt_range(sent, payment.date)}）不计入答复期限，"
                f"缴费次日起继续计算（{FEE_PAUSE_NOTE}）。"
            )
            paused.append((sent - dt.timedelta(days=1), payment.date))
            continue
        awaiting_since = sent
        if receipt_day is not None:
            payment_due = period_due(
                table,
                receipt_day,
                FEE_PAYMENT_DAYS,
                label="申请人收到收费通知之日",
                rule=FEE_RULE_NOTE,
                what="缴费期限",
            )
            notes.steps.append(
                f"收费：{fmt_date(sent)}发出收费通知{how}，申请人于{fmt_date(receipt_day)}收到；"
                f"缴费期限自收到之日的次日起计算 {FEE_PAYMENT_DAYS} 个工作日，为{fmt_date(payment_due.due)}，"
                f"逾期未缴纳的视为放弃申请（{FEE_RULE_NOTE}）。"
                f"自发出收费通知之日起答复期限暂停计算，至缴费之日（{FEE_PAUSE_NOTE}）。"
            )
        else:
            delivery_pending = True
            notes.steps.append(
                f"收费：{fmt_date(sent)}发出收费通知{how}，申请人收到日期待确认（待确认送达）。"
                f"缴费期限自申请人收到收费通知的次日起计算 {FEE_PAYMENT_DAYS} 个工作日（{FEE_RULE_NOTE}）；"
                "送达日期确认前缴费期限无法确定，不能认定申请人逾期未缴费。"
                f"自发出收费通知之日起答复期限暂停计算，至缴费之日（{FEE_PAUSE_NOTE}）。"
            )
    return FeePauses(tuple(paused), payment_due, awaiting_since, delivery_pending)
