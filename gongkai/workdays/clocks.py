"""Statutory clocks of an application, as pure functions over its events (《条例》第三十至三十四条)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import models

from .arithmetic import DueDate, get_table
from .explain import NEXT_DAY_BASIS, Interval, fmt_date, fmt_range, span_steps
from .table import WorkdaysError, WorkdayTable

CORRECTION_NOTICE_DAYS = 7  # 第三十条: 补正 notice within 7 working days of receipt
REPLY_DAYS = 20  # 第三十三条第二款: reply within 20 working days
MAX_EXTENSION_DAYS = 20  # 第三十三条第二款: extension of at most 20 working days
CONSULTATION_DAYS = 15  # 第三十二条、第三十四条: the consulted party answers within 15 working days
# A consultation of another agency that did not co-produce the information: 第三十三条第三款 only says that the time
# needed is not counted; it sets no period and no deemed consent. The platform asks for an answer within the same
# 15 working days after receipt and resumes the reply clock when they end (platform practice, not a statutory rule).
OTHER_AGENCY_NOTE = "第三十三条第三款未规定期限，本平台按征询函请求的期限计算"
# Payment period of a 收费通知: 20 working days counted from the day after the applicant *receives* the notice.
# Source: the fee rules of 国办函〔2020〕109号 (its articles 6 ff.) were not found; the period is taken as restated
# by a provincial implementing document, 四川省财政厅、四川省发展改革委《关于政府信息公开信息处理费有关事项的通知》
# (2021-01-18) 第二点: "申请人应当在收到收费通知次日起20个工作日内缴纳费用，逾期未缴纳的视为放弃申请"
# (docs/legal-basis.md §3.2, third-party mirror). Other provinces may word it differently.
FEE_PAYMENT_DAYS = 20
FEE_PAYMENT_SOURCE = (
    "四川省财政厅、四川省发展改革委《关于政府信息公开信息处理费有关事项的通知》（2021年1月18日）第二点"
)
FEE_RULE_NOTE = (
    f"国办函〔2020〕109号，按省级实施文件{FEE_PAYMENT_SOURCE}的表述："
    "“申请人应当在收到收费通知次日起20个工作日内缴纳费用，逾期未缴纳的视为放弃申请”"
)
# The reply clock stops from the day the fee notice is sent until the day of payment, both days excluded (the
# 收费通知书 says "自本通知发出之日至您缴纳费用之日，不计入答复期限"). Basis: 109号 as the platform applies it;
# the original wording of that rule was not found (docs/legal-basis.md §3.3 item 4) — to be checked.
FEE_PAUSE_NOTE = "国办函〔2020〕109号；该暂停计算规则的原文尚未找到，待核对"
# 第三十五条 (second branch): after asking for reasons, the agency may set a reasonable later reply date.
DELAY_ARTICLE = "第三十五条"


class EventKind(models.TextChoices):
    """Events that move an application's statutory clocks."""

    RECEIVED = "received", "收到申请"
    CORRECTION_REQUESTED = "correction_requested", "发出补正通知"
    CORRECTION_RECEIVED = "correction_received", "收到补正后的申请"
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
    ``until``: for CORRECTION_REQUESTED, the 补正 deadline given to the applicant; for DELAY_SET, the
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

    @property
    def provisional(self) -> bool:
        dates = [self.correction_notice_due, self.reply_due, self.fee_payment_due]
        dates += [c.answer_due for c in self.consultations if c.answer_due is not None]
        return any(d is not None and d.provisional for d in dates)


# --- counting with pauses --------------------------------------------------------------------


def merge_intervals(intervals: Iterable[Interval]) -> list[Interval]:
    """Merge (a, b] intervals that overlap or touch."""
    merged: list[Interval] = []
    for a, b in sorted(i for i in intervals if i[1] > i[0]):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def count_forward(table: WorkdayTable, start: dt.date, n: int, paused: Sequence[Interval]) -> dt.date:
    """The n-th counted working day after ``start``, skipping working days inside ``paused``."""
    cursor, remaining = start, n
    for a, b in merge_intervals(paused):
        if b <= cursor:
            continue
        if a > cursor:
            available = table.between(cursor, a)
            if available >= remaining:
                return table.add(cursor, remaining)
            remaining -= available
        cursor = b
    return table.add(cursor, remaining)


