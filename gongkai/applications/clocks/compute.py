"""All statutory dates of one application from its event log: one function per rule, in this order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from gongkai.workdays.arithmetic import get_table

from .consultations import consultation_pauses
from .correction import correction_notice_due, reply_start
from .counting import Explanation, counted_between
from .events import ClockEvent, ClockReport, ClockState
from .fees import fee_pauses
from .reply import reasons_steps
from .state import drop_after_answer, record_answer, reply_period
from .validation import validate


def compute_clock(events: Iterable[ClockEvent], *, today: dt.date | None = None) -> ClockReport:
    """All statutory dates of one application, from its event log.

    - 补正: notice due 7 working days after receipt; the reply period restarts from the day the
      corrected application is received (第三十条).
    - Reply: 20 working days after receipt (第三十三条第二款); 当场答复 when answered the same day.
    - Extension: up to 20 further working days, approved by the head of the 工作机构 (第三十三条).
    - Consultation: the consulted party has 15 working days from the day after it *received* the request
      (第三十二条、第三十四条: 「自收到征求意见书之日起15个工作日内」); from the sending day until the answer or
      that expiry the reply clock stops (第三十三条第三款). While the receipt day is unknown and no answer came,
      the pause stays open and there is no reply due date (待确认送达, ``consultation_delivery_pending``); a
      co-producer (第三十四条) is 视为同意公开 only once its 15 days after receipt have passed (``deemed_consent``).
      Another agency that did not co-produce the information (第三十三条第三款) has no statutory period and no
      deemed consent: the platform uses the 15 working days its letter asks for (OTHER_AGENCY_NOTE).
    - Fee notice: the reply clock stops from the day the notice is sent to the day of payment, both
      excluded (109号 as applied, see FEE_PAUSE_NOTE); payment is due 20 working days after the day the
      applicant received the notice (FEE_RULE_NOTE); while that day is unknown there is no payment
      deadline (待确认送达, ``fee_delivery_pending``).
    - 第三十五条: asking for reasons does not stop the clock (the article says nothing of a pause); once the
      agency finds the reasons sound it may set a reasonable later reply date, which replaces the
      第三十三条 due date (``delayed_to``).
    A consultation pause leaves out the working days d with sent <= d <= resumed, like the fee pause: neither
    the sending day nor the day of the answer counts (the count resumes the day after).
    """
    table = get_table()
    receipt, ordered = validate(list(events))
    received = receipt.date
    notes = Explanation()
    correction_due = correction_notice_due(table, received)
    answered, ordered = drop_after_answer(ordered, notes)
    start = reply_start(table, received, ordered, correction_due, today, notes)
    consultations = consultation_pauses(table, ordered, today, notes)
    fees = fee_pauses(table, ordered, notes)
    reasons_steps(ordered, notes)
    paused = [*consultations.paused, *fees.paused]
    period = reply_period(table, ordered, start, consultations, fees, paused, notes)
    answer = record_answer(table, answered, received, start, period.reply_due, notes)
    days_used = period.days_used
    reference = answered or today
    if start.day is not None and reference is not None and days_used is None:
        days_used = counted_between(table, start.day, reference, paused)
    reply_due = answer.reply_due
    return ClockReport(
        received=received,
        state=period.state if answered is None else ClockState.ANSWERED,
        start=start.day,
        correction_notice_due=correction_due,
        reply_due=reply_due,
        original_due=period.original_due,
        extension_days=period.extension_days,
        days_allowed=period.days_allowed,
        days_used=days_used,
        consultations=consultations.clocks,
        fee_payment_due=fees.payment_due,
        answered_on=answered,
        same_day=answer.same_day,
        on_time=answer.on_time,
        overdue=reply_due is not None and answered is None and today is not None and today > reply_due.due,
        steps=tuple(notes.steps),
        warnings=tuple(notes.warnings),
        fee_delivery_pending=fees.delivery_pending,
        delayed_to=period.delayed_to,
        consultation_delivery_pending=consultations.pending,
        correction_until=start.correction_until,
        correction_delivery_pending=start.correction_delivery_pending,
    )
