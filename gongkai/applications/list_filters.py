"""The staff application list: its filters (机关, 收到日期, 状态, 逾期, 期限暂定) and its Excel export of the same rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from gongkai.core.exports import write_xlsx
from gongkai.core.forms import DateInput, PlainSelect
from gongkai.orgs.permissions import Action, application_orgs_where

from .models import Application
from .selectors import applications_for, overdue_q
from .states import Status

OVERDUE_BADGE = "已逾期"
EXPORT_LIMIT = 10000  # rows in one export; more must be narrowed by the filters first
EXPORT_HEADER = (
    "申请编号",
    "办理机关",
    "申请人",
    "所需信息名称",
    "收到申请日期",
    "答复期限",
    "状态",
    "办理结果",
    "是否逾期",
)


class ApplicationListFilter(forms.Form):
    """The list's filters; the 机关 choices are the organisations the user may view, nothing more."""

    org = forms.ChoiceField(label="办理机关", required=False, widget=PlainSelect)
    status = forms.ChoiceField(label="状态", required=False, widget=PlainSelect)
    received_from = forms.DateField(label="收到日期自", required=False, widget=DateInput())
    received_to = forms.DateField(label="收到日期至", required=False, widget=DateInput())
    overdue = forms.BooleanField(label="只看已逾期", required=False)
    provisional = forms.BooleanField(label="只看期限暂定", required=False)
    q = forms.CharField(label="编号或信息名称", required=False, max_length=100)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        orgs = application_orgs_where(user, Action.VIEW).order_by("path").values_list("code", "name")
        cast(forms.ChoiceField, self.fields["org"]).choices = [("", "全部机关"), *orgs]
        cast(forms.ChoiceField, self.fields["status"]).choices = [
            ("", "全部"),
            ("open", "未办结"),
            *Status.choices,
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and start > end:
            raise ValidationError("收到日期的起始日不能晚于截止日。")
        return data

    def queryset(self, *, today: dt.date) -> QuerySet[Application]:
        """The rows the filters select (all of the user's rows while the filters are invalid)."""
        data = self.cleaned_data if self.is_valid() else {}
        rows = applications_for(
            self.user,
            status=data.get("status", ""),
            org_code=data.get("org", ""),
            q=(data.get("q") or "").strip(),
            received_from=data.get("received_from"),
            received_to=data.get("received_to"),
            overdue_on=today if data.get("overdue") else None,
        )
        # 暂定: the deadline reaches a year whose holiday arrangement is not loaded (provisional.py)
        return rows.filter(deadline_provisional=True) if data.get("provisional") else rows


def overdue_ids(applications: Iterable[Application], *, today: dt.date) -> set[int]:
    """The ids among ``applications`` overdue on ``today`` (one query for a page of rows)."""
    ids = [a.pk for a in applications]
    return set(Application.objects.filter(overdue_q(today), pk__in=ids).values_list("pk", flat=True))


def export_rows(rows: Sequence[tuple[Application, str]], *, overdue: set[int]) -> bytes:
    """The filtered list as an XLSX, through the safe writer: ``rows`` pairs an application with the
    applicant's name as the user may see it."""
    return write_xlsx(
        [
            (
                "申请列表",
                EXPORT_HEADER,
                (
                    (
                        a.tracking_code,
                        a.org.display_name,
                        name,
                        a.info_title,
                        a.received_on,
                        a.reply_due if a.is_open else None,
                        a.get_status_display(),
                        a.outcome_display,
                        OVERDUE_BADGE if a.pk in overdue else "",
                    )
                    for a, name in rows
                ),
            )
        ]
    )