def counted_between(table: WorkdayTable, start: dt.date, end: dt.date, paused: Sequence[Interval]) -> int:
    """Counted working days in (start, end], leaving out the paused ones."""
    if end <= start:
        return 0
    total = table.between(start, end)
    for a, b in merge_intervals(paused):
        lo, hi = max(a, start), min(b, end)
        if hi > lo:
            total -= table.between(lo, hi)
    return total


def _due(table: WorkdayTable, start: dt.date, days: int, *, label: str, rule: str, what: str) -> DueDate:
    due = table.add(start, days)
    steps = [
        f"{label}：{fmt_date(start)}。期限为 {days} 个工作日（{rule}）；该日不计入，自次日起计算（{NEXT_DAY_BASIS}）。"
    ]
    more, unknown = span_steps(table, start, due)
    steps.extend(more)
    steps.append(f"{what}：第 {days} 个工作日为{fmt_date(due)}。")
    return DueDate(
        due=due, provisional=bool(unknown), steps=tuple(steps), rule=rule, unknown_years=tuple(unknown)
    )


# --- the event log ---------------------------------------------------------------------------


@dataclass
class _FeeNotice:
    notice: ClockEvent
    received: dt.date | None = None  # the day the applicant received it, when known
    payment: ClockEvent | None = None


def _label(kind: str) -> str:
    try:
        return str(EventKind(kind).label)
    except ValueError:
        raise ClockInputError(f"无法识别的事件类型「{kind}」。") from None


