"""Building and reading a canonical document (report-json.md) of a format, and the publication deadline."""

from __future__ import annotations

from datetime import date
from typing import Any

from .formats import FORMATS
from .labels import SCHEMA, SECTION_NUMBERS, CellRef


def empty_document(
    unit: str,
    year: int | None,
    fmt: str,
    scope: str,
    *,
    unit_code: str | None = None,
    fill: int | None = 0,
) -> dict[str, Any]:
    """A canonical JSON skeleton (report-json.md) listing every row and cell of ``fmt``, each set to ``fill``."""
    doc: dict[str, Any] = {
        "schema": SCHEMA,
        "unit": unit,
        "unit_code": unit_code,
        "year": year,
        "format": fmt,
        "scope": scope,
        "sections": {n: "" for n in SECTION_NUMBERS},
        "table2": None,
        "table3": None,
        "table4": None,
    }
    spec = FORMATS.get(fmt)
    if spec is None:  # pre2019: no fixed tables
        return doc
    doc["table2"] = {
        b.item: {r: {c.label: fill for c in b.columns} for r in b.rows} for b in spec.table2_layout.blocks
    }
    doc["table3"] = {
        "columns": list(spec.table3_columns),
        "rows": {r.key: [fill] * len(spec.table3_columns) for r in spec.table3_rows},
    }
    doc["table4"] = {g: {c: fill for c in spec.table4_layout.columns} for g in spec.table4_layout.groups}
    return doc


def cell_slot(doc: dict[str, Any], ref: CellRef) -> tuple[Any, Any]:
    """Where ``ref`` lives in a canonical document: (its row container, the index or key in it).

    Raises KeyError/IndexError/TypeError/ValueError if the table, row or column is absent. The one way a cell
    is addressed: ``cell_value`` reads it, ``gongkai.reports.document.ReportDocument`` reads and writes it.
    """
    if ref.table == "table3":
        t3 = doc["table3"]
        return t3["rows"][ref.row], list(t3["columns"]).index(ref.column)
    if ref.table == "table4":
        return doc["table4"][ref.row], ref.column
    item, row = ref.row.split("/", 1)
    return doc["table2"][item][row], ref.column


def cell_value(doc: dict[str, Any], ref: CellRef) -> Any:
    """The value at ``ref`` in a canonical document; raises KeyError/IndexError/TypeError/ValueError if absent."""
    container, key = cell_slot(doc, ref)
    return container[key]


def publication_deadline(year: int, org_kind: str | None) -> date:
    """Latest publication date (inclusive) for the report on ``year`` by organisation kind alone.

    Governments (``org_kind == "government"``) by 3月31日, 县级以上人民政府部门 by 1月31日 of the following
    year (条例第四十九条); under the 2008 条例 (reports on 2008–2018, 第三十一条) every agency by 3月31日. Kinds
    第四十九条 does not name follow the deployment's local rule. One source: ``gongkai.orgs.report_deadlines``
    (use ``org_report_deadline(org, year)`` where the organisation is known: it adds its own override).
    """
    from gongkai.orgs.report_deadlines import report_deadline

    return report_deadline(year, kind=org_kind or "department").due
