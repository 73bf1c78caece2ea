"""The clock events of an application and the report computed from them (《条例》第三十至三十五条)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import models

from gongkai.workdays.arithmetic import DueDate
from gongkai.workdays.table import WorkdaysError


class EventKind(models.TextChoices):
    """Events that move an application's statutory clocks."""

    RECEIVED = "received", "收到申请"
    CORRECTION_REQUESTED = "correction_requested", "发出补正通知"
    CORRECTION_RECEIVED = "correction_received", "收到补正后的申请"
    CORRECTION_DELIVERED = "correction_delivered", "补正告知书送达"
    CONSULTATION_SENT = "consultation_sent", "发出征求意见"
    CONSULTATION_DELIVERED = "consultation_delivered", "征求意见书送达"
    CONSULTATION_ANSWERED = "consultation_answered", "收到征求意见的答复"
    FEE_NOTICE_SENT = "fee_notice_sent", "发出收费通知"
    FEE_NOTICE_DELIVERED = "fee_notice_delivered", "收费通知送达"
    FEE_PAID = "fee_paid", "申请人缴费"
    EXTENDED = "extended", "延长答复期限"
    REASONS_REQUESTED = "reasons_requested", "要求申请人说明理由"
    REASONS_GIVEN = "reasons_given", "申请人说明理由"
    DELAY_SET = "reply_deadline_set", "确定延迟答复期限"
    ANSWERED = "answered", "作出答复"


class Consulted(models.TextChoices):
    THIRD_PARTY = "third_party", "第三方"  # 第三十二条: silence → the agency decides
    AGENCY = "agency", "共同制作机关"  # 第三十四条: this agency leads; silence → 视为同意公开
    OTHER_AGENCY = "other_agency", "其他机关（非共同制作）"  # 第三十三条第三款: no deemed consent


CONSULTATION_ARTICLES = {
    Consulted.THIRD_PARTY: "第三十二条",
    Consulted.AGENCY: "第三十四条",
    Consulted.OTHER_AGENCY: "第三十三条第三款",
}


class ClockState(models.TextChoices):
    RUNNING = "running", "计时中"
    AWAITING_CORRECTION = "awaiting_correction", "等待申请人补正"
    AWAITING_FEE = "awaiting_fee", "等待申请人缴费"
    CONSULTATION_PENDING = "consultation_pending", "征求意见书待确认送达"
    ANSWERED = "answered", "已答复"


class ClockInputError(WorkdaysError):
    """The event log contradicts itself; the message says which event and why, in Chinese."""


def event_label(kind: str) -> str:
    """The Chinese name of an event kind; an unknown kind is a ClockInputError."""
    try:
        return str(EventKind(kind).label)
    except ValueError:
        raise ClockInputError(f"无法识别的事件类型「{kind}」。") from None


@dataclass(frozen=True)
class ClockEvent:
    """One entry of an application's event log, as the clocks need it.

    ``days`` and ``approved_by``: for EXTENDED (1–20 working days, the head of the 政府信息公开
    工作机构 who agreed). ``party`` and ``consulted``: for CONSULTATION_* (pairs a request with
    its answer). ``delivered``: for CONSULTATION_SENT, the day the consulted party received the
    request, when known at sending (otherwise a later CONSULTATION_DELIVERED for the same party, whose date is
    the receipt day; its 15 days run from that day, and until it is known they have not started); for FEE_NOTICE_SENT,
    the day the applicant received the notice when known at sending (otherwise a later FEE_NOTICE_DELIVERED,
    whose date is the receipt day). ``delivery``: for FEE_NOTICE_SENT, how it went out (Chinese label).
    ``until``: for CORRECTION_REQUESTED, the 补正 deadline given to the applicant as a date (or ``days``: the
    working days after the applicant *received* the notice, a later CORRECTION_DELIVERED giving that day); for DELAY_SET, the
    reply date the agency set (第三十五条).
    """

    kind: EventKind | str
    date: dt.date
    days: int | None = None
    approved_by: str = ""
    party: str = ""
    consulted: Consulted | str = Consulted.THIRD_PARTY
    delivered: dt.date | None = None
    until: dt.date | None = None
    note: str = ""
    delivery: str = ""


@dataclass(frozen=True)
class ConsultationClock:
    party: str
    consulted: Consulted
    sent: dt.date
    answer_due: (
        DueDate | None
    )  # the consulted party's 15 working days from receipt; None while delivery is unknown
    answered: dt.date | None
    paused_until: dt.date | None  # the reply clock is stopped on the days in [sent, paused_until]; None: open
    delivered: dt.date | None = (
        None  # the day the consulted party received the request (待确认送达 while None)
    )
    deemed_consent: bool = False  # 第三十四条: a co-producer silent for 15 working days after receipt


@dataclass(frozen=True)
class ClockReport:
    """Every statutory date of one application, each with its explanation."""

    received: dt.date
    state: ClockState
    start: dt.date | None  # the day the reply period counts from (receipt, or the corrected application)
    correction_notice_due: DueDate
    reply_due: DueDate | None  # None while waiting for a correction or a fee payment
    original_due: dt.date | None  # before any extension
    extension_days: int
    days_allowed: int
    days_used: int | None  # counted working days up to ``today`` or the answer
    consultations: tuple[ConsultationClock, ...]
    fee_payment_due: DueDate | None
    answered_on: dt.date | None
    same_day: bool
    on_time: bool | None
    overdue: bool
    steps: tuple[str, ...]
    warnings: tuple[str, ...]
    fee_delivery_pending: bool = (
        False  # a fee notice awaits payment and its receipt day is unknown (待确认送达)
    )
    delayed_to: dt.date | None = None  # the reply date set by the agency under 第三十五条
    consultation_delivery_pending: bool = (
        False  # an unanswered consultation's receipt day is unknown (待确认送达)
    )
    # The 补正 deadline: the date given in the notice, or N working days after the applicant received it
    # (None while that day is unknown: ``correction_delivery_pending``, 待确认送达).
    correction_until: DueDate | None = None
    correction_delivery_pending: bool = False

    @property
    def provisional(self) -> bool:
        dates = [self.correction_notice_due, self.reply_due, self.fee_payment_due, self.correction_until]
        dates += [c.answer_due for c in self.consultations if c.answer_due is not None]
        return any(d is not None and d.provisional for d in dates)
