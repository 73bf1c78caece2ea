"""Fee steps (国办函〔2020〕109号): the 收费通知, its receipt, payment and non-payment."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.core.models import AuditAction
from gongkai.core.services import audit_record
from gongkai.workdays.arithmetic import is_provisional
from gongkai.workdays.clocks import FEE_PAYMENT_SOURCE
from gongkai.workdays.clocks import EventKind as ClockKind

from ..fees import compute_fee
from ..models import Application, FeeNotice, Status, Step
from ..vocab import FeeMethod, LetterKind, Outcome
from .machine import check_date as _check_date
from .machine import jsonable_date
from .machine import local_today as _today
from .machine import lock as _lock
from .machine import require as _require
from .machine import transition as _transition


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


@transaction.atomic
def fee_notify(
    *,
    actor: Any,
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
    application = _lock(application)
    _require(actor, application.org)
    date = date or _today()
    _check_date(application, date, "收费通知")
    due = application.reply_due
    if fee_notice_within_reply_period() and due is not None and date > due:
        raise ValidationError(
            {
                "date": f"收费通知应当在政府信息公开申请处理期限内发出（{FEE_PAYMENT_SOURCE}）。本申请的答复期限为"
                f"{due.isoformat()}，通知日期（{date.isoformat()}）已超过答复期限，不能再发出收费通知。"
            }
        )
    method = FeeMethod(method)
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
    quantity = monthly_count(application) if method == FeeMethod.PER_APPLICATION else pages
    try:
        fee = compute_fee(method, quantity)
    except ValueError as exc:
        raise ValidationError({"pages": str(exc)}) from exc
    if fee.amount <= 0:
        raise ValidationError(f"按此方式本件不收费，无需发出收费通知。{fee.computation}")
    _transition(
        application,
        Status.AWAITING_FEE,
        actor=actor,
        kind=ClockKind.FEE_NOTICE_SENT,
        date=date,
        data={
            "method": str(method),
            "quantity": quantity,
            "amount": str(fee.amount),
            "delivery": str(delivery),
            **({"delivered": received_on.isoformat()} if received_on else {}),
        },
    )
    notice = FeeNotice(
        application=application,
        method=method,
        quantity=quantity,
        amount=fee.amount,
        computation=fee.computation,
        sent_on=date,
        delivery=delivery,
        received_on=received_on,
        due_on=application.fee_due,
    )
    notice.full_clean()
    notice.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=notice, org=application.org,
                 changes={"amount": [None, str(fee.amount)], "method": [None, str(method)],
                          "delivery": [None, str(delivery)], "received_on": [None, jsonable_date(received_on)]})  # fmt: skip
    from ..letters import letter_draft

    letter_draft(actor=actor, application=application, kind=LetterKind.FEE_NOTICE)
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


@transaction.atomic
def fee_notice_receipt(
    *, actor: Any, application: Application, received_on: dt.date, note: str = ""
) -> FeeNotice:
    """Record the day the applicant received a 收费通知 sent by post (签收之日) or online/SMS (确认送达之日).

    The payment period then runs 20 working days from the next day (clocks.FEE_RULE_NOTE). Once only:
    a recorded receipt day is not changed here.
    """
    application = _lock(application)
    _require(actor, application.org)
    notice = _open_notice(application)
    if notice.received_on is not None:
        raise ValidationError(f"收费通知的送达日期已记录为 {notice.received_on.isoformat()}，不能重复记录。")
    _check_fee_receipt(notice.sent_on, received_on)
    _transition(
        application,
        Status.AWAITING_FEE,
        actor=actor,
        kind=ClockKind.FEE_NOTICE_DELIVERED,
        date=received_on,
        data={"delivery": notice.delivery},
        note=note,
    )
    notice.received_on, notice.due_on = received_on, application.fee_due
    notice.save(update_fields=["received_on", "due_on"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=notice, org=application.org,
                 changes={"received_on": [None, received_on.isoformat()],
                          "due_on": [None, jsonable_date(notice.due_on)]})  # fmt: skip
    return notice


def _open_notice(application: Application) -> FeeNotice:
    notice = application.fee_notices.filter(state=FeeNotice.State.SENT).first()
    if notice is None:
        raise ValidationError("本申请没有待缴费的收费通知。")
    return notice


@transaction.atomic
def fee_paid(*, actor: Any, application: Application, date: dt.date | None = None) -> Application:
    """The applicant paid: the reply clock resumes the next day."""
    application = _lock(application)
    _require(actor, application.org)
    date = date or _today()
    _check_date(application, date, "缴费")
    notice = _open_notice(application)
    _transition(application, Status.IN_PROGRESS, actor=actor, kind=ClockKind.FEE_PAID, date=date)
    notice.state, notice.settled_on = FeeNotice.State.PAID, date
    notice.save(update_fields=["state", "settled_on"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=notice, org=application.org,
                 changes={"state": ["sent", "paid"]})  # fmt: skip
    return application


@transaction.atomic
def fee_unpaid(*, actor: Any, application: Application, date: dt.date | None = None) -> Application:
    """Not paid by the deadline → the agency stops processing: outcome （六）2 (clocks.FEE_RULE_NOTE).

    Refused while the applicant's receipt day is unknown (待确认送达: the period has not started) and on
    or before the payment deadline.
    """
    application = _lock(application)
    _require(actor, application.org)
    date = date or _today()
    _check_date(application, date, "确认逾期未缴费")
    notice = _open_notice(application)
    if notice.received_on is None:
        raise ValidationError(
            "收费通知的送达日期尚待确认（待确认送达）：缴费期限自申请人收到收费通知的次日起计算，"
            "送达日期确认前不能认定申请人逾期未缴费。"
        )
    if application.fee_due is None or date <= application.fee_due:
        due = application.fee_due.isoformat() if application.fee_due else "未知"
        raise ValidationError(f"缴费期限（{due}）尚未届满，不能认定申请人逾期未缴费。")
    if is_provisional(notice.received_on, application.fee_due):
        # A period reaching a year whose holidays are not loaded may really end later: closing the application
        # as 视为放弃 on such a date could cut the applicant's time short.
        raise ValidationError(
            f"缴费期限（{application.fee_due.isoformat()}）为暂定：涉及尚未载入节假日安排的年度，"
            "载入该年度安排、期限确定后才能认定申请人逾期未缴费。"
        )
    _transition(
        application,
        Status.ABANDONED,
        actor=actor,
        kind=Step.FEE_UNPAID,
        date=date,
        updates={"outcome": Outcome.FEE_UNPAID, "closed_on": date},
    )
    notice.state, notice.settled_on = FeeNotice.State.UNPAID, date
    notice.save(update_fields=["state", "settled_on"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=notice, org=application.org,
                 changes={"state": ["sent", "unpaid"]})  # fmt: skip
    from ..letters import letter_draft

    letter_draft(actor=actor, application=application, kind=LetterKind.REPLY)
    return application
