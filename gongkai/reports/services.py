"""Writes of the reports app: 表二 figures (form and XLSX/CSV import) and the report version workflow."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.core.documents import sanitise_html
from gongkai.core.models import AuditAction, AuditEntry
from gongkai.core.services import audit_record, snapshot
from gongkai.core.tables import TableFileError, read_sheet
from gongkai.orgs.duties import refuse_own_work
from gongkai.orgs.models import Organisation

from . import permissions
from .definitions import FORMATS, SECTION_NUMBERS, Table2Column, format_for_year
from .models import ALLOWED_TRANSITIONS, Report, ReportStatus, Scope, Table2Figure

FIGURE_COLUMNS = ("年度", "项目", "指标", "数值")


def _require(allowed: Any, actor: Any, org: Organisation, what: str) -> None:
    """Staff actors need the role (permissions.py); ``actor=None`` is the system (CLI, demo, imports)."""
    if actor is not None and not allowed(actor, org):
        raise PermissionDenied(f"您无权{what}（{org.name}）。")


FIGURE_FIELDS = ("value", "text", "source")


# --- 表二 figures ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FigureCell:
    item: str
    row: str
    column: Table2Column


def resolve_figure(year: int, project: str, indicator: str) -> FigureCell:
    """Find the 表二 cell named by 项目 (row label, or "第二十条第（x）项/row") and 指标 in ``year``'s format."""
    fmt = format_for_year(year)
    spec = FORMATS.get(fmt)
    if spec is None:
        raise ValidationError(f"{year}年度的报告（2019年以前）没有统一的表二，无法填报。")
    item_hint, _, row = project.strip().rpartition("/")
    for block in spec.table2_layout.blocks:
        if row in block.rows and (not item_hint or item_hint == block.item):
            for column in block.columns:
                if column.label == indicator.strip():
                    return FigureCell(block.item, row, column)
            labels = "、".join(c.label for c in block.columns)
            raise ValidationError(f"“{row}”没有指标“{indicator}”；{fmt}年格式的指标为：{labels}。")
    rows = "、".join(r for b in spec.table2_layout.blocks for r in b.rows)
    raise ValidationError(f"{fmt}年格式的表二没有项目“{project}”；项目应为：{rows}。")


def parse_figure_value(cell: FigureCell, raw: Any) -> tuple[Decimal | None, str]:
    """(value, text) for a raw input: counts are non-negative whole numbers, 本年增/减 may be negative,
    amounts may be decimal or text carrying a unit ("101647022.75元")."""
    if isinstance(raw, int | float | Decimal) and not isinstance(raw, bool):
        text = str(raw)
    else:
        text = str(raw or "").strip().replace(",", "").replace("，", "")
    if not text:
        raise ValidationError("数值不能为空。")
    try:
        value = Decimal(text)
    except InvalidOperation:
        if cell.column.kind == "amount" and re.fullmatch(r"-?\d+(\.\d+)?\s*(元|万元|亿元)", text):
            return None, text
        raise ValidationError(f"“{text}”不是数字。") from None
    if cell.column.kind != "amount" and value != value.to_integral_value():
        raise ValidationError(f"“{cell.column.label}”应为整数，不能是{text}。")
    if cell.column.kind != "delta" and value < 0:
        raise ValidationError(f"“{cell.column.label}”不能为负数。")
    return value, ""


@transaction.atomic
def figure_set(
    *,
    actor: Any,
    org: Organisation,
    year: int,
    project: str,
    indicator: str,
    value: Any,
    source: str,
) -> Table2Figure:
    """Enter (or correct) one 表二 figure for an organisation-year; figures are entered once, with a source."""
    _require(permissions.can_edit, actor, org, "填报表二数据")
    cell = resolve_figure(year, project, indicator)
    number, text = parse_figure_value(cell, value)
    if not source.strip():
        raise ValidationError("请填写数据来源。")
    figure = Table2Figure.objects.filter(
        org=org, year=year, item=cell.item, row=cell.row, column=cell.column.label
    ).first()
    before = snapshot(figure, FIGURE_FIELDS) if figure else {}
    if figure is None:
        figure = Table2Figure(org=org, year=year, item=cell.item, row=cell.row, column=cell.column.label)
    figure.value, figure.text, figure.source = number, text, source.strip()
    figure.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    figure.full_clean()
    figure.save()
    after = snapshot(figure, FIGURE_FIELDS)
    if before != after:
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE if before else AuditAction.CREATE,
            obj=figure,
            org=org,
            changes={k: [before.get(k), after[k]] for k in after if before.get(k) != after[k]},
        )
    return figure


@dataclass
class FiguresResult:
    """Outcome of a figures import: rows accepted, and every bad row (row number, column, reason)."""

    imported: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


