"""The reply due date while the clock runs: 20 working days, extensions (第三十三条第二款), 第三十五条 delay."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from gongkai.workdays.arithmetic import DueDate
from gongkai.workdays.explain import Interval, fmt_date, span_steps
from gongkai.workdays.table import WorkdayTable

from .counting import Explanation, count_forward, merge_intervals
from .events import ClockEvent, EventKind
from .periods import DELAY_ARTICLE, REPLY_DAYS


@dataclass(frozen=True)
class RunningReply:
    reply_due: DueDate
    original_due: dt.date  # before any extension
    delayed_to: dt.date | None  # the reply date set by the agency under 第三十五条


def extension_days(ordered: Sequence[ClockEvent]) -> int:
    """The working days added by the approved extensions (validated: at most 20 in all)."""
    return sum(e.days or 0 for e in ordered if e.kind == EventKind.EXTENDED)


def reasons_steps(ordered: Sequence[ClockEvent], notes: Explanation) -> None:
    """第三十五条: asking the applicant for reasons stops nothing (the article provides no pause)."""
    for e in ordered:
        if e.kind == EventKind.REASONS_REQUESTED:
            notes.steps.append(
                f"说明理由：{fmt_date(e.date)}因申请公开政府信息的数量、频次明显超过合理范围，要求申请人说明理由"
                f"（{DELAY_ARTICLE}）；{DELAY_ARTICLE}未规定说明理由期间暂停计算，答复期限照常计算。"
            )
        elif e.kind == EventKind.REASONS_GIVEN:
            notes.steps.append(f"说明理由：{fmt_date(e.date)}申请人说明理由（{DELAY_ARTICLE}）。")


def _extension_notes(
    extensions: Sequence[ClockEvent], days: int, original_due: dt.date, due: dt.date, notes: Explanation
) -> None:
    for e in extensions:
        if e.date > original_due:
            notes.warnings.append(
                f"延期决定于{fmt_date(e.date)}作出，晚于原答复期限{fmt_date(original_due)}；"
                "延期应在答复期限内经负责人同意并告知申请人（第三十三条第二款）。"
            )
    if extensions:
        who = "、".join(dict.fromkeys(e.approved_by.strip() for e in extensions))
        notes.steps.append(
            f"延期：经政府信息公开工作机构负责人（{who}）同意，于{fmt_date(extensions[0].date)}决定延长 "
            f"{days} 个工作日，答复期限由原期限{fmt_date(original_due)}延至{fmt_date(due)}"
            "（第三十三条第二款）。"
        )


def _delay_notes(delay: ClockEvent, until: dt.date, due: dt.date, notes: Explanation) -> None:
    if delay.date > due:
        notes.warnings.append(
            f"延迟答复期限于{fmt_date(delay.date)}确定，晚于按第三十三条计算的答复期限{fmt_date(due)}；"
            f"应在答复期限内确定并告知申请人（{DELAY_ARTICLE}）。"
        )
    if until <= due:
        notes.warnings.append(
            f"确定的延迟答复期限{fmt_date(until)}不晚于按第三十三条计算的答复期限{fmt_date(due)}，"
            f"不属于{DELAY_ARTICLE}规定的延迟答复。"
        )
    notes.steps.append(
        f"延迟答复：{fmt_date(delay.date)}本机关认为申请人说明的理由合理，但无法在第三十三条规定的期限内答复，"
        f"确定延迟答复的合理期限为{fmt_date(until)}并告知申请人（{DELAY_ARTICLE}）；"
        f"答复期限改为该日，不再按第三十三条计算（按第三十三条计算为{fmt_date(due)}）。"
    )


def running_reply_due(
    table: WorkdayTable,
    ordered: Sequence[ClockEvent],
    start: dt.date,
    start_label: str,
    paused: Sequence[Interval],
    notes: Explanation,
) -> RunningReply:
    """The reply due date counted from ``start`` over the paused days, extended, or replaced by a 第三十五条 date."""
    extensions = [e for e in ordered if e.kind == EventKind.EXTENDED]
    days = extension_days(ordered)
    allowed = REPLY_DAYS + days
    original_due = count_forward(table, start, REPLY_DAYS, paused)
    due = count_forward(table, start, allowed, paused) if days else original_due
    _extension_notes(extensions, days, original_due, due, notes)
    more, unknown = span_steps(table, start, due, paused=merge_intervals(paused))
    notes.steps.extend(more)
    notes.steps.append(f"答复期限：{start_label}后第 {allowed} 个计入的工作日，即{fmt_date(due)}。")
    rule = "第三十三条第二款"
    delayed_to: dt.date | None = None
    delay = next((e for e in ordered if e.kind == EventKind.DELAY_SET), None)
    if delay is not None and delay.until is not None:
        _delay_notes(delay, delay.until, due, notes)
        # A date fixed by the agency: no longer counted, so never provisional.
        due, rule, unknown, delayed_to = delay.until, DELAY_ARTICLE, [], delay.until
    reply_due = DueDate(
        due=due,
        provisional=bool(unknown),
        steps=tuple(notes.steps),
        rule=rule,
        unknown_years=tuple(unknown),
    )
    return RunningReply(reply_due, original_due, delayed_to)
