"""Who must be reminded of what: overdue and due-soon applications grouped by their assignee's e-mail."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Q

from gongkai.applications.clocks import ClockState
from gongkai.orgs.models import Membership, Organisation, Role
from gongkai.workdays.arithmetic import add_workdays

from .models import Application, RemedyCase
from .selectors import (
    DUE_SOON_WORKDAYS,
    consultation_delivery_pending,
    fee_delivery_pending,
    remedy_answers_due,
)
from .states import OPEN_STATUSES, Status


def org_handlers(org_ids: set[int]) -> dict[int, list[str]]:
    """E-mail addresses of the clerks and 公开办管理员 who handle each organisation's applications (for
    unassigned ones): those of its handling office (``Organisation.handling_office``), else its own."""
    office_of = {
        pk: office or pk
        for pk, office in Organisation.objects.filter(pk__in=org_ids).values_list("pk", "handling_office_id")
    }
    out: dict[int, list[str]] = defaultdict(list)
    rows = Membership.objects.filter(
        org_id__in=set(office_of.values()), role__in=[Role.CLERK, Role.OFFICE_ADMIN], user__is_active=True
    ).exclude(user__email="")
    by_office: dict[int, list[str]] = defaultdict(list)
    for office_id, email in rows.values_list("org_id", "user__email"):
        by_office[office_id].append(email)
    for pk, office_id in office_of.items():
        out[pk] = by_office.get(office_id, [])
    return out


def due_by_assignee(*, today: dt.date, within: int = DUE_SOON_WORKDAYS) -> dict[str, list[str]]:
    """{email: [line, …]} for open applications whose deadline is past or near (第三十三条): to the assignee,
    or — when nobody is assigned — to every clerk and 公开办管理员 of the organisation's handling office."""
    horizon = add_workdays(today, within)
    qs = (
        Application.objects.filter(status__in=OPEN_STATUSES)
        .filter(
            Q(reply_due__lte=horizon)
            | Q(status=Status.AWAITING_FEE, fee_due__lt=today)
            | Q(status=Status.AWAITING_FEE, fee_due__isnull=True)  # 待确认送达: the clerk must record receipt
            | Q(clock_state=ClockState.CONSULTATION_PENDING)  # 征求意见书待确认送达
            | Q(status=Status.AWAITING_CORRECTION, correction_until__lt=today)
        )
        .select_related("assignee", "org")
        .order_by("reply_due", "id")
    )
    apps = list(qs)
    handlers = org_handlers({a.org_id for a in apps if a.assignee is None or not a.assignee.email})
    out: dict[str, list[str]] = defaultdict(list)
    for a in apps:
        if consultation_delivery_pending(a):
            line = (
                "征求意见书送达日期待确认：请记录对方收到征求意见书的日期（答复期限持续暂停，确认后重新计算）"
            )
        elif fee_delivery_pending(a):
            line = "收费通知送达日期待确认：请记录申请人收到收费通知的日期（缴费期限自收到次日起计算）"
        elif a.status == Status.AWAITING_FEE and a.fee_due:
            line = f"缴费期限 {a.fee_due.isoformat()} 已过，请确认是否逾期未缴费"
        elif a.status == Status.AWAITING_CORRECTION and a.correction_until:
            line = f"补正期限 {a.correction_until.isoformat()} 已过，请确认是否视为放弃申请"
        elif a.reply_due is not None and a.reply_due < today:
            line = f"已逾期：答复期限为 {a.reply_due.isoformat()}"
        else:
            line = f"即将到期：答复期限为 {a.reply_due.isoformat() if a.reply_due else '—'}"
        recipients = [a.assignee.email] if a.assignee and a.assignee.email else handlers.get(a.org_id, [])
        suffix = "" if a.assignee else "（尚未指定经办人）"
        for email in recipients:
            out[email].append(f"- {a.tracking_code}（{a.org.display_name}）{a.info_title}：{line}{suffix}")
    _remedy_lines(out, today=today, horizon=horizon)
    return dict(out)


def _remedy_lines(out: dict[str, list[str]], *, today: dt.date, horizon: dt.date) -> None:
    """复议答复 / 诉讼答辩 deadlines (行政复议法第四十八条, 行政诉讼法第六十七条): to the linked application's
    assignee, else to the organisation's clerks and 公开办管理员."""
    items = remedy_answers_due(RemedyCase.objects.all(), today=today, horizon=horizon)
    handlers = org_handlers({i.case.org_id for i in items})
    for item in items:
        case = item.case
        assignee = case.application.assignee if case.application else None
        state = "已逾期" if item.overdue else "即将到期"
        line = f"{state}：「{item.what}」期限为 {item.due.isoformat()}"
        name = f"{case.get_kind_display()} {case.case_number}".strip()
        link = f"，关联申请 {case.application.tracking_code}" if case.application else ""
        recipients = [assignee.email] if assignee and assignee.email else handlers.get(case.org_id, [])
        for email in recipients:
            out[email].append(f"- {name}（{case.org.display_name}{link}）：{line}")
