"""Typed access to a canonical report document (report-json.md) without changing its JSON.

``ReportDocument(data)`` wraps the dict every part of the app stores and exchanges (``Report.data``, the API,
the importer's output); it reads and writes that dict in place. Cells are addressed by ``CellRef`` or by its key
``"table3:<row key>:<column>"`` / ``"table2:<item>/<row>:<column>"`` / ``"table4:<group>:<column>"`` (the cell
keys of the findings).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .definitions import (
    FORMATS,
    OTHER_2019,
    TABLE3_TOTAL_COLUMN,
    CellRef,
    ReportFormat,
    cell_slot,
    cell_value,
)

# What reading an absent or malformed cell raises (cell_value); ``get`` turns each into its default.
_ABSENT = (KeyError, IndexError, TypeError, ValueError, AttributeError)


def as_ref(ref: CellRef | str) -> CellRef:
    """A CellRef, or its key parsed."""
    return ref if isinstance(ref, CellRef) else CellRef.parse(ref)


class ReportDocument:
    """One canonical report: ``cell(ref)`` (raises if absent), ``get(ref, default)`` (never raises),
    ``set(ref, value)``, ``rows()`` (表三 rows as stored), ``total(row)`` (a 表三 row's 总计); iterating gives the
    CellRef of every data cell of the document's format (表二, 表三, 表四, in reading order)."""

    __slots__ = ("data",)

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    # -- the document -----------------------------------------------------------------------------------

    @property
    def spec(self) -> ReportFormat | None:
        """The official format the document says it uses (None: pre2019 or unknown)."""
        return FORMATS.get(str(self.data.get("format")))

    def has_table(self, table: str) -> bool:
        """Whether ``table`` ("table2"/"table3"/"table4") is present as a table (not null or malformed)."""
        return isinstance(self.data.get(table), dict)

    def sections(self) -> dict[str, Any]:
        """一…六 → text as stored ({} when absent or malformed)."""
        sections = self.data.get("sections")
        return sections if isinstance(sections, dict) else {}

    # -- cells ------------------------------------------------------------------------------------------

    def cell(self, ref: CellRef | str) -> Any:
        """The value at ``ref``; raises KeyError/IndexError/TypeError/ValueError when the cell is absent."""
        return cell_value(self.data, as_ref(ref))

    def get(self, ref: CellRef | str, default: Any = None) -> Any:
        """The value at ``ref``, or ``default`` when the cell is absent or the document malformed."""
        try:
            return self.cell(ref)
        except _ABSENT:
            return default

    def set(self, ref: CellRef | str, value: Any) -> None:
        """Write one cell (its table, row and column must exist: raises like ``cell`` otherwise)."""
        container, key = cell_slot(self.data, as_ref(ref))
        container[key] = value

    def rows(self) -> dict[str, Any]:
        """表三 row key → values, as stored ({} when 表三 is absent or malformed)."""
        t3 = self.data.get("table3")
        rows = t3.get("rows") if isinstance(t3, dict) else None
        return rows if isinstance(rows, dict) else {}

    def single_other(self) -> bool:
        """A 2021 report on a local template keeping the single （六）其他处理 row (report-json.md): that row holds
        figures and its three sub-rows are absent or blank. Not when 表二 is the 2019 format's too (its
        第二十条第（九）项): that is the 2019 tables in a 2021 report, reported as missing and unexpected rows."""
        spec = self.spec
        rows = self.rows()
        single = rows.get(OTHER_2019)
        if spec is None or spec.code != "2021" or not isinstance(single, list):
            return False
        t2 = self.data.get("table2")
        old = {b.item for b in FORMATS["2019"].table2_layout.blocks} - {
            b.item for b in spec.table2_layout.blocks
        }
        if isinstance(t2, dict) and old & set(t2):
            return False
        subs = [k for k in spec.table3_row_keys if k.startswith(f"{OTHER_2019}/")]
        blank = all(not isinstance(rows.get(k), list) or all(v is None for v in rows[k]) for k in subs)
        return blank and any(v is not None for v in single)

    def total(self, row: str, default: Any = None) -> Any:
        """The 总计 of 表三 row ``row``, or ``default`` when absent."""
        return self.get(CellRef("table3", row, TABLE3_TOTAL_COLUMN), default)

    def refs(self) -> list[CellRef]:
        """Every data cell of the document's format: 表二, 表三, 表四 ([] for pre2019 or an unknown format)."""
        spec = self.spec
        if spec is None:
            return []
        return spec.table2_layout.cells() + spec.table3_cells() + spec.table4_layout.cells()

    def __iter__(self) -> Iterator[CellRef]:
        return iter(self.refs())
