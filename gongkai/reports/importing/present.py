"""Readable Chinese text for imported documents (the CLI without --json)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from gongkai.reports.checks.findings import cell_label

from .batch import FORMAT_LABELS, KIND_LABELS
from .compare import by_unit, compare_unit

SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}


def describe(doc: dict[str, Any]) -> str:
    """One report: where it came from, what it is, and its findings, errors first."""
    source = doc.get("source") or {}
    where = str(source.get("file", ""))
    if source.get("part"):
        where += f"（第 {source['part']} 份，位置 {source.get('offset')}）"
    lines = [f"■ {where}"]
    if doc.get("error"):
        lines.append(f"  无法读取：{doc['error']}")
        return "\n".join(lines)
    year = doc.get("year") if doc.get("year") is not None else "未知"
    lines.append(
        f"  单位：{doc.get('unit') or '未识别'}　年度：{year}　格式：{FORMAT_LABELS.get(doc.get('format'), doc.get('format'))}"
        f"　类型：{KIND_LABELS.get(doc.get('kind'), doc.get('kind'))}"
    )
    found = [
        name for key, name in (("table2", "表二"), ("table3", "表三"), ("table4", "表四")) if doc.get(key)
    ]
    sections = [n for n, text in (doc.get("sections") or {}).items() if text]
    lines.append(f"  识别到：{'、'.join(found) or '无表格'}；正文部分：{'、'.join(sections) or '无'}")
    findings = sorted(
        doc.get("findings") or [], key=lambda f: ("error", "warning", "info").index(f.get("severity", "info"))
    )
    if not findings:
        lines.append("  未发现问题。")
    for f in findings:
        cells = [cell_label(c) for c in f.get("cells") or []]
        where_cells = f"（{'；'.join(cells[:4])}{' 等' if len(cells) > 4 else ''}）" if cells else ""
        lines.append(
            f"  [{SEVERITY_LABELS.get(f.get('severity'), f.get('severity'))}] {f.get('message')}{where_cells}"
        )
    return "\n".join(lines)


def describe_all(docs: Sequence[dict[str, Any]]) -> str:
    errors = sum(1 for d in docs for f in d.get("findings") or [] if f.get("severity") == "error")
    reports = sum(1 for d in docs if d.get("kind") == "annual_report")
    body = "\n\n".join(describe(d) for d in docs)
    comparisons = [
        describe_years(group) for group in by_unit(docs).values() if len({d["year"] for d in group}) > 1
    ]
    if comparisons:
        body += "\n\n" + "\n\n".join(comparisons)
    return f"{body}\n\n共 {len(docs)} 份文档（其中年度报告 {reports} 份），错误 {errors} 条。"


def describe_years(group: Sequence[dict[str, Any]]) -> str:
    """A unit's key figures (总计 column) side by side by year, with the cross-year findings."""
    summary = compare_unit(group)
    width = max(len(row["label"]) for row in summary["rows"])
    lines = [
        f"◆ {summary['unit']} 跨年度比对",
        "  " + "项目".ljust(width) + "".join(f"{y:>8}" for y in summary["years"]),
    ]
    for row in summary["rows"]:
        cells = "".join(f"{'—' if v is None else v:>8}" for v in row["values"])
        lines.append("  " + row["label"].ljust(width) + cells)
    for year, findings in summary["findings"].items():
        lines.extend(f"  [{year}年] {f['message']}" for f in findings)
    return "\n".join(lines)
