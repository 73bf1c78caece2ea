"""When an organisation must publish its annual report: 条例第四十九条, or a local rule where the 条例 is silent.

第四十九条 sets two dates only: 县级以上人民政府部门 by 1月31日 (第一款) and 县级以上地方人民政府 by 3月31日
(第二款, published by its 主管部门). Townships and streets (乡级) and 派出机构 are not named; their date is set
by local rules. So the deadline is resolved in this order, stated once here:

1. reports on 2008–2018: 2008年《条例》第三十一条, every agency by 3月31日 (local rules are ignored);
2. the organisation's own override (``Organisation.report_deadline`` + ``report_deadline_basis``, edited in
   机构管理 by MANAGE and audited);
3. the deployment's rule for the organisation's deadline group (setting ``GONGKAI_REPORT_DEADLINES``:
   ``{"township": ["03-31", "《……》"], ...}``; from the environment as the same JSON);
4. 第四十九条 for the two groups it names; otherwise the date used before local rules were configurable
   (人民政府 3月31日, any other kind 1月31日), shown as 「参照第四十九条」 (by analogy, no local rule configured).

A local date can make a 第四十九条 deadline earlier (e.g. a city's internal deadline), never later: for the two
statutory groups the earlier of the two dates applies. "1月31日前" is read as "by the end of 1月31日": a
report published on the day is on time. The 条例 does not define it (docs/legal-basis.md §4.3 item 9,
unverified); this is the interpretation the checks used before and keep.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

STATUTE = "第四十九条"
LOCAL = "本地规定"
BY_ANALOGY = "参照第四十九条"
STATUTE_2008 = "2008年《条例》第三十一条"


class DeadlineGroup(models.TextChoices):
    """Which rule sets an organisation's deadline (from its 类型 and 层级)."""

    GOVERNMENT = "government", "县级以上地方人民政府"
    DEPARTMENT = "department", "县级以上人民政府部门"
    TOWNSHIP = "township", "乡级机构（乡镇、街道）"
    AGENCY = "agency", "派出机构"
    OTHER = "other", "其他机构"


# (month, day, citation) for the groups 第四十九条 names.
STATUTORY: dict[str, tuple[int, int, str]] = {
    DeadlineGroup.DEPARTMENT: (1, 31, "第四十九条第一款"),
    DeadlineGroup.GOVERNMENT: (3, 31, "第四十九条第二款"),
}

_MONTH_DAY = re.compile(r"^(\d{2})-(\d{2})$")


def parse_month_day(value: str) -> tuple[int, int] | None:
    """``"03-31"`` → (3, 31); None if not a real day of a common year (2月29日 is refused)."""
    match = _MONTH_DAY.match(value.strip())
    if not match:
        return None
    month, day = int(match.group(1)), int(match.group(2))
    try:
        date(2001, month, day)
    except ValueError:
        return None
    return month, day


def deadline_group(kind: str | None, level: str | None) -> str:
    """The group of an organisation: 乡级 first (whatever its kind), then by kind."""
    if level == "township":
        return DeadlineGroup.TOWNSHIP
    if kind in (DeadlineGroup.GOVERNMENT, DeadlineGroup.DEPARTMENT, DeadlineGroup.AGENCY):
        return str(kind)
    return DeadlineGroup.OTHER


def _analogy_date(kind: str | None) -> tuple[int, int]:
    """The date used for groups 第四十九条 does not name when no local rule is configured (as before)."""
    return (3, 31) if kind in (None, "government") else (1, 31)


def configured_rules() -> dict[str, tuple[int, int, str]]:
    """The deployment's local rules by group, validated (``GONGKAI_REPORT_DEADLINES``)."""
    raw: Any = getattr(settings, "GONGKAI_REPORT_DEADLINES", None) or {}
    if not isinstance(raw, dict):
        raise ImproperlyConfigured('GONGKAI_REPORT_DEADLINES must be a dict: group → ["MM-DD", basis]')
    rules: dict[str, tuple[int, int, str]] = {}
    for group, value in raw.items():
        if group not in DeadlineGroup.values:
            raise ImproperlyConfigured(f"GONGKAI_REPORT_DEADLINES: unknown group {group!r}")
        if not (isinstance(value, (list, tuple)) and len(value) == 2 and str(value[1]).strip()):
            raise ImproperlyConfigured(f'GONGKAI_REPORT_DEADLINES[{group!r}] must be ["MM-DD", basis]')
        parsed = parse_month_day(str(value[0]))
        if parsed is None:
            raise ImproperlyConfigured(f"GONGKAI_REPORT_DEADLINES[{group!r}]: {value[0]!r} is not MM-DD")
        rules[group] = (*parsed, str(value[1]).strip())
    return rules


