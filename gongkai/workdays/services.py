"""Every write to the calendar: previewing and loading a year's arrangement, each change audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.core.actors import Actor, acting_user, is_system
from gongkai.core.models import AuditAction
from gongkai.core.queries import singleton_for_update
from gongkai.core.services import audit_record, diff, snapshot
from gongkai.orgs.permissions import is_system_admin

from .arithmetic import invalidate
from .arrangements import Arrangement
from .explain import fmt_date
from .models import CalendarRevision, CalendarYear, DayKind, DayOverride, YearOrigin
from .registry import CalendarChange, RecomputeResult, recompute_open_deadlines

OVERRIDE_FIELDS = ("date", "kind", "name", "source", "arrangement")
YEAR_FIELDS = ("year", "source", "origin")
# 《全国年节及纪念日放假办法》(2024修订) 第七条: from 2025, at most 6 consecutive working days around a holiday.
MAX_CONSECUTIVE_WORKDAYS = 6
CONSECUTIVE_RULE_FROM = 2025

KIND_LABEL = dict(DayKind.choices)


@dataclass(frozen=True)
class DayChange:
    """One day of the plan: added, changed or removed (``old``/``new`` are (kind, name, source))."""

    date: dt.date
    old: tuple[str, str, str] | None
    new: tuple[str, str, str] | None

    @property
    def flips(self) -> bool:
        """Does the day switch between working and non-working?"""

        def working(state: tuple[str, str, str] | None) -> bool:
            if state is None:
                return self.date.weekday() < 5
            return state[0] == DayKind.MAKEUP

        return working(self.old) != working(self.new)

    def describe(self) -> str:
        def label(state: tuple[str, str, str] | None) -> str:
            if state is None:
                return "普通日（周一至周五上班、周末休息）"
            return f"{KIND_LABEL[state[0]]}（{state[1]}）"

        if self.old is None:
            return f"新增：{fmt_date(self.date)} {label(self.new)}"
        if self.new is None:
            return f"删除：{fmt_date(self.date)} {label(self.old)}，恢复为{label(None)}"
        return f"修改：{fmt_date(self.date)} 由{label(self.old)}改为{label(self.new)}"


@dataclass(frozen=True)
class Plan:
    """What loading an arrangement would change; shown to staff before they confirm."""

    arrangement: Arrangement
    reload: bool  # the year is already loaded: its days are replaced by the file's
    old_source: str
    added: tuple[DayChange, ...]
    changed: tuple[DayChange, ...]
    removed: tuple[DayChange, ...]
    unchanged: int
    kept: tuple[str, ...]  # days another year's arrangement already fixed the same way
    workdays_before: dict[int, int]
    workdays_after: dict[int, int]
    warnings: tuple[str, ...]

    @property
    def changes(self) -> tuple[DayChange, ...]:
        return tuple(sorted(self.added + self.changed + self.removed, key=lambda c: c.date))

    @property
    def source_changed(self) -> bool:
        return self.reload and self.old_source != self.arrangement.source

    @property
    def has_changes(self) -> bool:
        return bool(self.changes) or not self.reload or self.source_changed

    @property
    def flipped_dates(self) -> frozenset[dt.date]:
        return frozenset(c.date for c in self.changes if c.flips)

    @property
    def fingerprint(self) -> str:
        body = json.dumps(
            [
                self.arrangement.year,
                self.arrangement.source,
                self.reload,
                [[c.date.isoformat(), c.old, c.new] for c in self.changes],
            ],
            ensure_ascii=False,
        )
        return hashlib.sha256(body.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class LoadResult:
    plan: Plan
    created: int
    updated: int
    deleted: int
    recomputed: tuple[RecomputeResult, ...] = field(default=())

    def summary(self) -> str:
        year = self.plan.arrangement.year
        if not self.plan.has_changes:
            return f"{year}年的安排与系统中已有的完全一致，未作任何更改。"
        text = f"已载入{year}年节假日安排：新增 {self.created} 天，修改 {self.updated} 天，删除 {self.deleted} 天。"
        if self.plan.source_changed:
            text += f"依据已更新为：{self.plan.arrangement.source}。"
        for r in self.recomputed:
            text += f"已重新计算「{r.source}」的未结期限 {r.examined} 个，其中 {r.changed} 个发生变化。"
        return text


def _state(o: DayOverride) -> tuple[str, str, str]:
    return (o.kind, o.name, o.source)


def _year_count(overrides: dict[dt.date, str], year: int) -> int:
    count = 0
    day, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    while day <= last:
        kind = overrides.get(day)
        count += kind == DayKind.MAKEUP if kind else day.weekday() < 5
        day += dt.timedelta(days=1)
    return count


def _long_runs(overrides: dict[dt.date, str], year: int) -> list[tuple[dt.date, dt.date]]:
    """Runs of more than MAX_CONSECUTIVE_WORKDAYS working days that include a make-up day."""
    runs: list[tuple[dt.date, dt.date]] = []
    day, last = dt.date(year, 1, 1) - dt.timedelta(days=7), dt.date(year, 12, 31) + dt.timedelta(days=7)
    run: list[dt.date] = []
    while day <= last:
        kind = overrides.get(day)
        if (kind == DayKind.MAKEUP) if kind else day.weekday() < 5:
            run.append(day)
        else:
            if len(run) > MAX_CONSECUTIVE_WORKDAYS and any(overrides.get(d) == DayKind.MAKEUP for d in run):
                runs.append((run[0], run[-1]))
            run = []
        day += dt.timedelta(days=1)
    return [r for r in runs if r[0].year == year or r[1].year == year]


def arrangement_plan(*, arrangement: Arrangement) -> Plan:
    """Compare an arrangement with the calendar; raise ValidationError if it contradicts another year.

    A year's file replaces that year's days (reloading corrects a year, e.g. the 2020 extension
    of 春节). A date another year's notice already fixed must agree with it; if it does, the day
    is kept as it is.
    """
    year = arrangement.year
    existing_year = CalendarYear.objects.filter(year=year).first()
    dates = [d.date for d in arrangement.days]
    current = {o.date: o for o in DayOverride.objects.filter(date__in=dates).select_related("arrangement")}
    owned = {o.date: o for o in DayOverride.objects.filter(arrangement__year=year)}
    problems: list[str] = []
    added: list[DayChange] = []
    changed: list[DayChange] = []
    kept: list[str] = []
    unchanged = 0
    for day in arrangement.days:
        new = (day.kind, day.name, day.source)
        other = current.get(day.date)
        if other is not None and other.arrangement.year != year:
            if other.kind != day.kind:
                problems.append(
                    f"{fmt_date(day.date)}已按{other.arrangement.year}年的安排记为{KIND_LABEL[other.kind]}（{other.name}），"
                    f"本文件却记为{KIND_LABEL[day.kind]}（{day.name}），两者矛盾。如确需更改，请先重新载入"
                    f"{other.arrangement.year}年的安排。"
                )
            else:
                kept.append(
                    f"{fmt_date(day.date)} {KIND_LABEL[day.kind]}（已由{other.arrangement.year}年的安排载入，保持不变）"
                )
            continue
        old = owned.get(day.date)
        if old is None:
            added.append(DayChange(day.date, None, new))
        elif _state(old) != new:
            changed.append(DayChange(day.date, _state(old), new))
        else:
            unchanged += 1
    if problems:
        raise ValidationError(problems)
    in_file = set(dates)
    removed = [DayChange(d, _state(o), None) for d, o in sorted(owned.items()) if d not in in_file]

    # Working-day counts before and after, for the years the file touches.
    years = sorted({d.year for d in dates} | {year})
    before_map = {o.date: o.kind for o in DayOverride.objects.filter(date__year__in=years)}
    after_map = dict(before_map)
    for c in (*added, *changed):
        assert c.new is not None
        after_map[c.date] = c.new[0]
    for c in removed:
        after_map.pop(c.date, None)
    warnings: list[str] = []
    if year >= CONSECUTIVE_RULE_FROM:
        for first, last in _long_runs(after_map, year):
            warnings.append(
                f"{fmt_date(first)}至{fmt_date(last)}连续上班 {(last - first).days + 1} 天，超过"
                f"《全国年节及纪念日放假办法》第七条“原则上不超过 6 天”的规定，请核对通知原文。"
            )
    if existing_year is None and year - 1 not in set(CalendarYear.objects.values_list("year", flat=True)):
        warnings.append(f"{year - 1}年的安排尚未载入；两个年度之间的期限仍按周末推算并标记为暂定。")
    return Plan(
        arrangement=arrangement,
        reload=existing_year is not None,
        old_source=existing_year.source if existing_year else "",
        added=tuple(added),
        changed=tuple(changed),
        removed=tuple(removed),
        unchanged=unchanged,
        kept=tuple(kept),
        workdays_before={y: _year_count(before_map, y) for y in years},
        workdays_after={y: _year_count(after_map, y) for y in years},
        warnings=tuple(warnings),
    )


def _lock_revision() -> CalendarRevision:
    """Serialise calendar writes (PostgreSQL row lock; SQLite's IMMEDIATE transactions already do)."""
    return singleton_for_update(CalendarRevision, token=uuid.uuid4().hex, changed_at=timezone.now())


@transaction.atomic
def arrangement_load(
    *,
    actor: Actor,
    arrangement: Arrangement,
    expected_fingerprint: str | None = None,
    origin: YearOrigin = YearOrigin.STAFF,
) -> LoadResult:
    """Load (or reload) one year's 节假日安排 and recompute every open deadline.

    Only a system administrator may do this (or a ``SystemActor``: the CLI, the package seed).
    ``expected_fingerprint`` is the preview's; if the calendar changed since, nothing is loaded.
    Each added, changed or removed day gets an audit row, and the year one more; then every
    registered deadline source recomputes its open deadlines in this transaction.
    """
    if not is_system(actor) and not is_system_admin(actor):
        raise PermissionDenied("只有系统管理员可以载入节假日安排。")
    revision = _lock_revision()
    plan = arrangement_plan(arrangement=arrangement)
    if expected_fingerprint is not None and expected_fingerprint != plan.fingerprint:
        raise ValidationError("预览之后日历已被他人修改，本次未载入。请重新上传文件并核对预览。")
    if not plan.has_changes:
        return LoadResult(plan=plan, created=0, updated=0, deleted=0)

    year_row = CalendarYear.objects.select_for_update().filter(year=arrangement.year).first()
    before = snapshot(year_row, YEAR_FIELDS) if year_row else {}
    if year_row is None:
        year_row = CalendarYear(year=arrangement.year)
    year_row.source = arrangement.source
    year_row.origin = origin
    year_row.loaded_at = timezone.now()
    year_row.loaded_by = acting_user(actor)
    year_row.full_clean()
    year_row.save()

    by_date = {d.date: d for d in arrangement.days}
    for change in plan.removed:
        gone = DayOverride.objects.get(date=change.date)
        record = snapshot(gone, OVERRIDE_FIELDS)
        pk, text = gone.pk, str(gone)
        gone.delete()
        audit_record(
            actor=actor, action=AuditAction.DELETE, object_type="workdays.dayoverride",
            object_id=str(pk), object_repr=text, changes=record,
        )  # fmt: skip
    for change in plan.changed:
        row = DayOverride.objects.get(date=change.date)
        old = snapshot(row, OVERRIDE_FIELDS)
        day = by_date[change.date]
        row.kind, row.name, row.source = day.kind, day.name, day.source
        row.full_clean()
        row.save()
        audit_record(
            actor=actor, action=AuditAction.UPDATE, obj=row, changes=diff(old, snapshot(row, OVERRIDE_FIELDS))
        )
    for change in plan.added:
        day = by_date[change.date]
        row = DayOverride(
            date=day.date, kind=day.kind, name=day.name, source=day.source, arrangement=year_row
        )
        row.full_clean()
        row.save()
        audit_record(actor=actor, action=AuditAction.CREATE, obj=row, changes=snapshot(row, OVERRIDE_FIELDS))

    revision.token = uuid.uuid4().hex
    revision.changed_at = timezone.now()
    revision.save()
    invalidate()  # the deadline sources below must see the new calendar
    transaction.on_commit(invalidate)

    change_set = CalendarChange(years=(arrangement.year,), changed_dates=plan.flipped_dates, actor=actor)
    try:
        recomputed = recompute_open_deadlines(change_set)
    except BaseException:
        invalidate()  # the sources may have cached the uncommitted calendar; this load is rolled back
        raise
    result = LoadResult(
        plan=plan,
        created=len(plan.added),
        updated=len(plan.changed),
        deleted=len(plan.removed),
        recomputed=tuple(recomputed),
    )
    changes: dict[str, Any] = diff(before, snapshot(year_row, YEAR_FIELDS))
    changes["summary"] = {
        "added": result.created,
        "changed": result.updated,
        "removed": result.deleted,
        "workdays": {str(y): [plan.workdays_before[y], plan.workdays_after[y]] for y in plan.workdays_after},
        "recomputed": [[r.source, r.examined, r.changed] for r in recomputed],
    }
    audit_record(actor=actor, action=AuditAction.IMPORT, obj=year_row, changes=changes)
    return result


def seed_from_package(*, actor: Actor, years: Iterable[int] | None = None) -> list[LoadResult]:
    """Load years from the installed `chinesecalendar` package (idempotent: unchanged years are skipped)."""
    from .seed import package_arrangements, package_years

    available = package_years()
    wanted = sorted(set(years)) if years is not None else available
    missing = [y for y in wanted if y not in available]
    if missing:
        raise ValidationError(
            f"随系统安装的节假日数据包（chinesecalendar）没有{'、'.join(map(str, missing))}年的数据"
            f"（只有{available[0]}年至{available[-1]}年），请升级软件包或上传安排文件。"
        )
    arrangements = package_arrangements(min(wanted), max(wanted))
    with transaction.atomic():
        return [
            arrangement_load(actor=actor, arrangement=arrangements[y], origin=YearOrigin.PACKAGE)
            for y in wanted
            if y in arrangements
        ]