@transaction.atomic
def import_figures(
    *,
    actor: Any,
    org: Organisation,
    data: bytes,
    filename: str,
    dry_run: bool = False,
    sheet: str | None = None,
    default_source: str = "",
) -> FiguresResult:
    """Import 表二 figures (columns 年度,项目,指标,数值[,来源]); all-or-nothing, every bad row reported."""
    _require(permissions.can_edit, actor, org, "导入表二数据")
    result = FiguresResult(dry_run=dry_run)
    try:
        rows = read_sheet(data, filename, sheet=sheet)
    except TableFileError as exc:
        result.errors.append((0, "", str(exc)))
        return result
    rows = [r for r in rows if any(c not in (None, "") for c in r)]
    if not rows:
        result.errors.append((0, "", "文件为空。"))
        return result
    header = [str(c or "").strip() for c in rows[0]]
    missing = [c for c in FIGURE_COLUMNS if c not in header]
    if missing:
        result.errors.append(
            (1, "、".join(missing), f"缺少列：{'、'.join(missing)}；应为 年度,项目,指标,数值[,来源]。")
        )
        return result
    index = {name: header.index(name) for name in (*FIGURE_COLUMNS, "来源") if name in header}
    default_source = default_source or f"导入：{filename}"
    seen: set[tuple[int, str, str, str]] = set()
    parsed: list[tuple[int, FigureCell, Any, str]] = []
    for number, row in enumerate(rows[1:], start=2):

        def get(name: str, row: list[Any] = row) -> Any:
            i = index.get(name)
            return row[i] if i is not None and i < len(row) else None

        try:
            year = int(str(get("年度")).strip().removesuffix("年"))
        except ValueError:
            result.errors.append((number, "年度", f"年度“{get('年度')}”不是年份。"))
            continue
        try:
            cell = resolve_figure(year, str(get("项目") or ""), str(get("指标") or ""))
        except ValidationError as exc:
            result.errors.append((number, "项目", "；".join(exc.messages)))
            continue
        try:
            parse_figure_value(cell, get("数值"))
        except ValidationError as exc:
            result.errors.append((number, "数值", "；".join(exc.messages)))
            continue
        key = (year, cell.item, cell.row, cell.column.label)
        if key in seen:
            result.errors.append((number, "指标", f"{year}年“{cell.row}·{cell.column.label}”重复。"))
            continue
        seen.add(key)
        source = str(get("来源") or "").strip() or default_source
        parsed.append((year, cell, get("数值"), source))
    if result.errors or dry_run:
        result.imported = 0 if result.errors else len(parsed)
        return result
    for year, cell, raw, source in parsed:
        figure_set(
            actor=actor,
            org=org,
            year=year,
            project=f"{cell.item}/{cell.row}",
            indicator=cell.column.label,
            value=raw,
            source=source,
        )
    result.imported = len(parsed)
    return result


# --- report workflow -----------------------------------------------------------------------------------

REPORT_FIELDS = ("status", "sections", "change_note", "published_on", "format", "scope")


def _transition(report: Report, *, to: str, actor: Any) -> None:
    """The one place a report's status changes (ALLOWED_TRANSITIONS), with its audit row."""
    if to not in ALLOWED_TRANSITIONS[report.status]:
        raise ValidationError(
            f"年度报告不能从“{ReportStatus(report.status).label}”变为“{ReportStatus(to).label}”。"
        )
    before = report.status
    report.status = to
    report.full_clean()
    report.save()
    audit_record(
        actor=actor,
        action=AuditAction.TRANSITION,
        obj=report,
        org=report.org,
        changes={"status": [before, to]},
    )


def _clean_sections(sections: dict[str, str]) -> dict[str, str]:
    unknown = set(sections) - set(SECTION_NUMBERS)
    if unknown:
        raise ValidationError(f"未知的部分：{'、'.join(sorted(unknown))}。")
    return {n: sanitise_html(sections.get(n, "")) for n in SECTION_NUMBERS}


@transaction.atomic
def report_create(
    *, actor: Any, org: Organisation, year: int, scope: str = Scope.SELF, fmt: str | None = None
) -> Report:
    """Start the draft of ``org``'s report on ``year`` (the first version; corrections use report_correct)."""
    _require(permissions.can_edit, actor, org, "起草年度报告")
    if Report.objects.filter(org=org, year=year).exists():
        raise ValidationError(f"{org}{year}年度报告已存在。")
    fmt = fmt or format_for_year(year)
    if fmt not in FORMATS:
        raise ValidationError(f"不支持的报告格式：{fmt}。")
    report = Report(
        org=org,
        year=year,
        scope=scope,
        format=fmt,
        sections={n: "" for n in SECTION_NUMBERS},
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    report.full_clean()
    report.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=report, org=org, changes={"year": [None, year]})
    return report