@dataclass(frozen=True)
class ReportDeadline:
    """The last day (inclusive) to publish the report on ``year``, and where that date comes from."""

    year: int
    due: date
    source: str  # STATUTE, LOCAL, BY_ANALOGY or STATUTE_2008: shown as is
    basis: str  # the citation or the local rule's name
    group_label: str

    @property
    def source_text(self) -> str:
        """「第四十九条第一款」, 「本地规定：《……》」, 「参照第四十九条（未配置本地规定）」…"""
        if self.source == LOCAL:
            return f"{LOCAL}：{self.basis}"
        if self.source == BY_ANALOGY:
            return f"{BY_ANALOGY}（未配置本地规定）"
        return self.basis

    @property
    def due_text(self) -> str:
        return f"{self.due.year}年{self.due.month}月{self.due.day}日"


def report_deadline(
    year: int,
    *,
    kind: str | None,
    level: str | None = None,
    override: str = "",
    override_basis: str = "",
) -> ReportDeadline:
    """The deadline for the report on ``year`` of an organisation of ``kind``/``level`` (see the module doc)."""
    if year < 2019:
        return ReportDeadline(year, date(year + 1, 3, 31), STATUTE_2008, STATUTE_2008, "各行政机关")
    if kind is None:  # unknown kind (e.g. an imported report): the later date, never a false "late"
        return ReportDeadline(
            year, date(year + 1, 3, 31), STATUTE, "第四十九条第二款", "类型未知的机构（按人民政府）"
        )
    group = deadline_group(kind, level)
    label = DeadlineGroup(group).label
    local: tuple[int, int, str] | None = None
    if override and (parsed := parse_month_day(override)):
        local = (*parsed, override_basis.strip() or "本机构设置")
    else:
        local = configured_rules().get(group)
    statutory = STATUTORY.get(group)
    if statutory is not None:
        statutory_due = date(year + 1, statutory[0], statutory[1])
        if local is not None and date(year + 1, local[0], local[1]) < statutory_due:
            return ReportDeadline(year, date(year + 1, local[0], local[1]), LOCAL, local[2], label)
        return ReportDeadline(year, statutory_due, STATUTE, statutory[2], label)
    if local is not None:
        return ReportDeadline(year, date(year + 1, local[0], local[1]), LOCAL, local[2], label)
    month, day = _analogy_date(kind)
    return ReportDeadline(year, date(year + 1, month, day), BY_ANALOGY, BY_ANALOGY, label)


def org_report_deadline(org: Any, year: int) -> ReportDeadline:
    """The deadline of an ``Organisation`` (its kind, level and override)."""
    return report_deadline(
        year,
        kind=org.kind,
        level=org.level,
        override=org.report_deadline,
        override_basis=org.report_deadline_basis,
    )


def override_error(value: str, basis: str, kind: str | None, level: str | None) -> dict[str, str]:
    """Why an organisation's override is refused (field → message), or {} when it is acceptable."""
    if not value:
        return {"report_deadline_basis": "未设置本地期限时无需填写依据。"} if basis.strip() else {}
    parsed = parse_month_day(value)
    if parsed is None:
        return {"report_deadline": "请按“月-日”填写，例如 02-28（不能为2月29日）。"}
    if not basis.strip():
        return {"report_deadline_basis": "请填写规定该期限的本地规定名称。"}
    statutory = STATUTORY.get(deadline_group(kind, level))
    if statutory is not None and parsed > statutory[:2]:
        return {
            "report_deadline": f"本机构适用{statutory[2]}（每年{statutory[0]}月{statutory[1]}日前），"
            "本地期限只能提前，不能推后。"
        }
    return {}
