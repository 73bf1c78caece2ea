"""``check_document``: the document's kind, schema, format and year, then the table, text and deadline rules."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from gongkai.orgs.report_deadlines import ReportDeadline, report_deadline
from gongkai.reports.definitions import FORMAT_CODES, PRE2019, SCHEMA, CellRef, format_for_year
from gongkai.reports.document import ReportDocument

from . import tables, text
from .findings import Finding, Findings

_FORMAT_NAMES = {
    "2019": "国办公开办函〔2019〕60号格式",
    "2021": "国办公开办函〔2021〕30号格式",
    PRE2019: "2008年条例时期的格式",
}


def check_document(
    doc: dict[str, Any],
    *,
    previous: dict[str, Any] | None = None,
    published_on: date | None = None,
    org_level: str | None = None,
    deadline: ReportDeadline | None = None,
) -> list[Finding]:
    """Check a canonical report (report-json.md) against the rules of its format (statutory-rules.md §2.6, §8).

    ``previous`` is last year's report (cross-year 上年结转 check and copied 五), ``published_on`` its
    publication date, checked against ``deadline`` (the organisation's rule: ``org_report_deadline``) or else the
    rule for ``org_level`` alone; ``org_level`` is the OrgKind value (``"government"`` → 3月31日 and
    the 第五十条第四项 考核/评议/责任追究 content). Never raises on malformed input: every problem
    (blank or text cells, missing rows) is a finding.
    """
    out = Findings()
    if doc.get("kind") == "not_a_report":
        out.add("not_a_report", "info", "该文档不是政府信息公开工作年度报告，未作检查。")
        return list(out)
    document = ReportDocument(doc)
    before = ReportDocument(previous) if previous is not None else None
    _kind(document, out)
    spec = document.spec
    usable: dict[CellRef, Decimal] = {}
    if spec is not None:
        single_other = document.single_other()  # once per check: the document is not changed by the checks
        tables.structure(document, spec, out, single_other=single_other)
        usable = tables.numbers(document, spec, out, single_other=single_other)
        tables.sums(spec, usable, out, single_other=single_other)
        if before is not None:
            tables.carry_over(document, spec, usable, before, out)
        text.sections(document, org_level, out)
        text.text_vs_tables(document, usable, out)
    if before is not None:
        text.copied(document, before, out)
    if published_on is not None:
        _deadline(document, published_on, org_level, deadline, out)
    return list(out)


def errors(findings: Iterable[Finding]) -> list[Finding]:
    """Only the ``error`` findings."""
    return [f for f in findings if f.severity == "error"]


def _kind(doc: ReportDocument, out: Findings) -> None:
    """Schema, format and year, and the format the year must use (第五十条 统一格式)."""
    data = doc.data
    if data.get("schema") not in (None, SCHEMA):
        out.add("schema_unknown", "warning", f"未知的 schema：{data.get('schema')}。")
    fmt = str(data.get("format"))
    year = data.get("year")
    if fmt not in FORMAT_CODES:
        out.add("format_unknown", "error", f"未知的报告格式：{data.get('format')}。")
    if not isinstance(year, int):
        out.add("year_missing", "warning", "报告年度缺失，无法核对格式和发布期限。")
    elif fmt in FORMAT_CODES and format_for_year(year) != fmt:
        expected = format_for_year(year)
        out.add(
            "format_wrong_for_year",
            "error",
            f"{year}年度报告应使用{_FORMAT_NAMES[expected]}，实际使用了{_FORMAT_NAMES[fmt]}。",
        )


def _deadline(
    doc: ReportDocument,
    published_on: date,
    org_level: str | None,
    rule: ReportDeadline | None,
    out: Findings,
) -> None:
    """Published by the organisation's deadline (第四十九条, or the local rule for kinds it does not name)."""
    year = doc.data.get("year")
    if not isinstance(year, int):
        return
    # Without the organisation's own rule: by kind alone (an unknown kind gets the later 人民政府 date).
    if rule is None or rule.year != year:
        rule = report_deadline(year, kind=org_level)
    if published_on > rule.due:  # the due day itself is on time ("1月31日前" read as inclusive)
        out.add(
            "published_late",
            "error",
            f"{year}年度报告于{published_on.year}年{published_on.month}月{published_on.day}日发布，"
            f"晚于{rule.group_label}的发布期限{rule.due_text}（依据：{rule.source_text}）。",
        )
