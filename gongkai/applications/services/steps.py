"""Handling steps: assignment, 补正 (第三十条), 第三十五条 reasons and delayed reply, withdrawal, closing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.orgs.permissions import Action, can
from gongkai.workdays.clocks import EventKind as ClockKind

from ..models import Application, Status, Step
from ..vocab import LetterKind, Outcome
from .machine import check_date as _check_date
from .machine import date_or_none as _date_or_none
from .machine import local_today as _today
from .machine import lock as _lock
from .machine import require as _require
from .machine import transition as _transition
from .machine import working_status as _working


@transaction.atomic
def application_assign(*, actor: Any, application: Application, assignee: Any) -> Application:
    """Name the clerk in charge (receives the due-date reminders)."""
    application = _lock(application)
    _require(actor, application.org)
    if assignee is not None and not can(assignee, Action.EDIT, application.org):
        raise ValidationError({"assignee": f"{assignee}不是「{application.org.name}」的经办人员。"})
    target = Status.IN_PROGRESS if application.status == Status.REGISTERED else Status(application.status)
    _transition(
        application,
        target,
        actor=actor,
        kind=Step.ASSIGNED,
        date=_today(),
        data={"assignee": getattr(assignee, "username", "")},
        updates={"assignee": assignee},
    )
    return application


# --- 补正 (第三十条) ----------------------------------------------------------------------------


@transaction.atomic
def correction_request(
    *, actor: Any, application: Application, items: str, until: dt.date, date: dt.date | None = None
) -> Application:
    """Ask once (一次性) for what is missing, with a reasonable deadline (《条例》第三十条).

    The reply period stops; it restarts from the day the corrected application is received.
    """
    application = _lock(application)
    _require(actor, application.org)
    date = date or _today()
    _check_date(application, date, "补正通知")
    if application.events.filter(kind=ClockKind.CORRECTION_REQUESTED).exists():
        raise ValidationError("第三十条要求一次性告知需要补正的事项，本申请已发出过补正通知。")
    if not items.strip():
        raise ValidationError({"items": "请写明需要补正的事项。"})
    if until <= date:
        raise ValidationError({"until": "补正期限应晚于通知日期。"})
    _transition(
        application,
        Status.AWAITING_CORRECTION,
        actor=actor,
        kind=ClockKind.CORRECTION_REQUESTED,
        date=date,
        data={"until": until.isoformat(), "items": items.strip()},
        updates={"correction_until": until},
    )
    from ..letters import letter_draft

    letter_draft(actor=actor, application=application, kind=LetterKind.CORRECTION)
    return application


@transaction.atomic
def correction_receive(
    *, actor: Any, application: Application, date: dt.date | None = None, note: str = ""
) -> Application:
    """Record the corrected application; the 20 working days restart from this day (第三十条)."""
    application = _lock(application)
    _require(actor, application.org)
    date = date or _today()
    _check_date(application, date, "收到补正")
    _transition(
        application, Status.IN_PROGRESS, actor=actor, kind=ClockKind.CORRECTION_RECEIVED, date=date, note=note
    )
    return application


@transaction.atomic
def correction_abandoned(*, actor: Any, application: Application, date: dt.date | None = None) -> Application:
    """No correction by the deadline without good reason → 视为放弃申请 (第三十条), outcome （六）1."""
    application = _lock(application)
    _require(actor, application.org)
    date = date or _today()
    _check_date(application, date, "视为放弃")
    if application.correction_until is None or date <= application.correction_until:
        until = application.correction_until.isoformat() if application.correction_until else "未设定"
        raise ValidationError(f"补正期限（{until}）尚未届满，不能视为放弃申请。")
    _transition(
        application,
        Status.ABANDONED,
        actor=actor,
        kind=Step.ABANDONED,
        date=date,
        updates={"outcome": Outcome.NO_CORRECTION, "closed_on": date},
    )
    from ..letters import letter_draft

    letter_draft(actor=actor, application=application, kind=LetterKind.REPLY)
    return application


# --- 第三十五条: reasons for an unreasonable volume or frequency, and a delayed reply date -------------


def _count(application: Application, kind: str) -> int:
    return application.events.filter(kind=kind).count()


@transaction.atomic
def reasons_request(
    *,
    actor: Any,
    application: Application,
    until: dt.date | None = None,
    date: dt.date | None = None,
    note: str = "",
) -> Application:
    """Ask the applicant to explain requests whose number or frequency clearly exceeds a reasonable range
    (第三十五条), by ``until`` (inclusive); drafts the 要求说明理由通知书. The reply clock keeps running: the article
    provides no pause. A 5.4 reply needs this request first (:func:`reasons_requirement`)."""
    application = _lock(application)
    _require(actor, application.org)
    date = date or _today()
    _check_date(application, date, "要求说明理由")
    if application.status not in (Status.REGISTERED, Status.IN_PROGRESS):
        raise ValidationError(f"申请当前状态为「{application.get_status_display()}」，不能要求说明理由。")
    if until is None:
        raise ValidationError({"until": "请写明申请人说明理由的期限（第三十五条）。"})
    if until <= date:
        raise ValidationError({"until": "说明理由的期限应晚于通知日期。"})
    _transition(
        application,
        Status.IN_PROGRESS,
        actor=actor,
        kind=ClockKind.REASONS_REQUESTED,
        date=date,
        data={"answer_by": until.isoformat()},
        note=note,
    )
    from ..letters import letter_draft

    letter_draft(actor=actor, application=application, kind=LetterKind.REASONS_REQUEST)
    return application


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


@transaction.atomic
def reasons_receive(
    *, actor: Any, application: Application, date: dt.date | None = None, note: str = ""
) -> Application:
    """Record the applicant's reasons (第三十五条). Unsound → reply 5.4; sound → :func:`reply_delay_set` may follow."""
    application = _lock(application)
    _require(actor, application.org)
    date = date or _today()
    _check_date(application, date, "申请人说明理由")
    if _count(application, ClockKind.REASONS_REQUESTED) <= _count(application, ClockKind.REASONS_GIVEN):
        raise ValidationError("本申请没有尚待申请人说明的理由（第三十五条）。")
    _transition(
        application, _working(application), actor=actor, kind=ClockKind.REASONS_GIVEN, date=date, note=note
    )
    return application


