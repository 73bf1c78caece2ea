"""The handling staff's inbox (收件箱): what needs doing now, in buckets, over the applications the user sees.

Scoped like the list (``selectors.applications_for``: the organisations the user reaches, and those whose
政府信息公开工作机构 it is). The due buckets reuse the deadline dashboard's summary
(``selectors.due_soon_and_overdue``) and the remedy buckets its 复议答复/诉讼答辩 deadlines
(``clocks/remedy.py``), so the inbox, the dashboard and the reminders never disagree on a date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from .clocks import EventKind
from .models import Application, ApplicationEvent, RemedyCase
from .selectors import DUE_SOON_WORKDAYS, DueSummary, applications_for, due_soon_and_overdue
from .states import Status

INBOX_LIMIT = 50  # rows listed per bucket (the count is always complete)


@dataclass(frozen=True)
class InboxRow:
    application: Application | None
    what: str
    due: dt.date | None
    overdue: bool = False
    case: RemedyCase | None = None
    provisional: bool = False  # the date is provisional (a year's holiday arrangement not loaded): （暂定）

    @classmethod
    def of(cls, a: Application, what: str, due: dt.date | None, today: dt.date | None = None) -> InboxRow:
        """An application's row due on ``due``; overdue when ``today`` is given and ``due`` is before it."""
        overdue = bool(today and due and due < today)
        return cls(a, what, due, overdue, provisional=a.deadline_provisional)


@dataclass(frozen=True)
class Bucket:
    key: str  # the page anchor
    label: str
    hint: str
    count: int
    rows: list[InboxRow]
    list_query: str = ""  # the application list filtered to the same applications ("" when it has no filter)


def _new(user: Any, limit: int) -> Bucket:
    qs = applications_for(user, status=Status.REGISTERED).order_by("received_on", "id")
    rows = [
        InboxRow.of(a, f"{a.received_on:%Y-%m-%d}收到（{a.get_channel_display()}） · 答复期限", a.reply_due)
        for a in qs[:limit]
    ]
    hint = "已收到、尚未开始办理的申请：请指定经办人或告知补正，答复期限自收到申请之日起计算（第三十一条、第三十三条）。"
    return Bucket("new", "新收", hint, qs.count(), rows, f"status={Status.REGISTERED}")


def _unassigned(user: Any, limit: int) -> Bucket:
    qs = applications_for(user, status="open").filter(assignee__isnull=True).order_by("reply_due", "id")
    rows = [InboxRow.of(a, "答复期限", a.reply_due) for a in qs[:limit]]
    hint = (
        "未办结且没有经办人的申请：请指定经办人（未指定时，期限提醒发给办理机构的全部经办人和公开办管理员）。"
    )
    return Bucket("unassigned", "未指定经办人", hint, qs.count(), rows)


def _correction(user: Any, limit: int, today: dt.date) -> Bucket:
    qs = applications_for(user, status=Status.AWAITING_CORRECTION).order_by("correction_until", "id")
    rows = [InboxRow.of(a, "补正期限", a.correction_until, today) for a in qs[:limit]]
    hint = "已告知补正、等待申请人补正的申请；答复期限自收到补正之日起重新计算（第三十条）。"
    return Bucket("correction", "待补正", hint, qs.count(), rows, f"status={Status.AWAITING_CORRECTION}")


def corrected_online(user: Any) -> Any:
    """The applications in 办理中 whose last event is the applicant's online 补正: no one has acted on them since
    (any step, assignment or 备注 adds a later event and takes the application out)."""
    events = ApplicationEvent.objects.filter(application=OuterRef("pk")).order_by("-id")
    online = ApplicationEvent.objects.filter(
        pk=OuterRef("last_event"), kind=EventKind.CORRECTION_RECEIVED, data__online=True
    )
    return (
        applications_for(user, status=Status.IN_PROGRESS)
        .annotate(last_event=Subquery(events.values("pk")[:1]))
        .filter(Exists(online))
    )


def _corrected(user: Any, limit: int, today: dt.date) -> Bucket:
    qs = corrected_online(user).order_by("reply_due", "id")
    rows = [InboxRow.of(a, "申请人已在线补正 · 答复期限", a.reply_due, today) for a in qs[:limit]]
    hint = (
        "申请人已通过查询页面在线提交补正、尚未处理的申请：请查看补正内容和材料后继续办理"
        "（办理任一步骤或添加备注后移出本栏）；答复期限自收到补正之日起重新计算（第三十条）。"
    )
    return Bucket("corrected", "申请人已补正，待处理", hint, qs.count(), rows)


def inbox(
    user: Any,
    *,
    today: dt.date | None = None,
    within: int = DUE_SOON_WORKDAYS,
    limit: int = INBOX_LIMIT,
    due: DueSummary | None = None,
) -> list[Bucket]:
    """The seven buckets: 新收, 未指定经办人, 待补正, 申请人已补正，待处理, 即将到期, 已逾期, 复议/诉讼答复将到期 (``due``: a summary the
    caller already has for the same user and day)."""
    today = today or timezone.localdate()
    due = due or due_soon_and_overdue(user, today=today, within=within)
    soon = [InboxRow(i.application, i.what, i.due, provisional=i.provisional) for i in due.due_soon]
    late = [InboxRow(i.application, i.what, i.due, True, provisional=i.provisional) for i in due.overdue]
    remedy = [
        InboxRow(i.case.application, i.what, i.due, i.overdue, i.case, i.provisional)
        for i in due.remedy_answers
    ]
    return [
        _new(user, limit),
        _unassigned(user, limit),
        _correction(user, limit, today),
        _corrected(user, limit, today),
        Bucket(
            "due-soon",
            "即将到期",
            f"答复期限在{within}个工作日内届满的申请（第三十三条）。",
            len(soon),
            soon[:limit],
        ),
        Bucket(
            "overdue", "已逾期", "答复期限已过，或缴费、补正期限已过待处理的申请。", len(late), late[:limit]
        ),
        Bucket(
            "remedy",
            "复议/诉讼答复将到期",
            "复议：收到申请书副本之日起10个工作日内书面答复（行政复议法第四十八条、第八十八条第二款）；"
            "诉讼：收到起诉状副本之日起15日内提交答辩状（行政诉讼法第六十七条）。",
            len(remedy),
            remedy[:limit],
        ),
    ]
