"""What every step shares: the date checks, the event log as the clocks read it, the deadline recompute, the
row lock, and ``take`` — the way into the workflow table (``applications.workflow``), the one place an
application changes status. The step modules import the helpers under their former module-private names
(``lock as _lock``), so the step bodies read as they did in services.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from gongkai.applications.clocks import ClockEvent, Consulted, compute_clock
from gongkai.applications.clocks import EventKind as ClockKind
from gongkai.core.actors import Actor
from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import Action
from gongkai.orgs.permissions import require_for_applications as require_permission
from gongkai.workdays.table import WorkdaysError

from ..models import Application, ApplicationEvent, FeeNotice
from ..states import Status, Step

TRACKED_FIELDS = ("status", "outcome", "closed_on", "reply_due", "assignee", "reply_summary")

CLOCK_KINDS = frozenset(ClockKind.values)


def local_today() -> dt.date:
    return timezone.localdate()


def require(actor: Actor, org: Organisation, action: Action = Action.EDIT) -> None:
    """``orgs.permissions.require`` with this app's refusal: staff writes need ``action`` on the handling
    organisation or its handling office (a ``SystemActor`` passes)."""
    require_permission(actor, action, org, f"您无权办理「{org.name}」的政府信息公开申请。")


def check_date(application: Application, day: dt.date, what: str, *, today: dt.date | None = None) -> None:
    today = today or local_today()
    if day > today:
        raise ValidationError({"date": f"{what}的日期（{day.isoformat()}）不能晚于今天。"})
    if day < application.received_on:
        raise ValidationError(
            {
                "date": f"{what}的日期（{day.isoformat()}）不能早于收到申请之日（{application.received_on.isoformat()}）。"
            }
        )
    last = application.events.order_by("-date").values_list("date", flat=True).first()
    if last is not None and day < last:
        raise ValidationError(
            {"date": f"{what}的日期（{day.isoformat()}）不能早于上一条办理记录（{last.isoformat()}）。"}
        )


def require_period_over(period: str, due: dt.date | None, day: dt.date, refused: str, *, unset: str) -> None:
    """A step that concludes the applicant let ``period`` (due on ``due``; ``unset`` names a missing date) run
    out: refused unless ``day`` is past it, with ``refused`` saying what cannot be concluded yet."""
    if due is None or day <= due:
        raise ValidationError(f"{period}（{due.isoformat() if due else unset}）尚未届满，不能{refused}。")


def clock_events(application: Application, extra: Iterable[ApplicationEvent] = ()) -> list[ClockEvent]:
    """The application's event log as the workdays clocks read it."""
    out: list[ClockEvent] = []
    for e in [*application.events.all(), *extra]:
        if e.kind not in CLOCK_KINDS:
            continue
        d = e.data or {}
        delivered = date_or_none(d.get("delivered"))
        if e.kind == ClockKind.FEE_NOTICE_SENT and "delivery" not in d and delivered is None:
            # A notice sent before delivery was recorded (migration 0003 set its received_on to sent_on).
            delivered = (
                application.fee_notices.filter(sent_on=e.date).values_list("received_on", flat=True).first()
            )
        out.append(
            ClockEvent(
                kind=e.kind,
                date=e.date,
                days=d.get("days"),
                approved_by=d.get("approved_by", ""),
                party=d.get("party", ""),
                consulted=d.get("consulted", Consulted.THIRD_PARTY),
                delivered=delivered,
                until=date_or_none(d.get("until") or d.get("reply_by") or d.get("answer_by")),
                delivery=_delivery_label(d.get("delivery", "")),
            )
        )
    return out


def date_or_none(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _delivery_label(code: str) -> str:
    try:
        return str(FeeNotice.Delivery(code).label) if code else ""
    except ValueError:
        return code


def refresh_deadlines(application: Application, *, today: dt.date | None = None) -> bool:
    """Recompute the cached deadlines from the event log (workdays clocks); True if the reply due date moved."""
    try:
        report = compute_clock(clock_events(application), today=today or local_today())
    except WorkdaysError as exc:
        raise ValidationError(str(exc)) from exc
    before = application.reply_due
    application.clock_state = str(report.state)
    application.correction_notice_due = report.correction_notice_due.due
    application.reply_due = report.reply_due.due if report.reply_due else None
    application.fee_due = report.fee_payment_due.due if report.fee_payment_due else None
    if report.correction_until is not None:  # a date given in the notice, or N working days after receipt
        application.correction_until = report.correction_until.due
    elif report.correction_delivery_pending:
        application.correction_until = None
    application.deadline_provisional = report.provisional
    steps = list(report.steps)
    for due in (report.fee_payment_due, report.correction_until):
        if due is not None:
            steps += [s for s in due.steps if s not in steps]
    application.deadline_steps = steps
    application.deadline_warnings = list(report.warnings)
    return before != application.reply_due


def take(application: Application, step: str, *, actor: Actor, **params: Any) -> Any:
    """Take one step of the workflow (``applications.workflow``): what every step service does."""
    from ..workflow import WORKFLOW  # the table imports the step handlers, which import this module

    return WORKFLOW.transition(actor=actor, obj=application, step=step, **params)


def __getattr__(name: str) -> Any:
    if name == "ALLOWED_TRANSITIONS":  # derived from the workflow table (kept for the code that imports it)
        from ..workflow import ALLOWED_TRANSITIONS

        return ALLOWED_TRANSITIONS
    raise AttributeError(name)


EVENT_LABELS = list(ClockKind.choices) + list(Step.choices)


def lock(application: Application) -> Application:
    return Application.objects.select_for_update().select_related("org").get(pk=application.pk)


def working_status(application: Application) -> Status:
    return Status.IN_PROGRESS if application.status == Status.REGISTERED else Status(application.status)


def jsonable_date(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None
