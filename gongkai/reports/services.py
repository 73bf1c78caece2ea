"""Writes of the reports app: 表二 figures (form and XLSX/CSV import), drafting report versions.

The version workflow (submit, approve, return, publish, correct) is declared in ``workflow.py``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.core.actors import Actor, acting_user
from gongkai.core.models import AuditAction
from gongkai.core.richtext import sanitise_html
from gongkai.core.services import audit_record, snapshot
from gongkai.core.tabular import Column, ImportResult, Row, RowError, TableSpec, import_table, raw_cell
from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import Action, require

from .definitions import FORMATS, SECTION_NUMBERS, Table2Column, format_for_year
from .models import Report, ReportStatus, Scope, Table2Figure

FIGURE_COLUMNS = ("年度", "项目", "指标", "数值")


FIGURE_FIELDS = ("value", "text", "source")


# --- 表二 figures ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FigureCell:
    item: str
    row: str
    column: Table2Column


def resolve_figure(year: int, project: str, indicator: str) -> FigureCell:
    """Find the 表二 cell named by 项目 (row label, or "第二十条第（x）项/row") and 指标 in ``year``'s format.

    The errors name the field they are about (年度, 项目 or 指标), so a form shows each beside its own field."""
    fmt = format_for_year(year)
    spec = FORMATS.get(fmt)
    if spec is None:
        raise ValidationError({"year": f"{year}年度的报告（2019年以前）没有统一的表二，无法填报。"})
    uses = f"{year}年度适用{fmt}年格式（{spec.issued_by}）"
    item_hint, _, row = project.strip().rpartition("/")
    for block in spec.table2_layout.blocks:
        if row in block.rows and (not item_hint or item_hint == block.item):
            for column in block.columns:
                if column.label == indicator.strip():
                    return FigureCell(block.item, row, column)
            labels = "、".join(c.label for c in block.columns)
            raise ValidationError({"indicator": f"{uses}，“{row}”没有指标“{indicator}”；应为：{labels}。"})
    rows = "、".join(r for b in spec.table2_layout.blocks for r in b.rows)
    raise ValidationError({"project": f"{uses}，表二没有项目“{row or project}”；项目应为：{rows}。"})


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
    actor: Actor,
    org: Organisation,
    year: int,
    project: str,
    indicator: str,
    value: Any,
    source: str,
) -> Table2Figure:
    """Enter (or correct) one 表二 figure for an organisation-year; figures are entered once, with a source."""
    require(actor, Action.EDIT, org, f"您无权填报表二数据（{org.name}）。")
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
    figure.updated_by = acting_user(actor)
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


def _figure_missing(missing: Sequence[str], header: Sequence[str]) -> list[RowError]:
    names = "、".join(missing)
    return [RowError(1, names, f"缺少列：{names}；应为 年度,项目,指标,数值[,来源]。")]


FIGURE_SPEC = TableSpec(
    columns=(
        *(Column(name, name, raw_cell, required=True) for name in FIGURE_COLUMNS),
        Column("来源", "来源", raw_cell),
    ),
    empty=RowError(0, "", "文件为空。"),
    missing=_figure_missing,
    summary="{verb} {rows} 项数据。",
)


@transaction.atomic
def import_figures(
    *,
    actor: Actor,
    org: Organisation,
    data: bytes,
    filename: str,
    dry_run: bool = False,
    sheet: str | None = None,
    default_source: str = "",
) -> ImportResult:
    """Import 表二 figures (columns 年度,项目,指标,数值[,来源]); all-or-nothing, every bad row reported."""
    require(actor, Action.EDIT, org, f"您无权导入表二数据（{org.name}）。")
    default_source = default_source or f"导入：{filename}"
    seen: set[tuple[int, str, str, str]] = set()

    def parse_row(row: Row) -> tuple[int, FigureCell, Any, str] | None:
        try:
            year = int(str(row.get("年度")).strip().removesuffix("年"))
        except ValueError:
            row.fail("年度", f"年度“{row.get('年度')}”不是年份。")
            return None
        try:
            cell = resolve_figure(year, str(row.get("项目") or ""), str(row.get("指标") or ""))
            value = row.get("数值")
        except ValidationError as exc:
            row.fail("项目", "；".join(exc.messages))
            return None
        try:
            parse_figure_value(cell, value)
        except ValidationError as exc:
            row.fail("数值", "；".join(exc.messages))
            return None
        key = (year, cell.item, cell.row, cell.column.label)
        if key in seen:
            row.fail("指标", f"{year}年“{cell.row}·{cell.column.label}”重复。")
            return None
        seen.add(key)
        return year, cell, value, str(row.get("来源") or "").strip() or default_source

    def apply(parsed: list[tuple[int, FigureCell, Any, str]], result: ImportResult) -> None:
        for year, cell, raw, source in parsed:
            figure = figure_set(
                actor=actor,
                org=org,
                year=year,
                project=f"{cell.item}/{cell.row}",
                indicator=cell.column.label,
                value=raw,
                source=source,
            )
            result.created.append(str(figure.pk))

    spec = dataclasses.replace(FIGURE_SPEC, sheet=sheet)
    return import_table(spec, data, filename, parse_row=parse_row, apply=apply, dry_run=dry_run)


# --- drafting report versions --------------------------------------------------------------------------


def _clean_sections(sections: dict[str, str], org_id: int) -> dict[str, str]:
    unknown = set(sections) - set(SECTION_NUMBERS)
    if unknown:
        raise ValidationError(f"未知的部分：{'、'.join(sorted(unknown))}。")
    return {n: sanitise_html(sections.get(n, ""), image_org=org_id) for n in SECTION_NUMBERS}


@transaction.atomic
def report_create(
    *, actor: Actor, org: Organisation, year: int, scope: str = Scope.SELF, fmt: str | None = None
) -> Report:
    """Start the draft of ``org``'s report on ``year`` (the first version; corrections use report_correct)."""
    require(actor, Action.EDIT, org, f"您无权起草年度报告（{org.name}）。")
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
        created_by=acting_user(actor),
    )
    report.full_clean()
    report.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=report, org=org, changes={"year": [None, year]})
    return report


@transaction.atomic
def report_update_sections(*, actor: Actor, report: Report, sections: dict[str, str]) -> Report:
    """Replace the narrative sections of a draft (sanitised rich text); other statuses are locked."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    require(actor, Action.EDIT, report.org, f"您无权修改年度报告（{report.org.name}）。")
    if report.status != ReportStatus.DRAFT:
        raise ValidationError("只有草稿可以修改；已提交的报告请先退回，已发布的报告请新建更正版本。")
    before = snapshot(report, ["sections"])
    report.sections = _clean_sections({**report.sections, **sections}, report.org_id)
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
