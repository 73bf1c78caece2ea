"""The one finding type of the checks, the stable codes, and the list the rules add to."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from gongkai.reports.definitions import CellRef

Severity = Literal["error", "warning", "info"]

CODES: dict[str, str] = {
    "not_a_report": "文档不是政府信息公开工作年度报告（仅提示）",
    "schema_unknown": "schema 不是 gongkai.annual-report/1",
    "format_unknown": "format 不是 2019、2021 或 pre2019",
    "year_missing": "年度缺失，无法核对格式和期限",
    "format_wrong_for_year": "报告年度应使用的格式与实际格式不符（第五十条统一格式）",
    "table_missing": "缺少表二/表三/表四",
    "table_unread": "原文中有该表（见其特有的栏目名），但未能读出其中的数字（导入的报告）",
    "columns_mismatch": "表三的列与官方格式不一致",
    "row_missing": "缺少官方格式中的行",
    "row_unexpected": "出现官方格式中没有的行（常见于用错格式或自加小计）",
    "single_other_row": "2021年格式的报告沿用单一的“（六）其他处理”行（地方模板），三项未分列",
    "cell_missing": "缺少单元格",
    "cell_blank": "单元格为空（null），不是数字",
    "cell_not_number": "单元格为文字（如“/”），不是数字",
    "cell_negative": "数值为负数",
    "cell_not_integer": "件数不是整数",
    "table3_row_total": "表三某行的总计不等于各类申请人之和",
    "table3_results_total": "表三（七）总计不等于各项办理结果之和",
    "table3_identity": "表三勾稽关系不成立：第一项加第二项之和不等于第三项加第四项之和",
    "table4_total": "表四总计不等于结果维持、结果纠正、其他结果、尚未审结之和",
    "carry_over_mismatch": "本年“上年结转”不等于上年报告的“结转下年度继续办理”",
    "previous_year_mismatch": "所给上年报告的年度不是本报告的上一年",
    "text_table_mismatch": "正文中的数字与表格不一致",
    "section_missing": "缺少第五十条要求的部分（一至六）",
    "section_empty": "第五十条要求的部分只有标题，没有内容",
    "section_heading_unplaced": "未找到单独成行的部分标题，但已读出（或原文中有）该部分的表格（导入的报告）",
    "assessment_missing": "政府年报未提及工作考核、社会评议和责任追究结果（第五十条第四项）",
    "section_copied": "“存在的主要问题及改进情况”与上年报告几乎相同",
    "published_late": "发布日期晚于发布期限（第四十九条，或第四十九条未列明的机构适用的本地规定）",
}


@dataclass(frozen=True)
class Finding:
    """One problem found in a report: stable ``code``, ``severity``, Chinese ``message``, the cells involved.

    ``as_dict()`` is its JSON (the API, ``report_json --check``, the importer's ``findings``).
    """

    code: str
    severity: Severity
    message: str
    cells: tuple[str, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "cells": list(self.cells),
        }


class Findings(list[Finding]):
    """The findings of one check, in the order the rules add them."""

    def add(self, code: str, severity: Severity, message: str, cells: Iterable[str] = ()) -> None:
        self.append(Finding(code, severity, message, tuple(cells)))

    def cells(self) -> set[str]:
        """Every cell key named so far."""
        return {c for f in self for c in f.cells}


def describe(ref: CellRef) -> str:
    """「表三“<row>”行“<column>”列」."""
    return f"{row_label(ref.table, ref.row)}“{ref.column}”列"


def row_label(table: str, row: str) -> str:
    """「表二“第二十条第（五）项 · 行政许可”行」: a row key's parts joined as people read them, not by "/"."""
    return f"{TABLE_NAMES[table]}“{row.replace('/', ' · ')}”行"


TABLE_NAMES = {"table2": "表二", "table3": "表三", "table4": "表四"}


def cell_label(key: str) -> str:
    """A finding's cell key as people read it: 「表三“…”行“…”列」, 「表三“…”行」, 「表二」, 「正文第一部分」 (never
    the key)."""
    if key in TABLE_NAMES:
        return TABLE_NAMES[key]
    if key.startswith("sections:"):
        return f"正文第{key.split(':', 1)[1]}部分"
    try:
        ref = CellRef.parse(key)
    except ValueError:
        table, _, row = key.partition(":")  # a whole row ("table3:<row>", the importer's row findings)
        return row_label(table, row) if table in TABLE_NAMES and row else "其他位置"
    return describe(ref) if ref.table in TABLE_NAMES else "其他位置"


def with_cell_labels(docs: Iterable[dict[str, Any]]) -> None:
    """Give each finding of ``docs`` (the importer's JSON) its ``cell_labels`` for the pages."""
    for doc in docs:
        for finding in doc.get("findings") or []:
            finding["cell_labels"] = [cell_label(c) for c in finding.get("cells") or []]


def number_text(value: Decimal) -> str:
    """A number as the messages print it (a whole number without decimals)."""
    try:
        return str(value.quantize(Decimal(1))) if value == value.to_integral_value() else str(value)
    except InvalidOperation:
        return str(value)
