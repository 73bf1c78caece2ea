"""Handling steps: assignment, 补正 (第三十条), 第三十五条 reasons and delayed reply, withdrawal, closing.

Each step is one row of ``applications.workflow.STEPS``; the ``*_step`` handlers here do a step's own checks
(the workflow has already locked the row, checked the permission and defaulted and checked the date) and say
what the event records. The services keep their keyword signatures and take the step (``machine.take``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError

from gongkai.applications.clocks import EventKind as ClockKind
from gongkai.applications.clocks.periods import MAX_CORRECTION_DAYS
from gongkai.core.actors import Actor
from gongkai.core.workflow import Move
from gongkai.orgs.permissions import Action, can_for_applications

from ..models import Application
from ..vocab import Outcome
from .machine import check_date, require_period_over, take
from .machine import date_or_none as _date_or_none
from .machine import local_today as _today


def application_assign(*, actor: Actor, application: Application, assignee: Any) -> Application:
    """Name the clerk in charge (receives the due-date reminders)."""
    result: Application = take(application, "assign", actor=actor, assignee=assignee)
    return result


def assign_step(move: Move) -> None:
    application, assignee = move.obj, move.params.get("assignee")
    if assignee is not None and not can_for_applications(assignee, Action.EDIT, application.org):
        raise ValidationError({"assignee": f"{assignee}不是办理「{application.org.name}」申请的工作人员。"})
    move.params.update(date=_today(), event_data={"assignee": getattr(assignee, "username", "")})
    move.updates["assignee"] = assignee


# --- 补正 (第三十条) ----------------------------------------------------------------------------


def correction_request(
    *,
    actor: Actor,
    application: Application,
    items: str,
    until: dt.date | None = None,
    days: int | None = None,
    date: dt.date | None = None,
) -> Application:
    """Ask once (一次性) for what is missing, with a reasonable deadline (《条例》第三十条): a date (``until``), or
    ``days`` working days after the applicant receives the notice (the deadline is then known once the receipt
    day is recorded: :func:`correction_delivered`; until then 待确认送达).

    The reply period stops; it restarts from the day the corrected application is received.
    """
    result: Application = take(application, "correction", actor=actor, items=items, until=until, days=days,
                               date=date)  # fmt: skip
    return result


def correction_step(move: Move) -> None:
    application, date = move.obj, move.params["date"]
    items, until = move.params.get("items") or "", move.params.get("until")
    days = move.params.get("days") or None
    if application.events.filter(kind=ClockKind.CORRECTION_REQUESTED).exists():
        raise ValidationError("第三十条要求一次性告知需要补正的事项，本申请已发出过补正通知。")
    if not items.strip():
        raise ValidationError({"items": "请写明需要补正的事项。"})
    if (until is None) == (days is None):
        raise ValidationError(
            {"until": "请填写补正期限：一个日期，或者自申请人收到补正告知书之日起的工作日数（二选一）。"}
        )
    if days is not None:
        if not 1 <= days <= MAX_CORRECTION_DAYS:
            raise ValidationError({"days": f"补正期限应为 1 至 {MAX_CORRECTION_DAYS} 个工作日。"})
        move.params["event_data"] = {"days": days, "items": items.strip()}
        return  # the deadline follows from the receipt day (machine.refresh_deadlines)
    assert until is not None  # exactly one of the two (above)
    if until <= date:
        raise ValidationError({"until": "补正期限应晚于通知日期。"})
    move.params["event_data"] = {"until": until.isoformat(), "items": items.strip()}
    move.updates["correction_until"] = until


def correction_delivered(
    *, actor: Actor, application: Application, received_on: dt.date, note: str = ""
) -> Application:
    """Record the day the applicant received the 补正告知书 (当面: handed over; 邮寄: signed for; 电子邮件、短信、
    平台: delivery confirmed). A 补正 period given in working days runs from the next day."""
    result: Application = take(application, "correction_delivered", actor=actor, received_on=received_on,
                               note=note)  # fmt: skip
    return result


def correction_delivered_step(move: Move) -> None:
    application, received_on = move.obj, move.params.get("received_on")
    if received_on is None:
        raise ValidationError({"received_on": "请填写申请人收到补正告知书的日期。"})
    if application.events.filter(kind=ClockKind.CORRECTION_DELIVERED).exists():
        raise ValidationError("补正告知书的送达日期已经记录，不能重复记录。")
    check_date(application, received_on, "补正告知书送达")
    move.params.update(date=received_on, event_data={})


def correction_receive(
    *, actor: Actor, application: Application, date: dt.date | None = None, note: str = ""
) -> Application:
    """Record the corrected application; the 20 working days restart from this day (第三十条)."""
    result: Application = take(application, "corrected", actor=actor, date=date, note=note)
    return result


def correction_abandoned(
    *, actor: Actor, application: Application, date: dt.date | None = None
) -> Application:
    """No correction by the deadline without good reason → 视为放弃申请 (第三十条), outcome （六）1."""
    result: Application = take(application, "abandon", actor=actor, date=date)
    return result


def abandon_step(move: Move) -> None:
    application, date = move.obj, move.params["date"]
    if application.correction_until is None and (
        application.events.filter(kind=ClockKind.CORRECTION_REQUESTED, data__has_key="days").exists()
    ):
        raise ValidationError(
            "补正告知书的送达日期尚待确认（待确认送达）：补正期限自申请人收到补正告知书之日起计算，"
            "送达日期确认前不能视为放弃申请。"
        )
    require_period_over("补正期限", application.correction_until, date, "视为放弃申请", unset="未设定")
    move.updates.update(outcome=Outcome.NO_CORRECTION, closed_on=date)


# --- 第三十五条: reasons for an unreasonable volume or frequency, and a delayed reply date -------------


def _count(application: Application, kind: str) -> int:
    return application.events.filter(kind=kind).count()


def reasons_request(
    *,
    actor: Actor,
    application: Application,
    until: dt.date | None = None,
    date: dt.date | None = None,
    note: str = "",
) -> Application:
    """Ask the applicant to explain requests whose number or frequency clearly exceeds a reasonable range
    (第三十五条), by ``until`` (inclusive); drafts the 要求说明理由通知书. The reply clock keeps running: the article
    provides no pause. A 5.4 reply needs this request first (:func:`reasons_requirement`)."""
    result: Application = take(application, "reasons", actor=actor, until=until, date=date, note=note)
    return result


def reasons_step(move: Move) -> None:
    until, date = move.params.get("until"), move.params["date"]
    if until is None:
        raise ValidationError({"until": "请写明申请人说明理由的期限（第三十五条）。"})
    if until <= date:
        raise ValidationError({"until": "说明理由的期限应晚于通知日期。"})
    move.params["event_data"] = {"answer_by": until.isoformat()}


REASONS_FIRST = (
    "「无正当理由大量反复申请」（不予处理）须先要求申请人说明理由（第三十五条：行政机关可以要求申请人说明理由；"
    "认为申请理由不合理的，告知申请人不予处理）。"
)


def reasons_requirement(application: Application, on: dt.date | None) -> str:
    """Why a 5.4 reply (第三十五条 不予处理) on ``on`` is not allowed yet, or "" when it is.

    The agency must have asked for reasons; then either the applicant gave them (and the reply finds them
    unsound) or the answer period set in the request has passed without them. Not after a 延迟答复 (the agency
    found the reasons sound)."""
    events = list(application.events.filter(kind__in=[ClockKind.REASONS_REQUESTED, ClockKind.REASONS_GIVEN,
                                                      ClockKind.DELAY_SET]).order_by("date", "id"))  # fmt: skip
    asked = [e for e in events if e.kind == ClockKind.REASONS_REQUESTED]
    if not asked:
        return REASONS_FIRST
    if any(e.kind == ClockKind.DELAY_SET for e in events):
        return "本机关已认为申请理由合理并确定了延迟答复期限（第三十五条），不能再以理由不合理为由不予处理。"
    last = asked[-1]
    if any(e.kind == ClockKind.REASONS_GIVEN and e.date >= last.date for e in events):
        return ""
    answer_by = _date_or_none((last.data or {}).get("answer_by"))
    if answer_by is None:
        return "要求说明理由时未写明说明期限，申请人也未说明理由：请重新要求申请人在合理期限内说明理由（第三十五条）。"
    if on is None or on <= answer_by:
        return (
            f"申请人说明理由的期限（{answer_by.isoformat()}）尚未届满，申请人也尚未说明理由，"
            "不能以申请理由不合理为由不予处理（第三十五条）。"
        )
    return ""


def reasons_receive(
    *, actor: Actor, application: Application, date: dt.date | None = None, note: str = ""
) -> Application:
    """Record the applicant's reasons (第三十五条). Unsound → reply 5.4; sound → :func:`reply_delay_set` may follow."""
    result: Application = take(application, "reasons_given", actor=actor, date=date, note=note)
    return result


