"""Consultations stop the reply clock (第三十二条、第三十三条第三款、第三十四条).

The consulted party has 15 working days from the day after it *received* the request; from the sending day
until its answer or that expiry the reply clock stops. While the receipt day is unknown and no answer came,
the pause stays open (待确认送达). A co-producer (第三十四条) silent for its 15 days is 视为同意公开; another
agency that did not co-produce the information (第三十三条第三款) has no statutory period and no deemed consent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from gongkai.workdays.arithmetic import DueDate
from gongkai.workdays.explain import Interval, fmt_date, fmt_range
from gongkai.workdays.table import WorkdayTable

from .counting import Explanation, period_due
from .events import CONSULTATION_ARTICLES, ClockEvent, ConsultationClock, Consulted, EventKind
from .periods import CONSULTATION_DAYS, OTHER_AGENCY_NOTE


@dataclass(frozen=True)
class ConsultationPauses:
    clocks: tuple[ConsultationClock, ...]
    paused: tuple[Interval, ...]
    pending: bool  # an unanswered consultation's receipt day is unknown: the pause is open


def _later_delivery(ordered: Sequence[ClockEvent], sent: ClockEvent, used: set[int]) -> dt.date | None:
    """The receipt day from a later CONSULTATION_DELIVERED of the same party (each used once)."""
    for j, x in enumerate(ordered):
        if (
            j not in used
            and x.kind == EventKind.CONSULTATION_DELIVERED
            and x.party == sent.party
            and x.date >= sent.date
        ):
            used.add(j)
            return x.date
    return None


def _answer(ordered: Sequence[ClockEvent], i: int, used: set[int]) -> dt.date | None:
    """The day of the first unused answer of the same party after the request ``ordered[i]``."""
    for j, x in enumerate(ordered):
        if (
            j > i
            and j not in used
            and x.kind == EventKind.CONSULTATION_ANSWERED
            and x.party == ordered[i].party
        ):
            used.add(j)
            return x.date
    return None


def _until_answer(
    answered: dt.date | None, answer_due: DueDate | None, consulted: Consulted, today: dt.date | None
) -> tuple[dt.date | None, bool, str]:
    """The last paused day (None: open), whether consent is deemed (第三十四条), and the sentence saying so."""
    if answered is not None:
        resume = answered if answer_due is None else min(answered, answer_due.due)
        text = f"{fmt_date(answered)}收到答复"
        if answer_due is not None and answered > answer_due.due:
            text += "（已逾期，按答复期满之日恢复计算）"
        return resume, False, text
    if answer_due is None:
        return None, False, "尚未收到答复；送达日期确认前答复期限持续暂停计算"
    if today is not None and today > answer_due.due:
        text = "对方逾期未答复，按答复期满之日恢复计算"
        if consulted == Consulted.AGENCY:
            return answer_due.due, True, text + "；逾期未提出意见，视为同意公开（第三十四条）"
        return answer_due.due, False, text
    return answer_due.due, False, "尚未收到答复，暂按答复期满之日恢复计算，收到答复后提前恢复"


def _consultation(
    table: WorkdayTable,
    sent: ClockEvent,
    delivered: dt.date | None,
    answered: dt.date | None,
    today: dt.date | None,
    notes: Explanation,
) -> ConsultationClock:
    consulted = Consulted(sent.consulted)
    article = CONSULTATION_ARTICLES[consulted]
    who = f"{consulted.label}「{sent.party}」" if sent.party else str(consulted.label)
    rule = article if consulted != Consulted.OTHER_AGENCY else f"{article}；{OTHER_AGENCY_NOTE}"
    answer_due = (
        period_due(
            table, delivered, CONSULTATION_DAYS, label="征求意见书送达之日", rule=rule, what="答复期满"
        )
        if delivered is not None
        else None
    )
    text = f"征求意见：{fmt_date(sent.date)}向{who}发出征求意见"
    if answer_due is not None and delivered is not None:
        text += (
            f"，{fmt_date(delivered)}送达，对方答复期限自送达次日起 {CONSULTATION_DAYS} 个工作日，"
            f"至{fmt_date(answer_due.due)}（{rule}）；"
        )
    else:
        text += (
            "，送达日期待确认（待确认送达）：对方的答复期限自收到征求意见书之日起计算，"
            f"送达日期确认前无法确定（{rule}）；"
        )
    resume, deemed_consent, answer_text = _until_answer(answered, answer_due, consulted, today)
    text += answer_text
    if resume is not None:
        # Like the fee pause: the sending day is not counted either (第三十三条第三款 「所需时间」 starts then).
        text += f"；{fmt_range(sent.date, resume)}不计入答复期限（第三十三条第三款）。"
    else:
        text += f"，自{fmt_date(sent.date)}起不计入答复期限（第三十三条第三款）。"
    notes.steps.append(text)
    return ConsultationClock(
        sent.party, consulted, sent.date, answer_due, answered, resume, delivered, deemed_consent
    )


def consultation_pauses(
    table: WorkdayTable, ordered: Sequence[ClockEvent], today: dt.date | None, notes: Explanation
) -> ConsultationPauses:
    """Every consultation with its answer period, and the days it stops the reply clock."""
    clocks: list[ConsultationClock] = []
    paused: list[Interval] = []
    used_answers: set[int] = set()
    used_deliveries: set[int] = set()
    for i, e in enumerate(ordered):
        if e.kind != EventKind.CONSULTATION_SENT:
            continue
        delivered = e.delivered if e.delivered is not None else _later_delivery(ordered, e, used_deliveries)
        clock = _consultation(table, e, delivered, _answer(ordered, i, used_answers), today, notes)
        if clock.paused_until is not None:
            paused.append((e.date - dt.timedelta(days=1), clock.paused_until))
        clocks.append(clock)
    pending = any(c.paused_until is None for c in clocks)
    return ConsultationPauses(tuple(clocks), tuple(paused), pending)
