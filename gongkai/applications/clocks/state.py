"""The state of the reply clock (running, waiting, pending delivery) and the answer (第三十三条第一款、第二款)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from gongkai.workdays.arithmetic import DueDate
from gongkai.workdays.explain import Interval, fmt_date
from gongkai.workdays.table import WorkdayTable

from .consultations import ConsultationPauses
from .correction import ReplyStart
from .counting import Explanation, counted_between
from .events import ClockEvent, ClockState, EventKind, event_label
from .fees import FeePauses
from .periods import REPLY_DAYS
from .reply import extension_days, running_reply_due


@dataclass(frozen=True)
class ReplyPeriod:
    state: ClockState
    extension_days: int
    days_allowed: int
    reply_due: DueDate | None = None  # None while waiting for a correction, a fee payment or a delivery
    original_due: dt.date | None = None
    delayed_to: dt.date | None = None
    days_used: int | None = None  # counted up to the day before the clock stopped, when it is waiting


@dataclass(frozen=True)
class Answer:
    same_day: bool
    on_time: bool | None
    reply_due: DueDate | None  # with the answer step added to its explanation


def drop_after_answer(
    ordered: Sequence[ClockEvent], notes: Explanation
) -> tuple[dt.date | None, list[ClockEvent]]:
    """The answer day, and the events without those recorded after it (ignored, with a warning)."""
    answered = next((e.date for e in ordered if e.kind == EventKind.ANSWERED), None)
    ignored = [
        e for e in ordered if answered is not None and e.date > answered and e.kind != EventKind.ANSWERED
    ]
    if not ignored:
        return answered, list(ordered)
    names = "、".join(sorted({event_label(e.kind) for e in ignored}))
    notes.warnings.append(f"答复之后仍记录了「{names}」，计算期限时不予考虑。")
    return answered, [e for e in ordered if e not in ignored]


def reply_period(
    table: WorkdayTable,
    ordered: Sequence[ClockEvent],
    start: ReplyStart,
    consultations: ConsultationPauses,
    fees: FeePauses,
    paused: Sequence[Interval],
    notes: Explanation,
) -> ReplyPeriod:
    """Whether the reply clock runs or waits, and the reply due date when it runs."""
    extension = extension_days(ordered)
    allowed = REPLY_DAYS + extension
    if start.day is None:
        return ReplyPeriod(ClockState.AWAITING_CORRECTION, extension, allowed)
    if consultations.pending and fees.awaiting_since is None:
        pending_since = min(c.sent for c in consultations.clocks if c.paused_until is None)
        days_used = counted_between(table, start.day, pending_since - dt.timedelta(days=1), paused)
        notes.steps.append(
            f"截至发出征求意见的前一日已计入 {days_used} 个工作日，剩余 {max(allowed - days_used, 0)} 个工作日；"
            "征求意见书送达日期确认后，按对方答复或者答复期满之日恢复计算，届时确定答复期限。"
        )
        return ReplyPeriod(ClockState.CONSULTATION_PENDING, extension, allowed, days_used=days_used)
    if fees.awaiting_since is not None:
        days_used = counted_between(table, start.day, fees.awaiting_since - dt.timedelta(days=1), paused)
        notes.steps.append(
            f"截至发出收费通知的前一日已计入 {days_used} 个工作日，剩余 {max(allowed - days_used, 0)} 个工作日；"
            "发出收费通知之日起暂停计算，申请人缴费后自次日起继续计算。"
        )
        return ReplyPeriod(ClockState.AWAITING_FEE, extension, allowed, days_used=days_used)
    running = running_reply_due(table, ordered, start.day, start.label, paused, notes)
    return ReplyPeriod(
        ClockState.RUNNING,
        extension,
        allowed,
        reply_due=running.reply_due,
        original_due=running.original_due,
        delayed_to=running.delayed_to,
    )


def record_answer(
    table: WorkdayTable,
    answered: dt.date | None,
    received: dt.date,
    start: ReplyStart,
    reply_due: DueDate | None,
    notes: Explanation,
) -> Answer:
    """当场答复 (same day, no 补正) or an answer within / after the reply due date."""
    same_day = answered is not None and answered == received and not start.correction_requested
    if answered is None:
        return Answer(same_day, None, reply_due)
    on_time: bool | None = None
    if same_day:
        notes.steps.append(f"答复：{fmt_date(answered)}当场答复（第三十三条第一款）。")
        on_time = True
    elif reply_due is not None:
        on_time = answered <= reply_due.due
        late = "" if on_time else f"，超过答复期限 {table.between(reply_due.due, answered)} 个工作日"
        notes.steps.append(f"答复：{fmt_date(answered)}作出答复{'，在答复期限内' if on_time else late}。")
    else:
        notes.steps.append(f"答复：{fmt_date(answered)}作出答复。")
    if reply_due is not None:
        reply_due = DueDate(
            reply_due.due, reply_due.provisional, tuple(notes.steps), reply_due.rule, reply_due.unknown_years
        )
    return Answer(same_day, on_time, reply_due)
