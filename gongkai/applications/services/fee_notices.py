"""Fee steps (国办函〔2020〕109号): the 收费通知, its receipt, payment and non-payment.

Each step is one row of ``applications.workflow.STEPS``: a ``*_step`` handler checks it before the status
changes, a ``keep_*``/``settle_*`` function updates the fee notice after (the step's ``finish``)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError

from gongkai.applications.clocks import FEE_PAYMENT_SOURCE
from gongkai.core.actors import Actor
from gongkai.core.models import AuditAction
from gongkai.core.services import audit_record
from gongkai.core.workflow import Move
from gongkai.workdays.arithmetic import is_provisional

from ..fees import compute_fee
from ..models import Application, FeeNotice
from ..vocab import FeeMethod, Outcome
from .machine import jsonable_date, require_period_over, take
from .machine import local_today as _today


def monthly_count(application: Application) -> int:
    """The applicant's applications to this organisation in the calendar month of receipt, this one included."""
    day = application.received_on
    return Application.objects.filter(
        org=application.org,
        applicant_key=application.applicant_key,
        received_on__year=day.year,
        received_on__month=day.month,
        id__lte=application.id,
    ).count()


def fee_notify(
    *,
    actor: Actor,
    application: Application,
    method: FeeMethod | str,
    pages: int = 0,
    date: dt.date | None = None,
    delivery: FeeNotice.Delivery | str = FeeNotice.Delivery.IN_PERSON,
    received_on: dt.date | None = None,
) -> FeeNotice:
    """Send a 收费通知 (one method per application, chosen by the agency; 109号第三条).

    按件: the amount follows from the applicant's count in the month; 按量: from ``pages``. The
    reply clock stops from the sending day until payment; no payment by the deadline → outcome （六）2.
    The payment period runs from the day after the applicant *receives* the notice (clocks.FEE_RULE_NOTE):
    当面送达 → the handing-over day (the sending day); 邮寄 → the signed-for day, recorded later with
    :func:`fee_notice_receipt`; 网上（数据电文）/短信 → the day delivery is confirmed (``received_on`` when
    confirmed at sending, else recorded later). Until then the notice is 待确认送达.
    """
    result: FeeNotice = take(application, "fee", actor=actor, method=method, pages=pages, date=date,
                             delivery=delivery, received_on=received_on)  # fmt: skip
    return result


def fee_step(move: Move) -> None:
    application, p = move.obj, move.params
    date, received_on = p["date"], p.get("received_on")
    due = application.reply_due
    if fee_notice_within_reply_period() and due is not None and date > due:
        raise ValidationError(
            {
                "date": f"收费通知应当在政府信息公开申请处理期限内发出（{FEE_PAYMENT_SOURCE}）。本申请的答复期限为"
                f"{due.isoformat()}，通知日期（{date.isoformat()}）已超过答复期限，不能再发出收费通知。"
            }
        )
    method = FeeMethod(p["method"])
    delivery = p.get("delivery", FeeNotice.Delivery.IN_PERSON)
    try:
        delivery = FeeNotice.Delivery(delivery)
    except ValueError:
        raise ValidationError({"delivery": f"送达方式「{delivery}」无法识别。"}) from None
    if delivery == FeeNotice.Delivery.IN_PERSON:
        if received_on is not None and received_on != date:
            raise ValidationError({"received_on": "当面送达的，申请人收到日期即为送达（通知）当日。"})
        received_on = date
    elif received_on is not None:
        _check_fee_receipt(date, received_on)
    if application.fee_notices.exists():
        raise ValidationError("本申请已发出收费通知；同一申请只能选择一种计收方式（109号第三条）。")
    quantity = monthly_count(application) if method == FeeMethod.PER_APPLICATION else p.get("pages") or 0
    try:
        fee = compute_fee(method, quantity)
    except ValueError as exc:
        raise ValidationError({"pages": str(exc)}) from exc
    if fee.amount <= 0:
        raise ValidationError(f"按此方式本件不收费，无需发出收费通知。{fee.computation}")
    p["event_data"] = {
        "method": str(method),
        "quantity": quantity,
        "amount": str(fee.amount),
        "delivery": str(delivery),
        **({"delivered": received_on.isoformat()} if received_on else {}),
    }
    p["notice"] = FeeNotice(application=application, method=method, quantity=quantity, amount=fee.amount,
                            computation=fee.computation, sent_on=date, delivery=delivery, received_on=received_on)  # fmt: skip


def keep_fee_notice(move: Move) -> FeeNotice:
    """After the notice is recorded: store it with its payment deadline (now known) — the step's result."""
    notice: FeeNotice = move.params["notice"]
    notice.due_on = move.obj.fee_due
    notice.full_clean()
    notice.save()
    audit_record(actor=move.actor, action=AuditAction.CREATE, obj=notice, org=move.obj.org,
                 changes={"amount": [None, str(notice.amount)], "method": [None, str(notice.method)],
                          "delivery": [None, str(notice.delivery)],
                          "received_on": [None, jsonable_date(notice.received_on)]})  # fmt: skip
    move.result = notice
    return notice


