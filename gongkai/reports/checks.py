"""Rules over any canonical annual-report JSON (computed or imported): each problem is a Finding naming its cells.

Public API: ``check_document(doc, *, previous=None, published_on=None, org_level=None) -> list[Finding]``,
``Finding`` (``code``, ``severity``, ``message``, ``cells``; ``as_dict()``), ``CODES`` (code → description).
Stable finding codes are documented in README.md; cell keys are ``CellRef.key`` strings
(``"table3:<row key>:<column>"``, ``"table2:<item>/<row>:<column>"``, ``"table4:<group>:<column>"``), plus
``"sections:<一…六>"`` for sections and ``"table2"``/``"table3"``/``"table4"`` for whole tables.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from gongkai.orgs.report_deadlines import ReportDeadline, report_deadline

from .definitions import (
    CARRIED_IN,
    CARRIED_OUT,
    FORMAT_CODES,
    FORMATS,
    PRE2019,
    RECEIVED,
    SCHEMA,
    SECTION_HEADINGS,
    SECTION_NUMBERS,
    TABLE3_TOTAL_COLUMN,
    CellRef,
    ReportFormat,
    format_for_year,
)

Severity = Literal["error", "warning", "info"]

CODES: dict[str, str] = {
    "not_a_report": "文档不是政府信息公开工作年度报告（仅提示）",
    "schema_unknown": "schema 不是 gongkai.annual-report/1",
    "format_unknown": "format 不是 2019、2021 或 pre2019",
    "year_missing": "年度缺失，无法核对格式和期限",
    "format_wrong_for_year": "报告年度应使用的格式与实际格式不符（第五十条统一格式）",
    "table_missing": "缺少表二/表三/表四",
    "columns_mismatch": "表三的列与官方格式不一致",
    "row_missing": "缺少官方格式中的行",
    "row_unexpected": "出现官方格式中没有的行（常见于用错格式或自加小计）",
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
    "assessment_missing": "政府年报未提及工作考核、社会评议和责任追究结果（第五十条第四项）",
    "section_copied": "“存在的主要问题及改进情况”与上年报告几乎相同",
    "published_late": "发布日期晚于发布期限（第四十九条，或第四十九条未列明的机构适用的本地规定）",
}


@dataclass(frozen=True)
class Finding:
    """One problem found in a report: stable ``code``, ``severity``, Chinese ``message``, the cells involved."""

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


_MISSING = object()


def _describe(ref: CellRef) -> str:
    table = {"table2": "表二", "table3": "表三", "table4": "表四"}[ref.table]
    return f"{table}“{ref.row}”行“{ref.column}”列"


def _lookup(doc: dict[str, Any], ref: CellRef) -> Any:
    """The raw value of ``ref`` or _MISSING; never raises on malformed input."""
    try:
        if ref.table == "table3":
            t3 = doc["table3"]
            columns = list(t3["columns"])
            row = t3["rows"][ref.row]
            return row[columns.index(ref.column)]
        if ref.table == "table4":
            return doc["table4"][ref.row][ref.column]
        item, row_label = ref.row.split("/", 1)
        return doc["table2"][item][row_label][ref.column]
    except (KeyError, IndexError, TypeError, ValueError, AttributeError):
        return _MISSING


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


class _Checker:
    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc
        self.findings: list[Finding] = []

    def add(self, code: str, severity: Severity, message: str, cells: Iterable[str] = ()) -> None:
        self.findings.append(Finding(code, severity, message, tuple(cells)))

    # -- structure ------------------------------------------------------------------------------------

    def structure(self, spec: ReportFormat) -> None:
        for table, name in (("table2", "表二"), ("table3", "表三"), ("table4", "表四")):
            if not isinstance(self.doc.get(table), dict):
                self.add("table_missing", "error", f"缺少{name}。", [table])
        t3 = self.doc.get("table3")
        if isinstance(t3, dict):
            columns = t3.get("columns")
            if list(columns or []) != list(spec.table3_columns):
                self.add(
                    "columns_mismatch",
                    "error",
                    f"表三的列应为：{'、'.join(spec.table3_columns)}；实际为：{'、'.join(map(str, columns or []))}。",
                    ["table3"],
                )
            raw_rows = t3.get("rows")
            rows: dict[str, Any] = raw_rows if isinstance(raw_rows, dict) else {}
            expected = set(spec.table3_row_keys)
            for key in spec.table3_row_keys:
                if key not in rows:
                    self.add("row_missing", "error", f"表三缺少“{key}”行。", [f"table3:{key}"])
            for key in rows:
                if key not in expected:
                    self.add(
                        "row_unexpected",
                        "warning",
                        f"表三的“{key}”行不属于{spec.code}年格式。",
                        [f"table3:{key}"],
                    )

    # -- cell values ----------------------------------------------------------------------------------

    def numbers(self, spec: ReportFormat) -> dict[CellRef, Decimal]:
        """Validate every table 三/四 cell (non-negative whole number) and 表二 cell; return the usable numbers."""
        usable: dict[CellRef, Decimal] = {}
        refs: list[CellRef] = []
        if isinstance(self.doc.get("table3"), dict):
            refs += spec.table3_cells()
        if isinstance(self.doc.get("table4"), dict):
            refs += spec.table4_layout.cells()
        for ref in refs:
            value = _lookup(self.doc, ref)
            if value is _MISSING:
                if f"table3:{ref.row}" not in {c for f in self.findings for c in f.cells}:
                    self.add("cell_missing", "error", f"缺少{_describe(ref)}。", [ref.key])
            elif value is None:
                self.add("cell_blank", "error", f"{_describe(ref)}为空，应填写数字（无则填0）。", [ref.key])
            elif not _is_number(value):
                self.add("cell_not_number", "error", f"{_describe(ref)}为“{value}”，不是数字。", [ref.key])
            else:
                number = Decimal(str(value))
                if number < 0:
                    self.add("cell_negative", "error", f"{_describe(ref)}为负数（{value}）。", [ref.key])
                elif number != number.to_integral_value():
                    self.add(
                        "cell_not_integer", "error", f"{_describe(ref)}为{value}，件数应为整数。", [ref.key]
                    )
                else:
                    usable[ref] = number
        if isinstance(self.doc.get("table2"), dict):
            self.table2(spec)
        return usable

    def table2(self, spec: ReportFormat) -> None:
        for block in spec.table2_layout.blocks:
            for row in block.rows:
                for column in block.columns:
                    ref = CellRef("table2", f"{block.item}/{row}", column.label)
                    value = _lookup(self.doc, ref)
                    if value is _MISSING:
                        self.add("cell_missing", "warning", f"缺少{_describe(ref)}。", [ref.key])
                    elif value is None:
                        self.add("cell_blank", "warning", f"{_describe(ref)}为空。", [ref.key])
                    elif isinstance(value, str):
                        if column.kind != "amount" or not re.search(r"\d", value):
                            self.add(
                                "cell_not_number",
                                "warning",
                                f"{_describe(ref)}为“{value}”，不是数字。",
                                [ref.key],
                            )
                    elif _is_number(value):
                        number = Decimal(str(value))
                        if number < 0 and column.kind != "delta":
                            self.add(
                                "cell_negative", "error", f"{_describe(ref)}为负数（{value}）。", [ref.key]
                            )
                        elif column.kind != "amount" and number != number.to_integral_value():
                            self.add(
                                "cell_not_integer",
                                "error",
                                f"{_describe(ref)}为{value}，应为整数。",
                                [ref.key],
                            )
                    else:
                        self.add("cell_not_number", "warning", f"{_describe(ref)}不是数字。", [ref.key])

    # -- sums -----------------------------------------------------------------------------------------

    def sums(self, spec: ReportFormat, numbers: dict[CellRef, Decimal]) -> None:
        for rule in spec.sum_rules:
            if not all(ref in numbers for ref in rule.cells):
                continue  # the unusable cell is already reported
            left = sum((numbers[r] for r in rule.left), Decimal(0))
            right = sum((numbers[r] for r in rule.right), Decimal(0))
            if left != right:
                self.add(
                    rule.code,
                    "error",
                    f"{rule.description}：{_fmt(left)} ≠ {_fmt(right)}。",
                    [r.key for r in rule.cells],
                )

    # -- across years ---------------------------------------------------------------------------------

    def carry_over(
        self, spec: ReportFormat, numbers: dict[CellRef, Decimal], previous: dict[str, Any]
    ) -> None:
        year, prev_year = self.doc.get("year"), previous.get("year")
        if isinstance(year, int) and isinstance(prev_year, int) and prev_year != year - 1:
            self.add("previous_year_mismatch", "warning", f"所给上年报告为{prev_year}年，不是{year - 1}年。")
            return
        prev_spec = FORMATS.get(str(previous.get("format")))
        if prev_spec is None:  # a pre-2019 report has no 结转下年度 row (§4): nothing to match
            return
        for column in spec.table3_columns:
            here = CellRef("table3", CARRIED_IN, column)
            there = CellRef("table3", CARRIED_OUT, column)
            prev_value = _lookup(previous, there)
            if here not in numbers or not _is_number(prev_value):
                continue
            if numbers[here] != Decimal(str(prev_value)):
                self.add(
                    "carry_over_mismatch",
                    "error",
                    f"“{column}”列：本年上年结转为{_fmt(numbers[here])}，上年报告结转下年度继续办理为{prev_value}。",
                    [here.key, f"previous:{there.key}"],
                )

    # -- text -----------------------------------------------------------------------------------------

    def sections(self, org_level: str | None) -> None:
        sections = self.doc.get("sections")
        sections = sections if isinstance(sections, dict) else {}
        for number in SECTION_NUMBERS:
            text = sections.get(number)
            if not isinstance(text, str) or not text.strip():
                self.add(
                    "section_missing",
                    "error",
                    f"缺少“{SECTION_HEADINGS[number]}”部分。",
                    [f"sections:{number}"],
                )
        if org_level == "government":
            body = "".join(str(v) for v in sections.values() if isinstance(v, str))
            if not all(word in body for word in ("考核", "评议", "责任追究")):
                self.add(
                    "assessment_missing",
                    "warning",
                    "政府年报应包括工作考核、社会评议和责任追究结果情况（第五十条第四项）。",
                    ["sections:一"],
                )

    def copied(self, previous: dict[str, Any]) -> None:
        here = (self.doc.get("sections") or {}).get("五")
        there = (previous.get("sections") or {}).get("五")
        if isinstance(here, str) and isinstance(there, str) and here.strip() and there.strip():
            ratio = difflib.SequenceMatcher(None, _squash(here), _squash(there)).ratio()
            if ratio >= 0.9:
                self.add(
                    "section_copied",
                    "warning",
                    f"“五、存在的主要问题及改进情况”与上年报告相似度为{ratio:.0%}，应写明上年问题的改进情况。",
                    ["sections:五", "previous:sections:五"],
                )

    def text_vs_tables(self, numbers: dict[CellRef, Decimal]) -> None:
        sections = self.doc.get("sections")
        if not isinstance(sections, dict):
            return
        for number, raw in sections.items():
            if not isinstance(raw, str):
                continue
            text = _normalise_text(raw)
            for claim in _CLAIMS:
                for match in claim.pattern.finditer(text):
                    stated = _parse_number(match.group("n"))
                    if stated is None:
                        continue
                    options = [[r for r in refs] for refs in claim.totals]
                    if not all(r in numbers for refs in options for r in refs):
                        continue
                    sums = [sum((numbers[r] for r in refs), Decimal(0)) for refs in options]
                    if Decimal(stated) not in sums:
                        self.add(
                            "text_table_mismatch",
                            "warning",
                            f"第{number}部分写明“{match.group(0)}”，表格中为{_fmt(sums[0])}。",
                            [f"sections:{number}", *(r.key for r in options[0])],
                        )

    # -- publication ----------------------------------------------------------------------------------

    def deadline(self, published_on: date, org_level: str | None, rule: ReportDeadline | None) -> None:
        year = self.doc.get("year")
        if not isinstance(year, int):
            return
        # Without the organisation's own rule: by kind alone (an unknown kind gets the later 人民政府 date).
        if rule is None or rule.year != year:
            rule = report_deadline(year, kind=org_level)
        if published_on > rule.due:  # the due day itself is on time ("1月31日前" read as inclusive)
            self.add(
                "published_late",
                "error",
                f"{year}年度报告于{published_on.year}年{published_on.month}月{published_on.day}日发布，"
                f"晚于{rule.group_label}的发布期限{rule.due_text}（依据：{rule.source_text}）。",
            )


@dataclass(frozen=True)
class _Claim:
    pattern: re.Pattern[str]
    totals: tuple[tuple[CellRef, ...], ...]  # acceptable readings of the stated number


def _t3(row: str) -> CellRef:
    return CellRef("table3", row, TABLE3_TOTAL_COLUMN)


_N = r"(?P<n>\d+|[零〇一二两三四五六七八九十百]+)"
_CLAIMS: tuple[_Claim, ...] = (
    _Claim(
        re.compile(
            r"(?:收到|受理|新收|接收)[^。；，,]{0,12}?政府信息公开申请(?:共计|共|合计)?"
            + _N
            + r"(?:件|个|份)"
        ),
        ((_t3(RECEIVED),), (_t3(RECEIVED), _t3(CARRIED_IN))),
    ),
    _Claim(
        re.compile(r"予以公开[”\"」』]?(?:的)?(?:共)?" + _N + r"件"),
        ((_t3("三、本年度办理结果/（一）予以公开"),),),
    ),
    _Claim(
        re.compile(r"部分公开(?:（[^）]*）)?[”\"」』]?(?:的)?(?:共)?" + _N + r"件"),
        ((_t3("三、本年度办理结果/（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),),),
    ),
    _Claim(re.compile(r"上年结转(?:政府信息公开申请)?(?:共)?" + _N + r"件"), ((_t3(CARRIED_IN),),)),
    _Claim(re.compile(r"结转下年度(?:继续办理)?(?:共)?" + _N + r"件"), ((_t3(CARRIED_OUT),),)),
    _Claim(
        re.compile(r"(?:被)?申请行政复议(?:共)?" + _N + r"(?:件|起|宗)"),
        ((CellRef("table4", "行政复议", "总计"),),),
    ),
    _Claim(
        re.compile(r"(?:被)?提起行政诉讼(?:共)?" + _N + r"(?:件|起|宗)"),
        (
            (
                CellRef("table4", "行政诉讼/未经复议直接起诉", "总计"),
                CellRef("table4", "行政诉讼/复议后起诉", "总计"),
            ),
        ),
    ),
)

# Traditional → simplified for the few characters the claims use (imported reports are sometimes traditional).
_TRAD = str.maketrans("請開複議訟訴處總計於與結轉", "请开复议讼诉处总计于与结转")
_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


def _normalise_text(text: str) -> str:
    return re.sub(r"\s+", "", text.translate(_TRAD))


def _parse_number(token: str) -> int | None:
    """Arabic digits, or Chinese numerals up to 999 (e.g. 九, 十二, 一百零五)."""
    if token.isdigit():
        return int(token)
    total, current = 0, 0
    for ch in token:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


def _squash(text: str) -> str:
    return re.sub(r"[\s\d年]+", "", text)


def _fmt(value: Decimal) -> str:
    try:
        return str(value.quantize(Decimal(1))) if value == value.to_integral_value() else str(value)
    except InvalidOperation:
        return str(value)


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
    checker = _Checker(doc)
    if doc.get("kind") == "not_a_report":
        checker.add("not_a_report", "info", "该文档不是政府信息公开工作年度报告，未作检查。")
        return checker.findings
    if doc.get("schema") not in (None, SCHEMA):
        checker.add("schema_unknown", "warning", f"未知的 schema：{doc.get('schema')}。")
    fmt = str(doc.get("format"))
    year = doc.get("year")
    if fmt not in FORMAT_CODES:
        checker.add("format_unknown", "error", f"未知的报告格式：{doc.get('format')}。")
    if not isinstance(year, int):
        checker.add("year_missing", "warning", "报告年度缺失，无法核对格式和发布期限。")
    elif fmt in FORMAT_CODES and format_for_year(year) != fmt:
        expected = format_for_year(year)
        names = {
            "2019": "国办公开办函〔2019〕60号格式",
            "2021": "国办公开办函〔2021〕30号格式",
            PRE2019: "2008年条例时期的格式",
        }
        checker.add(
            "format_wrong_for_year",
            "error",
            f"{year}年度报告应使用{names[expected]}，实际使用了{names[fmt]}。",
        )
    spec = FORMATS.get(fmt)
    numbers: dict[CellRef, Decimal] = {}
    if spec is not None:
        checker.structure(spec)
        numbers = checker.numbers(spec)
        checker.sums(spec, numbers)
        if previous is not None:
            checker.carry_over(spec, numbers, previous)
        checker.sections(org_level)
        checker.text_vs_tables(numbers)
    if previous is not None:
        checker.copied(previous)
    if published_on is not None:
        checker.deadline(published_on, org_level, deadline)
    return checker.findings


def errors(findings: Iterable[Finding]) -> list[Finding]:
    """Only the ``error`` findings."""
    return [f for f in findings if f.severity == "error"]