def _validate(events: Sequence[ClockEvent]) -> tuple[ClockEvent, list[ClockEvent]]:
    for e in events:
        _label(e.kind)
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
                f"「{_label(e.kind)}」的日期（{e.date.isoformat()}）早于收到申请之日（{r.date.isoformat()}）。"
            )
    total_extension = 0
    open_consultations: dict[str, int] = {}
    undelivered_consultations: dict[str, int] = {}
    corrections_requested = fees_open = answers = reasons_requested = reasons_given = delays = 0
    undelivered = 0  # open fee notices whose receipt day is not known yet
    for e in ordered:
        if e.kind == EventKind.EXTENDED:
            if not isinstance(e.days, int) or not 1 <= e.days <= MAX_EXTENSION_DAYS:
                raise ClockInputError(
                    f"延长答复期限的天数应为 1 至 {MAX_EXTENSION_DAYS} 个工作日（收到的是 {e.days}）。"
                )
            if not e.approved_by.strip():
                raise ClockInputError(
                    "延长答复期限须经政府信息公开工作机构负责人同意，请记录批准人（第三十三条第二款）。"
                )
            total_extension += e.days
            if total_extension > MAX_EXTENSION_DAYS:
                raise ClockInputError(
                    f"延长答复期限合计不得超过 {MAX_EXTENSION_DAYS} 个工作日（第三十三条第二款），"
                    f"本申请合计 {total_extension} 个工作日。"
                )
        elif e.kind == EventKind.CORRECTION_REQUESTED:
            corrections_requested += 1
        elif e.kind == EventKind.CORRECTION_RECEIVED and not corrections_requested:
            raise ClockInputError(f"{e.date.isoformat()}「收到补正后的申请」之前没有「发出补正通知」。")
        elif e.kind == EventKind.CONSULTATION_SENT:
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
            open_consultations[e.party] = open_consultations.get(e.party, 0) + 1
            if e.delivered is None:
                undelivered_consultations[e.party] = undelivered_consultations.get(e.party, 0) + 1
        elif e.kind == EventKind.CONSULTATION_DELIVERED:
            if not undelivered_consultations.get(e.party):
                who = f"「{e.party}」" if e.party else ""
                raise ClockInputError(
                    f"{e.date.isoformat()}「征求意见书送达」之前没有向{who}发出、尚未确认送达的征求意见。"
                )
            undelivered_consultations[e.party] -= 1
        elif e.kind == EventKind.CONSULTATION_ANSWERED:
            if not open_consultations.get(e.party):
                who = f"「{e.party}」" if e.party else ""
                raise ClockInputError(f"{e.date.isoformat()}收到{who}的答复，但之前没有向其发出征求意见。")
            open_consultations[e.party] -= 1
        elif e.kind == EventKind.FEE_NOTICE_SENT:
            if e.delivered is not None and e.delivered < e.date:
                raise ClockInputError(
                    f"收费通知的送达日期（{e.delivered.isoformat()}）早于发出日期（{e.date.isoformat()}）。"
                )
            fees_open += 1
            undelivered = 0 if e.delivered is not None else 1
        elif e.kind == EventKind.FEE_NOTICE_DELIVERED:
            if not fees_open or not undelivered:
                raise ClockInputError(
                    f"{e.date.isoformat()}「收费通知送达」之前没有尚未确认送达的「发出收费通知」。"
                )
            undelivered = 0
        elif e.kind == EventKind.FEE_PAID:
            if not fees_open:
                raise ClockInputError(f"{e.date.isoformat()}「申请人缴费」之前没有「发出收费通知」。")
            fees_open -= 1
            undelivered = 0
        elif e.kind == EventKind.REASONS_REQUESTED:
            reasons_requested += 1
        elif e.kind == EventKind.REASONS_GIVEN:
            if not reasons_requested:
                raise ClockInputError(
                    f"{e.date.isoformat()}「申请人说明理由」之前没有「要求申请人说明理由」（第三十五条）。"
                )
            reasons_given += 1
        elif e.kind == EventKind.DELAY_SET:
            if not reasons_given:
                raise ClockInputError(
                    f"{e.date.isoformat()}「确定延迟答复期限」之前没有「申请人说明理由」：第三十五条只允许在"
                    "行政机关认为申请理由合理时确定延迟答复的合理期限。"
                )
            if e.until is None or e.until <= e.date:
                raise ClockInputError("确定延迟答复期限须写明晚于决定日期的答复期限（第三十五条）。")
            delays += 1
            if delays > 1:
                raise ClockInputError("「确定延迟答复期限」只能有一条。")
        elif e.kind == EventKind.ANSWERED:
            answers += 1
            if answers > 1:
                raise ClockInputError("「作出答复」只能有一条。")
    return r, ordered


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
    received, ordered = _validate(list(events))
    r = received.date
    warnings: list[str] = []
    steps: list[str] = []
    correction_due = _due(
        table, r, CORRECTION_NOTICE_DAYS, label="收到申请之日", rule="第三十条", what="补正告知期限"
    )
    answered = next((e.date for e in ordered if e.kind == EventKind.ANSWERED), None)
    ignored = [
        e for e in ordered if answered is not None and e.date > answered and e.kind != EventKind.ANSWERED
    ]
    if ignored:
        names = "、".join(sorted({_label(e.kind) for e in ignored}))
        warnings.append(f"答复之后仍记录了「{names}」，计算期限时不予考虑。")
        ordered = [e for e in ordered if e not in ignored]

    # 补正 (第三十条): one notice, then the reply period restarts from the corrected application.
    start: dt.date | None = r
    start_label = "收到申请之日"
    steps.append(
        f"收到申请之日：{fmt_date(r)}。答复期限为 {REPLY_DAYS} 个工作日（第三十三条第二款）；"
        f"该日不计入，自次日起计算（{NEXT_DAY_BASIS}）。"
    )
    requests = [e for e in ordered if e.kind == EventKind.CORRECTION_REQUESTED]
    if requests:
        first = requests[0]
        if len(requests) > 1:
            warnings.append(
                f"第三十条要求一次性告知需要补正的内容，本申请共发出 {len(requests)} 次补正通知。"
            )
        if first.date > correction_due.due:
            warnings.append(
                f"补正通知于{fmt_date(first.date)}发出，晚于收到申请后 7 个工作日的告知期限"
                f"（{fmt_date(correction_due.due)}，第三十条）。"
            )
        corrected = next((e for e in ordered if e.kind == EventKind.CORRECTION_RECEIVED), None)
        notice = (
            f"补正：{fmt_date(first.date)}发出补正通知，答复期限自收到补正后的申请之日起重新计算（第三十条）"
        )
        if first.until is not None:
            notice += f"，补正期限为{fmt_date(first.until)}"
        if corrected is None:
            start = None
            notice += "；目前等待申请人补正。"
            if first.until is not None and today is not None and today > first.until:
                notice += "已超过补正期限：申请人无正当理由逾期不补正的，视为放弃申请，行政机关不再处理（第三十条）。"
            steps.append(notice)
        else:
            start, start_label = corrected.date, "收到补正后的申请之日"
            steps.append(notice + "。")
            steps.append(
                f"{start_label}：{fmt_date(start)}。该日不计入，自次日起重新计算（参照民法典第二百零一条，同上）。"
            )

    # Consultations (第三十二条、第三十三条第三款、第三十四条) and fee notices (109号) stop the reply clock.
    paused: list[Interval] = []
    consultations: list[ConsultationClock] = []
    used_answers: set[int] = set()
    used_deliveries: set[int] = set()
    consultation_pending = False
    for i, e in enumerate(ordered):
        if e.kind != EventKind.CONSULTATION_SENT:
            continue
        consulted = Consulted(e.consulted)
        article = CONSULTATION_ARTICLES[consulted]
        delivered = e.delivered
        if delivered is None:
            later = next(
                (
                    (j, x)
                    for j, x in enumerate(ordered)
                    if j not in used_deliveries
                    and x.kind == EventKind.CONSULTATION_DELIVERED
                    and x.party == e.party
                    and x.date >= e.date
                ),
                None,
            )
            if later is not None:
                used_deliveries.add(later[0])
                delivered = later[1].date
        reply = next(
            (
                (j, x)
                for j, x in enumerate(ordered)
                if j > i
                and j not in used_answers
                and x.kind == EventKind.CONSULTATION_ANSWERED
                and x.party == e.party
            ),
            None,
        )
        who = f"{consulted.label}「{e.party}」" if e.party else str(consulted.label)
        rule = article if consulted != Consulted.OTHER_AGENCY else f"{article}；{OTHER_AGENCY_NOTE}"
        answer_due = (
            _due(table, delivered, CONSULTATION_DAYS, label="征求意见书送达之日", rule=rule, what="答复期满")
            if delivered is not None
            else None
        )
        text = f"征求意见：{fmt_date(e.date)}向{who}发出征求意见"
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
        deemed_consent = False
        resume: dt.date | None
        if reply is not None:
            used_answers.add(reply[0])
            answered_at: dt.date | None = reply[1].date
            resume = reply[1].date if answer_due is None else min(reply[1].date, answer_due.due)
            text += f"{fmt_date(reply[1].date)}收到答复"
            if answer_due is not None and reply[1].date > answer_due.due:
                text += "（已逾期，按答复期满之日恢复计算）"
        else:
            answered_at = None
            if answer_due is None:
                resume = None
                consultation_pending = True
                text += "尚未收到答复；送达日期确认前答复期限持续暂停计算"
            else:
                resume = answer_due.due
                expired = today is not None and today > answer_due.due
                if expired:
                    text += "对方逾期未答复，按答复期满之日恢复计算"
                    if consulted == Consulted.AGENCY:
                        deemed_consent = True
                        text += "；逾期未提出意见，视为同意公开（第三十四条）"
                else:
                    text += "尚未收到答复，暂按答复期满之日恢复计算，收到答复后提前恢复"
        if resume is not None:
            # Like the fee pause: the sending day is not counted either (第三十三条第三款 「所需时间」 starts then).
            text += f"；{fmt_range(e.date, resume)}不计入答复期限（第三十三条第三款）。"
            paused.append((e.date - dt.timedelta(days=1), resume))
        else:
            text += f"，自{fmt_date(e.date)}起不计入答复期限（第三十三条第三款）。"
        steps.append(text)
        consultations.append(
            ConsultationClock(
                e.party, consulted, e.date, answer_due, answered_at, resume, delivered, deemed_consent
            )
        )

    fee_payment_due: DueDate | None = None
    awaiting_fee_since: dt.date | None = None
    fee_delivery_pending = False
    fees: list[_FeeNotice] = []
    for e in ordered:
        if e.kind == EventKind.FEE_NOTICE_SENT:
            fees.append(_FeeNotice(e, e.delivered))
        elif e.kind == EventKind.FEE_NOTICE_DELIVERED and fees:
            fees[-1].received = e.date
        elif e.kind == EventKind.FEE_PAID and fees:
            fees[-1].payment = e
    for fee in fees:
        sent, receipt_day, payment = fee.notice.date, fee.received, fee.payment
        how = f"（{fee.notice.delivery}）" if fee.notice.delivery else ""
        if payment is not None:
            steps.append(
                f"收费：{fmt_date(sent)}发出收费通知{how}，{fmt_date(payment.date)}申请人缴费；"
                f"自发出收费通知之日至缴费之日（{fmt_range(sent, payment.date)}）不计入答复期限，"
                f"缴费次日起继续计算（{FEE_PAUSE_NOTE}）。"
            )
            paused.append((sent - dt.timedelta(days=1), payment.date))
            continue
        awaiting_fee_since = sent
        if receipt_day is not None:
            fee_payment_due = _due(
                table,
                receipt_day,
                FEE_PAYMENT_DAYS,
                label="申请人收到收费通知之日",
                rule=FEE_RULE_NOTE,
                what="缴费期限",
            )
            steps.append(
                f"收费：{fmt_date(sent)}发出收费通知{how}，申请人于{fmt_date(receipt_day)}收到；"
                f"缴费期限自收到之日的次日起计算 {FEE_PAYMENT_DAYS} 个工作日，为{fmt_date(fee_payment_due.due)}，"
                f"逾期未缴纳的视为放弃申请（{FEE_RULE_NOTE}）。"
                f"自发出收费通知之日起答复期限暂停计算，至缴费之日（{FEE_PAUSE_NOTE}）。"
            )
        else:
            fee_delivery_pending = True
            steps.append(
                f"收费：{fmt_date(sent)}发出收费通知{how}，申请人收到日期待确认（待确认送达）。"
                f"缴费期限自申请人收到收费通知的次日起计算 {FEE_PAYMENT_DAYS} 个工作日（{FEE_RULE_NOTE}）；"
                "送达日期确认前缴费期限无法确定，不能认定申请人逾期未缴费。"
                f"自发出收费通知之日起答复期限暂停计算，至缴费之日（{FEE_PAUSE_NOTE}）。"
            )

    # 第三十五条: asking for reasons (no pause is provided for), and the agency-set later reply date.
    for e in ordered:
        if e.kind == EventKind.REASONS_REQUESTED:
            steps.append(
                f"说明理由：{fmt_date(e.date)}因申请公开政府信息的数量、频次明显超过合理范围，要求申请人说明理由"
                f"（{DELAY_ARTICLE}）；{DELAY_ARTICLE}未规定说明理由期间暂停计算，答复期限照常计算。"
            )
        elif e.kind == EventKind.REASONS_GIVEN:
            steps.append(f"说明理由：{fmt_date(e.date)}申请人说明理由（{DELAY_ARTICLE}）。")
    delay = next((e for e in ordered if e.kind == EventKind.DELAY_SET), None)

    extensions = [e for e in ordered if e.kind == EventKind.EXTENDED]
    extension_days = sum(e.days or 0 for e in extensions)
    allowed = REPLY_DAYS + extension_days
    reply_due: DueDate | None = None
    original_due: dt.date | None = None
    delayed_to: dt.date | None = None
    days_used: int | None = None
    state = ClockState.RUNNING
    if start is None:
        state = ClockState.AWAITING_CORRECTION
    elif consultation_pending and awaiting_fee_since is None:
        state = ClockState.CONSULTATION_PENDING
        pending_since = min(c.sent for c in consultations if c.paused_until is None)
        days_used = counted_between(table, start, pending_since - dt.timedelta(days=1), paused)
        steps.append(
            f"截至发出征求意见的前一日已计入 {days_used} 个工作日，剩余 {max(allowed - days_used, 0)} 个工作日；"
            "征求意见书送达日期确认后，按对方答复或者答复期满之日恢复计算，届时确定答复期限。"
        )
    elif awaiting_fee_since is not None:
        state = ClockState.AWAITING_FEE
        days_used = counted_between(table, start, awaiting_fee_since - dt.timedelta(days=1), paused)
        steps.append(
            f"截至发出收费通知的前一日已计入 {days_used} 个工作日，剩余 {max(allowed - days_used, 0)} 个工作日；"
            "发出收费通知之日起暂停计算，申请人缴费后自次日起继续计算。"
        )
    else:
        original_due = count_forward(table, start, REPLY_DAYS, paused)
        due = count_forward(table, start, allowed, paused) if extension_days else original_due
        for e in extensions:
            if e.date > original_due:
                warnings.append(
                    f"延期决定于{fmt_date(e.date)}作出，晚于原答复期限{fmt_date(original_due)}；"
                    "延期应在答复期限内经负责人同意并告知申请人（第三十三条第二款）。"
                )
        if extensions:
            who = "、".join(dict.fromkeys(e.approved_by.strip() for e in extensions))
            steps.append(
                f"延期：经政府信息公开工作机构负责人（{who}）同意，于{fmt_date(extensions[0].date)}决定延长 "
                f"{extension_days} 个工作日，答复期限由原期限{fmt_date(original_due)}延至{fmt_date(due)}"
                "（第三十三条第二款）。"
            )
        more, unknown = span_steps(table, start, due, paused=merge_intervals(paused))
        steps.extend(more)
        steps.append(f"答复期限：{start_label}后第 {allowed} 个计入的工作日，即{fmt_date(due)}。")
        rule = "第三十三条第二款"
        if delay is not None and delay.until is not None:
            if delay.date > due:
                warnings.append(
                    f"延迟答复期限于{fmt_date(delay.date)}确定，晚于按第三十三条计算的答复期限{fmt_date(due)}；"
                    f"应在答复期限内确定并告知申请人（{DELAY_ARTICLE}）。"
                )
            if delay.until <= due:
                warnings.append(
                    f"确定的延迟答复期限{fmt_date(delay.until)}不晚于按第三十三条计算的答复期限{fmt_date(due)}，"
                    f"不属于{DELAY_ARTICLE}规定的延迟答复。"
                )
            steps.append(
                f"延迟答复：{fmt_date(delay.date)}本机关认为申请人说明的理由合理，但无法在第三十三条规定的期限内答复，"
                f"确定延迟答复的合理期限为{fmt_date(delay.until)}并告知申请人（{DELAY_ARTICLE}）；"
                f"答复期限改为该日，不再按第三十三条计算（按第三十三条计算为{fmt_date(due)}）。"
            )
            # A date fixed by the agency: no longer counted, so never provisional.
            due, rule, unknown, delayed_to = delay.until, DELAY_ARTICLE, [], delay.until
        reply_due = DueDate(
            due=due,
            provisional=bool(unknown),
            steps=tuple(steps),
            rule=rule,
            unknown_years=tuple(unknown),
        )

    same_day = answered is not None and answered == r and not requests
    on_time: bool | None = None
    if answered is not None:
        state = ClockState.ANSWERED
        if same_day:
            steps.append(f"答复：{fmt_date(answered)}当场答复（第三十三条第一款）。")
            on_time = True
        elif reply_due is not None:
            on_time = answered <= reply_due.due
            late = "" if on_time else f"，超过答复期限 {table.between(reply_due.due, answered)} 个工作日"
            steps.append(f"答复：{fmt_date(answered)}作出答复{'，在答复期限内' if on_time else late}。")
        else:
            steps.append(f"答复：{fmt_date(answered)}作出答复。")
        if reply_due is not None:
            reply_due = DueDate(
                reply_due.due, reply_due.provisional, tuple(steps), reply_due.rule, reply_due.unknown_years
            )
    reference = answered or today
    if start is not None and reference is not None and days_used is None:
        days_used = counted_between(table, start, reference, paused)
    overdue = reply_due is not None and answered is None and today is not None and today > reply_due.due
    return ClockReport(
        received=r,
        state=state,
        start=start,
        correction_notice_due=correction_due,
        reply_due=reply_due,
        original_due=original_due,
        extension_days=extension_days,
        days_allowed=allowed,
        days_used=days_used,
        consultations=tuple(consultations),
        fee_payment_due=fee_payment_due,
        answered_on=answered,
        same_day=same_day,
        on_time=on_time,
        overdue=overdue,
        steps=tuple(steps),
        warnings=tuple(warnings),
        fee_delivery_pending=fee_delivery_pending,
        delayed_to=delayed_to,
        consultation_delivery_pending=consultation_pending,
    )