def reasons_given_step(move: Move) -> None:
    if _count(move.obj, ClockKind.REASONS_REQUESTED) <= _count(move.obj, ClockKind.REASONS_GIVEN):
        raise ValidationError("本申请没有尚待申请人说明的理由（第三十五条）。")


def reply_delay_set(
    *, actor: Actor, application: Application, until: dt.date, reason: str, date: dt.date | None = None
) -> Application:
    """The reasons are sound but the reply cannot be made within 第三十三条: set a reasonable later reply date
    and tell the applicant (第三十五条). The date replaces the reply due date; drafts the 延迟答复告知书."""
    result: Application = take(application, "delay", actor=actor, until=until, reason=reason, date=date)
    return result


def delay_step(move: Move) -> None:
    application, date = move.obj, move.params["date"]
    until, reason = move.params.get("until"), move.params.get("reason") or ""
    if until is None:
        raise ValidationError({"until": "请填写延迟答复期限。"})
    if not _count(application, ClockKind.REASONS_GIVEN):
        raise ValidationError(
            "确定延迟答复期限须先要求申请人说明理由并记录其理由；本机关认为理由合理时方可确定（第三十五条）。"
        )
    if _count(application, ClockKind.DELAY_SET):
        raise ValidationError("本申请已确定延迟答复期限。")
    if not reason.strip():
        raise ValidationError({"reason": "请写明无法在法定期限内答复的原因。"})
    if application.reply_due is not None and date > application.reply_due:
        raise ValidationError(
            {"date": f"答复期限（{application.reply_due.isoformat()}）已过，不能再确定延迟答复期限。"}
        )
    if application.reply_due is not None and until <= application.reply_due:
        raise ValidationError(
            {
                "until": f"延迟答复期限应晚于按第三十三条计算的答复期限（{application.reply_due.isoformat()}）。"
            }
        )
    move.params["event_data"] = {"reply_by": until.isoformat(), "reason": reason.strip()}


# --- withdrawal, closing ------------------------------------------------------------------------


def application_withdraw(
    *, actor: Actor, application: Application, date: dt.date | None = None, note: str = ""
) -> Application:
    """The applicant withdrew: closed with outcome （六）3 其他 (contract: withdrawn ⇒ 6.3)."""
    result: Application = take(application, "withdraw", actor=actor, date=date, note=note)
    return result


def withdraw_step(move: Move) -> None:
    move.updates.update(outcome=Outcome.OTHER, closed_on=move.params["date"])


def application_close(*, actor: Actor, application: Application, date: dt.date | None = None) -> Application:
    """Archive a replied, abandoned or withdrawn application (办结归档)."""
    result: Application = take(application, "close", actor=actor, date=date)
    return result