@transaction.atomic
def reply_delay_set(
    *, actor: Any, application: Application, until: dt.date, reason: str, date: dt.date | None = None
) -> Application:
    """The reasons are sound but the reply cannot be made within 第三十三条: set a reasonable later reply date
    and tell the applicant (第三十五条). The date replaces the reply due date; drafts the 延迟答复告知书."""
    application = _lock(application)
    _require(actor, application.org)
    date = date or _today()
    _check_date(application, date, "确定延迟答复期限")
    if application.status not in (Status.REGISTERED, Status.IN_PROGRESS):
        raise ValidationError(f"申请当前状态为「{application.get_status_display()}」，不能确定延迟答复期限。")
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
    _transition(
        application,
        _working(application),
        actor=actor,
        kind=ClockKind.DELAY_SET,
        date=date,
        data={"reply_by": until.isoformat(), "reason": reason.strip()},
    )
    from ..letters import letter_draft

    letter_draft(actor=actor, application=application, kind=LetterKind.DELAY)
    return application


# --- withdrawal, closing ------------------------------------------------------------------------


@transaction.atomic
def application_withdraw(
    *, actor: Any, application: Application, date: dt.date | None = None, note: str = ""
) -> Application:
    """The applicant withdrew: closed with outcome （六）3 其他 (contract: withdrawn ⇒ 6.3)."""
    application = _lock(application)
    _require(actor, application.org)
    date = date or _today()
    _check_date(application, date, "撤回")
    _transition(
        application,
        Status.WITHDRAWN,
        actor=actor,
        kind=Step.WITHDRAWN,
        date=date,
        note=note,
        updates={"outcome": Outcome.OTHER, "closed_on": date},
    )
    return application


@transaction.atomic
def application_close(*, actor: Any, application: Application, date: dt.date | None = None) -> Application:
    """Archive a replied, abandoned or withdrawn application (办结归档)."""
    application = _lock(application)
    _require(actor, application.org)
    date = date or _today()
    _check_date(application, date, "办结")
    _transition(application, Status.CLOSED, actor=actor, kind=Step.CLOSED, date=date)
    return application
