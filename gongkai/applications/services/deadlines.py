"""Deadline recompute when the calendar changes (the applications deadline source of workdays)."""

from __future__ import annotations

from typing import Any

from gongkai.core.models import AuditAction
from gongkai.core.services import audit_record

from ..models import Application, FeeNotice
from ..states import OPEN_STATUSES
from .machine import jsonable_date, refresh_deadlines


def recompute_open_deadlines(change: Any) -> Any:
    """Deadline source for workdays: recompute every open application; audit and notify the ones that moved."""
    from gongkai.workdays.registry import RecomputeResult

    examined = changed = 0
    open_apps = Application.objects.filter(status__in=OPEN_STATUSES).select_related("org", "assignee")
    for application in open_apps.prefetch_related("events"):
        examined += 1
        before = (application.reply_due, application.fee_due, application.deadline_provisional)
        refresh_deadlines(application)
        after = (application.reply_due, application.fee_due, application.deadline_provisional)
        if before == after:
            continue
        changed += 1
        if before[1] != after[1]:
            application.fee_notices.filter(state=FeeNotice.State.SENT).update(due_on=after[1])
        application.save(
            update_fields=[
                "clock_state",
                "reply_due",
                "fee_due",
                "correction_notice_due",
                "deadline_provisional",
                "deadline_steps",
                "deadline_warnings",
                "updated_at",
            ]
        )
        audit_record(
            actor=change.actor,
            action=AuditAction.UPDATE,
            obj=application,
            org=application.org,
            changes={
                "reply_due": [jsonable_date(before[0]), jsonable_date(after[0])],
                "reason": "节假日安排变更",
            },
        )
        if application.assignee and application.assignee.email and before[0] != after[0]:
            change.notify(
                recipients=[application.assignee.email],
                subject=f"申请 {application.tracking_code} 的答复期限已变更",
                body=(
                    f"因载入新的节假日安排，申请 {application.tracking_code}（{application.info_title}）的答复期限"
                    f"由 {jsonable_date(before[0]) or '—'} 变更为 {jsonable_date(after[0]) or '—'}。"
                ),
            )
    return RecomputeResult(source="applications", examined=examined, changed=changed)