def fee_notice_within_reply_period() -> bool:
    """``GONGKAI_FEE_NOTICE_WITHIN_REPLY_PERIOD`` (default True): a fee notice only within the reply period, as
    the 四川 restatement of 109号 says (「应当在政府信息公开申请处理期限内……发出收费通知」, legal-basis.md §3.2)."""
    return bool(getattr(settings, "GONGKAI_FEE_NOTICE_WITHIN_REPLY_PERIOD", True))


def _check_fee_receipt(sent_on: dt.date, received_on: dt.date, *, today: dt.date | None = None) -> None:
    if received_on < sent_on:
        raise ValidationError(
            {
                "received_on": f"申请人收到日期（{received_on.isoformat()}）不能早于发出日期（{sent_on.isoformat()}）。"
            }
        )
    if received_on > (today or _today()):
        raise ValidationError({"received_on": f"申请人收到日期（{received_on.isoformat()}）不能晚于今天。"})


def fee_notice_receipt(
    *, actor: Actor, application: Application, received_on: dt.date, note: str = ""
) -> FeeNotice:
    """Record the day the applicant received a 收费通知 sent by post (签收之日) or online/SMS (确认送达之日).

    The payment period then runs 20 working days from the next day (clocks.FEE_RULE_NOTE). Once only:
    a recorded receipt day is not changed here.
    """
    result: FeeNotice = take(application, "fee_received", actor=actor, received_on=received_on, note=note)
    return result


def fee_received_step(move: Move) -> None:
    notice, received_on = _open_notice(move.obj), move.params["received_on"]
    if notice.received_on is not None:
        raise ValidationError(f"收费通知的送达日期已记录为 {notice.received_on.isoformat()}，不能重复记录。")
    _check_fee_receipt(notice.sent_on, received_on)
    move.params.update(date=received_on, event_data={"delivery": notice.delivery}, notice=notice)


def keep_fee_receipt(move: Move) -> FeeNotice:
    notice: FeeNotice = move.params["notice"]
    notice.received_on, notice.due_on = move.params["received_on"], move.obj.fee_due
    notice.save(update_fields=["received_on", "due_on"])
    audit_record(actor=move.actor, action=AuditAction.UPDATE, obj=notice, org=move.obj.org,
                 changes={"received_on": [None, notice.received_on.isoformat()],
                          "due_on": [None, jsonable_date(notice.due_on)]})  # fmt: skip
    move.result = notice
    return notice


def _open_notice(application: Application) -> FeeNotice:
    notice = application.fee_notices.filter(state=FeeNotice.State.SENT).first()
    if notice is None:
        raise ValidationError("本申请没有待缴费的收费通知。")
    return notice


def fee_paid(*, actor: Actor, application: Application, date: dt.date | None = None) -> Application:
    """The applicant paid: the reply clock resumes the next day."""
    result: Application = take(application, "fee_paid", actor=actor, date=date)
    return result


def fee_paid_step(move: Move) -> None:
    move.params["notice"] = _open_notice(move.obj)


def fee_unpaid(*, actor: Actor, application: Application, date: dt.date | None = None) -> Application:
    """Not paid by the deadline → the agency stops processing: outcome （六）2 (clocks.FEE_RULE_NOTE).

    Refused while the applicant's receipt day is unknown (待确认送达: the period has not started) and on
    or before the payment deadline.
    """
    result: Application = take(application, "fee_unpaid", actor=actor, date=date)
    return result


def fee_unpaid_step(move: Move) -> None:
    application, date = move.obj, move.params["date"]
    notice = _open_notice(application)
    if notice.received_on is None:
        raise ValidationError(
            "收费通知的送达日期尚待确认（待确认送达）：缴费期限自申请人收到收费通知的次日起计算，"
            "送达日期确认前不能认定申请人逾期未缴费。"
        )
    require_period_over("缴费期限", application.fee_due, date, "认定申请人逾期未缴费", unset="未知")
    if is_provisional(notice.received_on, application.fee_due):
        # A period reaching a year whose holidays are not loaded may really end later: closing the application
        # as 视为放弃 on such a date could cut the applicant's time short.
        raise ValidationError(
            f"缴费期限（{application.fee_due.isoformat()}）为暂定：涉及尚未载入节假日安排的年度，"
            "载入该年度安排、期限确定后才能认定申请人逾期未缴费。"
        )
    move.updates.update(outcome=Outcome.FEE_UNPAID, closed_on=date)
    move.params["notice"] = notice


def settle_fee_notice(move: Move) -> None:
    """After payment or non-payment is recorded: the notice is settled that day."""
    notice: FeeNotice = move.params["notice"]
    state = FeeNotice.State.PAID if move.step.name == "fee_paid" else FeeNotice.State.UNPAID
    notice.state, notice.settled_on = state, move.params["date"]
    notice.save(update_fields=["state", "settled_on"])
    audit_record(actor=move.actor, action=AuditAction.UPDATE, obj=notice, org=move.obj.org,
                 changes={"state": ["sent", str(state)]})  # fmt: skip
