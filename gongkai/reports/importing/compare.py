"""Comparing a unit's reports across years: carry-over and copied-text checks, and key figures side by side."""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from gongkai.reports import checks
from gongkai.reports import definitions as defs

# Findings produced while reading (not by the rule engine); they survive a re-check.
READING_PREFIXES = ("import_", "pre2019_")
CROSS_YEAR_CODES = {"carry_over_mismatch", "section_copied", "previous_year_mismatch"}

KEY_FIGURES: tuple[tuple[str, str, str], ...] = (
    ("本年新收申请", "table3", defs.RECEIVED),
    ("上年结转", "table3", defs.CARRIED_IN),
    ("办理结果总计", "table3", defs.RESULTS_TOTAL),
    ("结转下年度", "table3", defs.CARRIED_OUT),
    ("行政复议", "table4", "行政复议"),
    ("行政诉讼（直接起诉）", "table4", "行政诉讼/未经复议直接起诉"),
    ("行政诉讼（复议后起诉）", "table4", "行政诉讼/复议后起诉"),
)


def _figure(doc: dict[str, Any], table: str, row: str) -> Any:
    total = defs.TABLE3_TOTAL_COLUMN if table == "table3" else defs.TABLE4_COLUMNS[-1]
    ref = defs.CellRef(table, row, total)
    try:
        return defs.cell_value(doc, ref)
    except (KeyError, IndexError, TypeError, ValueError):
        return None


def by_unit(docs: Sequence[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Annual reports grouped by unit, each group sorted by year (reports without unit or year left out)."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for doc in docs:
        if doc.get("kind") == "annual_report" and doc.get("unit") and isinstance(doc.get("year"), int):
            groups[doc["unit"]].append(doc)
    return {unit: sorted(group, key=lambda d: d["year"]) for unit, group in groups.items()}


def link_years(docs: Sequence[dict[str, Any]]) -> int:
    """Re-check every report that has its unit's previous-year report in docs; returns how many were linked.

    The engine's check_document(previous=...) does the cross-year rules; reading findings are kept.
    """
    linked = 0
    for group in by_unit(docs).values():
        for previous, doc in itertools.pairwise(group):
            if doc["year"] != previous["year"] + 1:
                continue
            fresh = [f.as_dict() for f in checks.check_document(doc, previous=previous)]
            added = [f for f in fresh if f["code"] in CROSS_YEAR_CODES]
            doc["findings"] = [
                f for f in doc.get("findings", []) if f["code"] not in CROSS_YEAR_CODES
            ] + added
            doc.setdefault("source", {})["previous_year_file"] = (previous.get("source") or {}).get("file")
            linked += 1
    return linked


def compare_unit(group: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Key figures of one unit's reports by year, plus the cross-year findings of each year."""
    years = [d["year"] for d in group]
    rows = [
        {"label": label, "values": [_figure(d, table, row) for d in group]}
        for label, table, row in KEY_FIGURES
    ]
    findings = {d["year"]: [f for f in d.get("findings", []) if f["code"] in CROSS_YEAR_CODES] for d in group}
    return {
        "unit": group[0].get("unit") if group else None,
        "years": years,
        "rows": rows,
        "findings": findings,
    }
