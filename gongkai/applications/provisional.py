"""The daily provisional-deadline check (`gongkai check_provisional_deadlines`, scheduled by celery beat).

A deadline whose count reaches a year whose holiday arrangement is not loaded is *provisional*
(``Application.deadline_provisional``, from ``workdays.arithmetic.is_provisional``): the lunar holidays and
the 调休 days of that year are unknown, so the date may still move. Each day this check

- lists the open applications with a provisional deadline, per 公开办 (the handling office,
  ``Organisation.handling_office``, else the organisation), and mails the office's 公开办管理员 (its clerks when
  it has none with an address), one audit row per office (tracking codes and counts, no applicant data);
- warns, from 1 December, when next year's arrangement is not loaded yet (and at any time when this year's
  is not): a mail to the 系统管理员, who load the calendar, and one audit row per year.

The dashboard shows the same two things live (``provisional_for`` and ``workdays.selectors``). Loading the
year recomputes every open deadline (the ``applications`` deadline source, ``services/deadlines.py``), after
which the applications are no longer provisional and drop out of the list.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet

from gongkai.core.actors import Actor
from gongkai.core.models import AuditAction
from gongkai.core.services import audit_record
from gongkai.orgs.models import Membership, Organisation, Role
from gongkai.workdays.selectors import missing_arrangement_message, missing_arrangements

from .models import Application
from .selectors import applications_for
from .states import OPEN_STATUSES

log = logging.getLogger(__name__)

CHECK_OBJECT = "applications.deadline_check"
CALENDAR_OBJECT = "workdays.calendaryear"


@dataclass
class ProvisionalCheck:
    """What one run found and whom it told."""

    today: dt.date
    by_office: dict[str, list[str]] = field(default_factory=dict)  # office code → tracking codes
    missing_years: list[int] = field(default_factory=list)
    mailed: int = 0

    @property
    def applications(self) -> int:
        return sum(len(codes) for codes in self.by_office.values())


def provisional_open() -> QuerySet[Application]:
    return Application.objects.filter(status__in=OPEN_STATUSES, deadline_provisional=True)


def provisional_for(user: Any) -> QuerySet[Application]:
    """The open applications with a provisional deadline that ``user`` may view (for the dashboard)."""
    return applications_for(user, status="open").filter(deadline_provisional=True)


def _emails(org_id: int, role: str) -> list[str]:
    rows = Membership.objects.filter(org_id=org_id, role=role, user__is_active=True).exclude(user__email="")
    return sorted(set(rows.values_list("user__email", flat=True)))


def office_recipients(office: Organisation) -> list[str]:
    """The 公开办管理员 of the handling office; its clerks when no 公开办管理员 has an address."""
    return _emails(office.pk, Role.OFFICE_ADMIN) or _emails(office.pk, Role.CLERK)


def _mail_on_commit(subject: str, body: str, to: list[str]) -> None:
    def send() -> None:
        try:
            send_mail(subject, body, None, to)
        except Exception:  # a mail outage must not undo the audited check; the next run mails again
            log.exception("provisional-deadline check: mail to %d recipients not sent", len(to))

    transaction.on_commit(send)


def _tell_office(office: Organisation, apps: list[Application], *, actor: Actor, today: dt.date) -> int:
    to = office_recipients(office)
    lines = [
        f"- {a.tracking_code}（{a.org.display_name}）{a.info_title}：答复期限 "
        f"{a.reply_due.isoformat() if a.reply_due else '—'}（暂定）"
        for a in apps
    ]
    body = (
        "以下依申请公开申请的期限计入了节假日安排尚未载入的年度，目前按周末和法定固定假日暂计，可能变动。"
        "节假日安排载入后系统将自动重新计算；在此之前请留出余量，尽量提前答复。\n\n" + "\n".join(lines)
    )
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.OTHER,
            org=office,
            object_type=CHECK_OBJECT,
            object_repr=f"期限暂定提醒（{today.isoformat()}）",
            changes={"applications": [a.tracking_code for a in apps], "recipients": len(to)},
        )
        if to:
            _mail_on_commit(f"依申请公开期限暂定提醒（{today.isoformat()}）", body, to)
    return 1 if to else 0


def _warn_missing_year(year: int, *, actor: Actor, today: dt.date) -> int:
    admins = Membership.objects.filter(role=Role.SYSTEM_ADMIN, user__is_active=True).exclude(user__email="")
    to = sorted(set(admins.values_list("user__email", flat=True)))
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.OTHER,
            object_type=CALENDAR_OBJECT,
            object_id=str(year),
            object_repr=f"{year}年节假日安排尚未载入",
            changes={"year": year, "recipients": len(to)},
        )
        if to:
            _mail_on_commit(f"{year}年节假日安排尚未载入", missing_arrangement_message(year, today), to)
    return 1 if to else 0


def check_provisional_deadlines(*, actor: Actor, today: dt.date, dry_run: bool = False) -> ProvisionalCheck:
    """Tell each 公开办 its provisional deadlines and the 系统管理员 a missing arrangement (module docstring)."""
    result = ProvisionalCheck(today=today, missing_years=missing_arrangements(today))
    grouped: dict[int, list[Application]] = defaultdict(list)
    for app in provisional_open().select_related("org").order_by("reply_due", "id"):
        grouped[app.org.handling_office_id or app.org_id].append(app)
    offices = Organisation.objects.in_bulk(list(grouped))
    for office_id, apps in sorted(grouped.items(), key=lambda item: offices[item[0]].path):
        office = offices[office_id]
        result.by_office[office.code] = [a.tracking_code for a in apps]
        if not dry_run:
            result.mailed += _tell_office(office, apps, actor=actor, today=today)
    if not dry_run:
        for year in result.missing_years:
            result.mailed += _warn_missing_year(year, actor=actor, today=today)
    return result
