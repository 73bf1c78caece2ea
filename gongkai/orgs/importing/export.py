"""Export of the organisation tree as CSV or XLSX, in the import's columns (re-importable as is)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from gongkai.core.exports import SafeWorkbook, write_csv

from ..models import ExtensionApproval, Level, Organisation, OrgKind
from .columns import COLUMNS, HEADERS


def _export_rows(orgs: Iterable[Organisation]) -> Iterator[list[Any]]:
    ordered = sorted(orgs, key=lambda o: o.path)  # a parent's path is a prefix of its children's
    linked = {pk for o in ordered for pk in (o.parent_id, o.handling_office_id) if pk}
    code_of_pk = dict(Organisation.objects.filter(pk__in=linked).values_list("pk", "code"))
    for org in ordered:
        row: list[Any] = []
        for column in COLUMNS:
            if column.field in ("parent", "handling_office"):  # by code; blank: top level / handles its own
                pk = getattr(org, f"{column.field}_id")
                row.append(code_of_pk.get(pk, "") if pk else "")
            elif column.kind == "level":
                row.append(Level(org.level).label)
            elif column.kind == "kind":
                row.append(OrgKind(org.kind).label)
            elif column.kind == "yesno":
                row.append("是" if getattr(org, column.field) else "否")
            elif column.kind == "approval":
                row.append(ExtensionApproval(org.extension_approval).label)
            else:
                row.append(getattr(org, column.field))
        yield row


def export_orgs(orgs: Iterable[Organisation], fmt: str) -> bytes:
    """The organisations as CSV (UTF-8 with BOM, for Excel) or XLSX, parents first, re-importable as is."""
    if fmt == "csv":
        return write_csv(_export_rows(orgs), header=HEADERS)
    if fmt == "xlsx":
        return _export_xlsx(orgs)
    raise ValueError(f"unknown export format: {fmt!r}")


def _export_xlsx(orgs: Iterable[Organisation]) -> bytes:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = SafeWorkbook()
    safe = workbook.sheet("机构")
    sheet = safe.ws
    for cell in safe.append(HEADERS):
        cell.font = Font(bold=True)
    for values in _export_rows(orgs):
        for cell in safe.append(values):  # text cells, even when one starts with "=" (never a formula)
            if isinstance(cell.value, str):
                cell.number_format = "@"
    for index, column in enumerate(COLUMNS, start=1):
        dimension = sheet.column_dimensions[get_column_letter(index)]
        dimension.width = 24 if column.kind in {"code", "text"} else 10
        if column.kind != "int":
            dimension.number_format = "@"  # rows typed in later keep codes and postcodes as text
    sheet.freeze_panes = "A2"
    return workbook.to_bytes()
