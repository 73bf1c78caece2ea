"""Records → canonical report JSON: 表三 from applications, 表四 from remedy cases, 表二 from catalogue and figures.

Counting rules (README.md, contract with the applications app), for organisation set S and year Y:
一 received in Y; 二 received before Y and open on 1 January; 三 closed in Y by outcome; 四 open on 31 December;
表四 cases filed in Y by their result as of 31 December. Each part is one GROUP BY query, so the number of
queries does not depend on the number of records.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q

from gongkai.applications import statistics
from gongkai.orgs.models import Organisation

from .definitions import (
    APPLICANT_COLUMNS,
    CARRIED_IN,
    CARRIED_OUT,
    CATALOGUE_COLUMNS,
    CATALOGUE_ITEM,
    CATALOGUE_ROWS,
    FORMATS,
    RECEIVED,
    REMEDY_GROUPS,
    REMEDY_RESULT_COLUMNS,
    RESULTS_TOTAL,
    TABLE3_COLUMNS,
    TABLE4_COLUMNS,
    TABLE4_GROUPS,
    TABLE4_TOTAL_COLUMN,
    CellRef,
    empty_document,
    format_for_year,
)
from .document import ReportDocument
from .models import Scope, Table2Figure

CATALOGUE_SOURCE = "政府信息公开目录（自动统计）"


@dataclass
class ComputedReport:
    """The canonical document plus where each 表二 cell came from (cell key → source)."""

    doc: dict[str, Any]
    sources: dict[str, str] = field(default_factory=dict)


def org_filter(org: Organisation, scope: str, prefix: str = "org") -> Q:
    """Q for records of ``org`` (scope self) or ``org`` and all its descendants (scope tree)."""
    if scope == Scope.TREE:
        return Q(**{f"{prefix}__path__startswith": org.path})
    return Q(**{f"{prefix}_id": org.pk})


def table3_counts(org: Organisation, year: int, fmt: str, scope: str) -> dict[str, list[int]]:
    """表三 rows (canonical keys → 7 values) from applications, in one query (contract counting rules)."""
    spec = FORMATS[fmt]
    groups = statistics.outcome_groups(org, year, tree=scope == Scope.TREE)
    rows = {key: [0] * len(TABLE3_COLUMNS) for key in spec.table3_row_keys}
    for g in groups:
        col = TABLE3_COLUMNS.index(APPLICANT_COLUMNS[g["applicant_type"]])
        rows[RECEIVED][col] += g["received"]
        rows[CARRIED_IN][col] += g["carried_in"]
        rows[CARRIED_OUT][col] += g["carried_out"]
        if g["closed"]:
            rows[spec.outcome_rows[g["outcome"]]][col] += g["closed"]
            rows[RESULTS_TOTAL][col] += g["closed"]
    for values in rows.values():
        values[-1] = sum(values[:-1])
    return rows


def table4_counts(org: Organisation, year: int, scope: str) -> dict[str, dict[str, int]]:
    """表四: remedy cases filed in ``year``, by their result as of 31 December (closed later = 尚未审结)."""
    groups = statistics.remedy_groups(org, year, tree=scope == Scope.TREE, results=REMEDY_RESULT_COLUMNS)
    table = {g: dict.fromkeys(TABLE4_COLUMNS, 0) for g in TABLE4_GROUPS}
    for g in groups:
        row = table[REMEDY_GROUPS[g["kind"]]]
        for value, column in REMEDY_RESULT_COLUMNS.items():
            row[column] += g[value]
            row[TABLE4_TOTAL_COLUMN] += g[value]
    return table


# --- 表二 ------------------------------------------------------------------------------------------------


def _catalogue_provider(org_ids: Iterable[Any], year: int) -> dict[str, dict[str, dict[str, int]]]:
    """The catalogue's neutral figures (DocKind value → issued/repealed/current) as labelled 表二 cells."""
    from gongkai.catalog.selectors import regulation_figures

    return {
        CATALOGUE_ITEM: {
            CATALOGUE_ROWS[kind]: {CATALOGUE_COLUMNS[key]: n for key, n in figures.items()}
            for kind, figures in regulation_figures(org_ids, year).items()
        }
    }


