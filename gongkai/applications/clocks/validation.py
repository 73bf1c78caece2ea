"""Checking an event log before any date is computed: one check per event kind, in date order."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from .events import ClockEvent, ClockInputError, Consulted, EventKind, event_label
from .periods import MAX_CORRECTION_DAYS, MAX_EXTENSION_DAYS


@dataclass
class _Tally:
    """What the events seen so far left open."""

    total_extension: int = 0
    open_consultations: dict[str, int] = field(default_factory=dict)
    undelivered_consultations: dict[str, int] = field(default_factory=dict)
    corrections_requested: int = 0
    fees_open: int = 0
    fee_undelivered: int = 0  # open fee notices whose receipt day is not known yet
    answers: int = 0
    reasons_requested: int = 0
    reasons_given: int = 0
    delays: int = 0


def _extended(t: _Tally, e: ClockEvent) -> None:
    if not isinstance(e.days, int) or not 1 <= e.days <= MAX_EXTENSION_DAYS:
        raise ClockInputError(
            f"延长答复期限的天数应为 1 至 {MAX_EXTENSION_DAYS} 个工作日（收到的是 {e.days}）。"
        )
    if not e.approved_by.strip():
        raise ClockInputError(
            "延长答复期限须经政府信息公开工作机构负责人同意，请记录批准人（第三十三条第二款）。"
        )
    t.total_extension += e.days
    if t.total_extension > MAX_EXTENSION_DAYS:
        raise ClockInputError(
            f"延长答复期限合计不得超过 {MAX_EXTENSION_DAYS} 个工作日（第三十三条第二款），"
            f"本申请合计 {t.total_extension} 个工作日。"
        )


def _correction_requested(t: _Tally, e: ClockEvent) -> None:
    if e.days is not None and (not isinstance(e.days, int) or not 1 <= e.days <= MAX_CORRECTION_DAYS):
        raise ClockInputError(
            f"补正期限的天数应为 1 至 {MAX_CORRECTION_DAYS} 个工作日（收到的是 {e.days}）。"
        )
    t.corrections_requested += 1


def _correction_delivered(t: _Tally, e: ClockEvent) -> None:
    if not t.corrections_requested:
        raise ClockInputError(f"{e.date.isoformat()}「补正告知书送达」之前没有「发出补正通知」。")


def _correction_received(t: _Tally, e: ClockEvent) -> None:
    if not t.corrections_requested:
        raise ClockInputError(f"{e.date.isoformat()}「收到补正后的申请」之前没有「发出补正通知」。")


def _consultation_sent(t: _Tally, e: ClockEvent) -> None:
    try:
        Consulted(e.consulted)
    except ValueError:
        raise ClockInputError(
            f"征求意见的对象类型「{e.consulted}」无法识别，应为：第三方、其他行政机关。"
        ) from None
    if e.delivered is not None and e.delivered < e.date:
        raise ClockInputError(
            f"征求意见书的送达日期（{e.delivered.isoformat()}）早于发出日期（{e.date.isoformat()}）。"
        )
    t.open_consultations[e.party] = t.open_consultations.get(e.party, 0) + 1
    if e.delivered is None:
        t.undelivered_consultations[e.party] = t.undelivered_consultations.get(e.party, 0) + 1


def _consultation_delivered(t: _Tally, e: ClockEvent) -> None:
    if not t.undelivered_consultations.get(e.party):
        who = f"「{e.party}」" if e.party else ""
        raise ClockInputError(
            f"{e.date.isoformat()}「征求意见书送达」之前没有向{who}发出、尚未确认送达的征求意见。"
        )
    t.undelivered_consultations[e.party] -= 1


def _consultation_answered(t: _Tally, e: ClockEvent) -> None:
    if not t.open_consultations.get(e.party):
        who = f"「{e.party}」" if e.party else ""
        raise ClockInputError(f"{e.date.isoformat()}收到{who}的答复，但之前没有向其发出征求意见。")
    t.open_consultations[e.party] -= 1


def _fee_notice_sent(t: _Tally, e: ClockEvent) -> None:
    if e.delivered is not None and e.delivered < e.date:
        raise ClockInputError(
            f"收费通知的送达日期（{e.delivered.isoformat()}）早于发出日期（{e.date.isoformat()}）。"
        )
    t.fees_open += 1
    t.fee_undelivered = 0 if e.delivered is not None else 1


def _fee_notice_delivered(t: _Tally, e: ClockEvent) -> None:
    if not t.fees_open or not t.fee_undelivered:
        raise ClockInputError(f"{e.date.isoformat()}「收费通知送达」之前没有尚未确认送达的「发出收费通知」。")
    t.fee_undelivered = 0


def _fee_paid(t: _Tally, e: ClockEvent) -> None:
    if not t.fees_open:
        raise ClockInputError(f"{e.date.isoformat()}「申请人缴费」之前没有「发出收费通知」。")
    t.fees_open -= 1
    t.fee_undelivered = 0


def _reasons_requested(t: _Tally, e: ClockEvent) -> None:
    t.reasons_requested += 1


def _reasons_given(t: _Tally, e: ClockEvent) -> None:
    if not t.reasons_requested:
        raise ClockInputError(
            f"{e.date.isoformat()}「申请人说明理由」之前没有「要求申请人说明理由」（第三十五条）。"
        )
    t.reasons_given += 1


def _delay_set(t: _Tally, e: ClockEvent) -> None:
    if not t.reasons_given:
        raise ClockInputError(
            f"{e.date.isoformat()}「确定延迟答复期限」之前没有「申请人说明理由」：第三十五条只允许在"
            "行政机关认为申请理由合理时确定延迟答复的合理期限。"
        )
    if e.until is None or e.until <= e.date:
        raise ClockInputError("确定延迟答复期限须写明晚于决定日期的答复期限（第三十五条）。")
    t.delays += 1
    if t.delays > 1:
        raise ClockInputError("「确定延迟答复期限」只能有一条。")


def _answered(t: _Tally, e: ClockEvent) -> None:
    t.answers += 1
    if t.answers > 1:
        raise ClockInputError("「作出答复」只能有一条。")


_CHECKS: dict[str, Callable[[_Tally, ClockEvent], None]] = {
    EventKind.EXTENDED: _extended,
    EventKind.CORRECTION_REQUESTED: _correction_requested,
    EventKind.CORRECTION_RECEIVED: _correction_received,
    EventKind.CORRECTION_DELIVERED: _correction_delivered,
    EventKind.CONSULTATION_SENT: _consultation_sent,
    EventKind.CONSULTATION_DELIVERED: _consultation_delivered,
    EventKind.CONSULTATION_ANSWERED: _consultation_answered,
    EventKind.FEE_NOTICE_SENT: _fee_notice_sent,
    EventKind.FEE_NOTICE_DELIVERED: _fee_notice_delivered,
    EventKind.FEE_PAID: _fee_paid,
    EventKind.REASONS_REQUESTED: _reasons_requested,
    EventKind.REASONS_GIVEN: _reasons_given,
    EventKind.DELAY_SET: _delay_set,
    EventKind.ANSWERED: _answered,
}


def validate(events: Sequence[ClockEvent]) -> tuple[ClockEvent, list[ClockEvent]]:
    """The receipt event and the other events in date order; a contradictory log is a ClockInputError."""
    for e in events:
        event_label(e.kind)
    received = [e for e in events if e.kind == EventKind.RECEIVED]
    if not received:
        raise ClockInputError("事件中缺少「收到申请」，无法计算期限。")
    if len(received) > 1:
        raise ClockInputError("「收到申请」只能有一条。")
    r = received[0]
    ordered = sorted((e for e in events if e is not r), key=lambda e: e.date)  # stable: same-day order kept
    for e in ordered:
        if e.date < r.date:
            raise ClockInputError(
                f"「{event_label(e.kind)}」的日期（{e.date.isoformat()}）早于收到申请之日（{r.date.isoformat()}）。"
            )
    tally = _Tally()
    for e in ordered:
        check = _CHECKS.get(e.kind)
        if check is not None:
            check(tally, e)
    return r, ordered
