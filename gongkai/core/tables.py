"""Reading the spreadsheets clerks upload: CSV (UTF-8 with or without BOM, or GBK/GB18030) and XLSX.

One reader for every import (organisations, ledgers, 表二 figures, calendar arrangements), so every import
accepts the same files and refuses bad ones with the same Chinese messages.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from gongkai.core import uploads
from gongkai.core.exports import unescape_cell  # drops the "'" our CSV export puts before "=", "+", …
from gongkai.core.text import has_control_characters

XLSX_SUFFIXES = (".xlsx", ".xlsm")
XLSX_UNREADABLE = "无法读取该 XLSX 文件：文件可能已损坏，或不是 Excel 2007 及以后版本保存的工作簿。"
OLD_EXCEL = (
    "这是旧版 Excel（.xls）文件或设了密码的工作簿，请在 Excel 中另存为 .xlsx（不设密码）或 CSV 后再导入。"
)
ZIP_MAGIC, OLE_MAGIC = b"PK\x03\x04", b"\xd0\xcf\x11\xe0"  # XLSX (zip); .xls or an encrypted workbook (OLE)


class TableFileError(ValueError):
    """The file as a whole cannot be read; the message is for the clerk."""


def decode_text(data: bytes) -> str:
    """Text of a CSV/TXT file: UTF-8 (BOM optional), else GB18030 (a superset of the GBK that Excel in China writes)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise TableFileError(
            "文件是 UTF-16 编码（Excel 的“Unicode 文本”），请另存为“CSV UTF-8（逗号分隔）”或 XLSX 后再导入。"
        )
    if b"\x00" in data:
        raise TableFileError("文件不是文本格式的 CSV（含有二进制内容），请确认选对了文件。")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TableFileError(
        "无法识别文件的文字编码（既不是 UTF-8 也不是 GBK），请在 Excel 中另存为“CSV UTF-8（逗号分隔）”后再导入。"
    )


def read_sheet(
    data: bytes, filename: str, *, sheet: str | None = None, strict_type: bool = False
) -> list[list[Any]]:
    """Every row of a CSV, or of an XLSX sheet (``sheet`` if present, else the first), as raw cell values.

    Row ``i`` of the list is spreadsheet row ``i + 1`` (blank rows are kept, so numbers stay right). The shared
    upload guards (``core.uploads``) apply: at most MAX_SHEET_BYTES, MAX_SHEET_ROWS rows and MAX_SHEET_COLUMNS
    columns, and an XLSX is checked as a zip (bomb, row count) before openpyxl opens it. A cell holding a
    control character is refused; the "'" our CSV export puts before "=", "+", … is dropped again.
    ``strict_type``: only .csv and .xlsx names, and the name must agree with the content.
    """
    is_xlsx = _check_type(data, filename, strict=strict_type)
    try:
        uploads.check_size(len(data), uploads.MAX_SHEET_BYTES)
        if is_xlsx:
            uploads.check_xlsx(data)
    except uploads.UploadRefused as exc:
        raise TableFileError(XLSX_UNREADABLE if exc.reason == "damaged" else str(exc)) from exc
    if not is_xlsx:
        try:
            rows = _bounded(csv.reader(io.StringIO(decode_text(data), newline="")), pad=False)
        except csv.Error as exc:
            raise TableFileError(
                f"CSV 文件格式有误，无法读取（{exc}）。请用 Excel 重新另存为 CSV 后再导入。"
            ) from exc
        return refuse_control_characters([[unescape_cell(v) for v in row] for row in rows])
    return refuse_control_characters([[unescape_cell(v) for v in row] for row in _read_xlsx(data, sheet)])


def _check_type(data: bytes, filename: str, *, strict: bool) -> bool:
    """Whether the file is read as XLSX; TableFileError for an old or encrypted workbook, or a misnamed file."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension == "xls" or (data.startswith(OLE_MAGIC) and extension in {"csv", "xlsx", "xlsm"}):
        raise TableFileError(OLD_EXCEL)
    is_xlsx = f".{extension}" in XLSX_SUFFIXES
    if is_xlsx and strict and not data.startswith(ZIP_MAGIC):
        raise TableFileError("文件扩展名是 .xlsx，但内容不是 Excel 工作簿，请确认选对了文件。")
    if extension == "csv" and data.startswith(ZIP_MAGIC):
        raise TableFileError("文件扩展名是 .csv，但内容是 Excel 工作簿，请把扩展名改为 .xlsx 或另存为 CSV。")
    if strict and not is_xlsx and extension != "csv":
        raise TableFileError("只能导入 CSV（.csv）或 Excel（.xlsx）文件。")
    return is_xlsx


def _read_xlsx(data: bytes, sheet: str | None) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds (zip, XML, key errors) for a damaged file
        raise TableFileError(XLSX_UNREADABLE) from exc
    try:
        if not book.worksheets:
            raise TableFileError("XLSX 文件中没有工作表。")
        ws = book[sheet] if sheet and sheet in book.sheetnames else book.worksheets[0]
        cells = ws.iter_rows(
            max_row=uploads.MAX_SHEET_ROWS + 1, max_col=uploads.MAX_SHEET_COLUMNS + 1, values_only=True
        )  # bounded: the sheet's own (declared) size could pad every row to 16,384 cells
        return _bounded(cells, pad=True)
    except TableFileError:
        raise
    except Exception as exc:  # a damaged sheet fails while its rows are read
        raise TableFileError(XLSX_UNREADABLE) from exc
    finally:
        book.close()


def control_character_message(row: int, column: int) -> str:
    return f"第 {row} 行第 {column} 列含有不可见的控制字符，请在表格中删除后重新导入。"


def refuse_control_characters(rows: list[list[Any]], *, first_row: int = 1) -> list[list[Any]]:
    """``rows`` unchanged, or TableFileError naming the first cell holding a control character (core.text)."""
    for r, row in enumerate(rows, start=first_row):
        for c, value in enumerate(row, start=1):
            if isinstance(value, str) and has_control_characters(value):
                raise TableFileError(control_character_message(r, c))
    return rows


def _bounded(rows: Iterable[Sequence[Any]], *, pad: bool) -> list[list[Any]]:
    """At most MAX_SHEET_ROWS rows of at most MAX_SHEET_COLUMNS cells, else TableFileError.

    XLSX rows (``pad``) lose their trailing empty cells, then all are padded to the widest row.
    """
    out: list[list[Any]] = []
    try:
        for row in rows:
            uploads.check_rows(len(out) + 1)
            cells = list(row)
            while pad and cells and cells[-1] is None:
                cells.pop()
            uploads.check_columns(len(cells))
            out.append(cells)
    except uploads.UploadRefused as exc:
        raise TableFileError(str(exc)) from exc
    if pad:
        width = max(map(len, out), default=0)
        out = [cells + [None] * (width - len(cells)) for cells in out]
    return out