# The catalogue seam: fmt → function(org ids — a list or an id subquery —, year) giving {item: {row: {column: value}}}. The catalog app
# counts 规章 / 行政规范性文件 (2021 format, 第二十条第（一）项); register more providers here when the
# catalogue can count other cells (e.g. the 2019 format's 本年新制作数量). Entered figures win over the
# catalogue for any block the organisation entered by hand.
CATALOGUE_PROVIDERS: dict[str, Callable[[Iterable[Any], int], dict[str, dict[str, dict[str, int]]]]] = {
    "2021": _catalogue_provider,
}


_NOT_IN_FORMAT = object()


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def table2_values(
    org: Organisation, year: int, fmt: str, scope: str
) -> tuple[dict[str, dict[str, dict[str, Any]]], dict[str, str]]:
    """表二 for (org, year): entered figures (summed over the scope), else the catalogue, else blank (null)."""
    # its 表二 is the one filled here
    table = ReportDocument(empty_document(org.name, year, fmt, scope, fill=None))
    sources: dict[str, str] = {}
    figures = Table2Figure.objects.filter(org_filter(org, scope), year=year).order_by("org__path", "id")
    entered_blocks: set[str] = set()
    for f in figures:
        ref = CellRef("table2", f"{f.item}/{f.row}", f.column)
        current = table.get(ref, _NOT_IN_FORMAT)
        if current is _NOT_IN_FORMAT:
            continue  # a figure of another format's layout (kept, but not part of this format)
        entered_blocks.add(f.item)
        if f.text:
            if current is None:  # text cannot be summed: keep the first
                table.set(ref, f.text)
        elif isinstance(current, int | float):
            if f.value is not None:
                table.set(ref, _number(Decimal(str(current)) + f.value))
        elif current is None and f.value is not None:
            table.set(ref, _number(f.value))
        sources[ref.key] = (
            f.source if ref.key not in sources or sources[ref.key] == f.source else "多个来源汇总"
        )
    provider = CATALOGUE_PROVIDERS.get(fmt)
    if provider is not None:
        # A subquery, not a list: a city's ~500 ids as parameters cost more than the count itself.
        org_ids: Iterable[Any] = (
            Organisation.objects.filter(path__startswith=org.path).values("id")
            if scope == Scope.TREE
            else [org.pk]
        )
        for item, rows in provider(org_ids, year).items():
            if item in entered_blocks:
                continue
            for row, columns in rows.items():
                for column, value in columns.items():
                    ref = CellRef("table2", f"{item}/{row}", column)
                    if table.get(ref, _NOT_IN_FORMAT) is not _NOT_IN_FORMAT:
                        table.set(ref, value)
                        sources[ref.key] = CATALOGUE_SOURCE
    return table.data["table2"], sources


# --- the report --------------------------------------------------------------------------------------


def compute_report(
    org: Organisation,
    year: int,
    *,
    fmt: str | None = None,
    scope: str = Scope.SELF,
    sections: dict[str, str] | None = None,
) -> ComputedReport:
    """The canonical report (report-json.md) for ``org`` and ``year`` computed from the records.

    ``fmt`` defaults to the format the year must use (format_for_year); a pre2019 year has no tables.
    ``scope`` "self" counts the organisation's own records, "tree" those of it and all its descendants.
    ``sections`` (一…六 → text) are copied in as they are.
    """
    fmt = fmt or format_for_year(year)
    doc = empty_document(org.name, year, fmt, str(scope), unit_code=org.code)
    if sections:
        doc["sections"].update({k: v for k, v in sections.items() if k in doc["sections"]})
    if fmt not in FORMATS:
        return ComputedReport(doc)
    doc["table3"]["rows"] = table3_counts(org, year, fmt, scope)
    doc["table4"] = table4_counts(org, year, scope)
    doc["table2"], sources = table2_values(org, year, fmt, scope)
    return ComputedReport(doc, sources)