@transaction.atomic
def report_update_sections(*, actor: Any, report: Report, sections: dict[str, str]) -> Report:
    """Replace the narrative sections of a draft (sanitised rich text); other statuses are locked."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    _require(permissions.can_edit, actor, report.org, "修改年度报告")
    if report.status != ReportStatus.DRAFT:
        raise ValidationError("只有草稿可以修改；已提交的报告请先退回，已发布的报告请新建更正版本。")
    before = snapshot(report, ["sections"])
    report.sections = _clean_sections({**report.sections, **sections})
    report.full_clean()
    report.save()
    after = snapshot(report, ["sections"])
    if before != after:
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=report,
            org=report.org,
            changes={"sections": "修改正文"},
        )
    return report


def frozen_document(report: Report) -> dict[str, Any]:
    """The canonical document of a report version: its frozen data, or computed now for a draft."""
    from .compute import compute_report
    from .narrative import plain_sections

    if report.data is not None and report.status != ReportStatus.DRAFT:
        return report.data
    return compute_report(
        report.org,
        report.year,
        fmt=report.format,
        scope=report.scope,
        sections=plain_sections(report.sections),
    ).doc


@transaction.atomic
def report_submit(*, actor: Any, report: Report) -> Report:
    """Submit a draft for review, freezing the statistics computed from the records into ``data``."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    _require(permissions.can_edit, actor, report.org, "提交年度报告")
    if report.status == ReportStatus.DRAFT:
        report.data = frozen_document(report)
    _transition(report, to=ReportStatus.SUBMITTED, actor=actor)
    return report


@transaction.atomic
def report_return(*, actor: Any, report: Report) -> Report:
    """Send a submitted or approved version back to draft (its frozen data is recomputed on resubmission)."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    _require(permissions.can_publish, actor, report.org, "退回年度报告")
    _transition(report, to=ReportStatus.DRAFT, actor=actor)
    return report


def report_drafters(report: Report) -> set[int]:
    """Who drafted the version under review: its creator, and whoever last submitted it (from the audit log)."""
    drafters = {report.created_by_id} if report.created_by_id else set()
    transitions = AuditEntry.objects.filter(
        object_type=Report._meta.label_lower, object_id=str(report.pk), action=AuditAction.TRANSITION
    ).order_by("-id")
    for entry in transitions.values("actor_id", "changes").iterator():
        if (entry["changes"] or {}).get("status") == [ReportStatus.DRAFT, ReportStatus.SUBMITTED]:
            if entry["actor_id"]:
                drafters.add(entry["actor_id"])
            break
    # ... and everyone who changed the version since it last became a draft (editing someone else's draft
    # and then approving it is approving one's own work).
    since = 0
    for entry_id, changes in transitions.values_list("id", "changes").iterator():
        status = (changes or {}).get("status")
        if isinstance(status, list) and len(status) == 2 and status[1] == ReportStatus.DRAFT:
            since = entry_id
            break
    edits = AuditEntry.objects.filter(
        object_type=Report._meta.label_lower,
        object_id=str(report.pk),
        action=AuditAction.UPDATE,
        id__gt=since,
    )
    drafters.update(pk for pk in edits.values_list("actor_id", flat=True) if pk is not None)
    return drafters


@transaction.atomic
def report_approve(*, actor: Any, report: Report) -> Report:
    """Approve a submitted version (the reviewer; under 双人审核 not its drafter or submitter)."""
    report = Report.objects.select_for_update().select_related("org").get(pk=report.pk)
    _require(permissions.can_review, actor, report.org, "审核年度报告")
    refuse_own_work(actor, report.org, report_drafters(report), "不能审核自己起草或提交的年度报告。")
    _transition(report, to=ReportStatus.APPROVED, actor=actor)
    return report


@transaction.atomic
def report_publish(*, actor: Any, report: Report, published_on: dt.date | None = None) -> Report:
    """Publish an approved version at its stable URL (条例第四十九条); it is locked from then on."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    _require(permissions.can_publish, actor, report.org, "发布年度报告")
    published_on = published_on or timezone.localdate()
    if published_on.year <= report.year:
        raise ValidationError(f"发布日期应在{report.year}年度结束之后。")
    report.published_on = published_on
    report.published_at = timezone.now()
    _transition(report, to=ReportStatus.PUBLISHED, actor=actor)
    return report


@transaction.atomic
def report_correct(*, actor: Any, report: Report, change_note: str) -> Report:
    """Start a correction of a published version: a new draft version with a change note (§8 defect 7)."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    _require(permissions.can_edit, actor, report.org, "更正年度报告")
    if report.status != ReportStatus.PUBLISHED:
        raise ValidationError("只有已发布的报告可以更正。")
    latest = Report.objects.filter(org=report.org, year=report.year).order_by("-version").first()
    assert latest is not None
    if latest.pk != report.pk:
        raise ValidationError(f"已存在第{latest.version}版，请在最新版本上更正。")
    if not change_note.strip():
        raise ValidationError("请填写更正说明。")
    correction = Report(
        org=report.org,
        year=report.year,
        scope=report.scope,
        format=report.format,
        version=report.version + 1,
        sections=dict(report.sections),
        change_note=change_note.strip(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    correction.full_clean()
    correction.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=correction,
        org=report.org,
        changes={
            "version": [report.version, correction.version],
            "change_note": [None, correction.change_note],
        },
    )
    return correction
