"""Reading the spreadsheets clerks upload: CSV (UTF-8 with or without BOM, or GBK/GB18030) and XLSX.

One reader for every import (organisations, ledgers, 表二 figures, calendar arrangements), so every import
accepts the same files and refuses bad ones with the same Chinese messages.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from typing import Any

from gongkai.core import uploads
from gongkai.core.exports import unescape_cell  # drops the "'" our CSV export puts before "=", "+", …
from gongkai.core.text import has_control_characters

XLSX_SUFFIXES = (".xlsx", ".xlsm")
XLSX_UNREADABLE = "无法打开该 XLSX 文件（文件已损坏、加密，或不是 Excel 2007 及以后的格式）。"


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


def read_sheet(data: bytes, filename: str, *, sheet: str | None = None) -> list[list[Any]]:
    """Every row of a CSV, or of an XLSX sheet (``sheet`` if present, else the first), as raw cell values.

    The shared upload guards (``core.uploads``) apply: at most MAX_SHEET_BYTES, MAX_SHEET_ROWS rows and
    MAX_SHEET_COLUMNS columns, and an XLSX is checked as a zip (bomb, row count) before openpyxl opens it.
    """
    is_xlsx = filename.lower().endswith(XLSX_SUFFIXES)
    try:
        uploads.check_size(len(data), uploads.MAX_SHEET_BYTES)
        if is_xlsx:
            uploads.check_xlsx(data)
    except uploads.UploadRefused as exc:
        raise TableFileError(XLSX_UNREADABLE if exc.reason == "damaged" else str(exc)) from exc
    if not is_xlsx:
        try:
            rows = _bounded(csv.reader(io.StringIO(decode_text(data))), pad=False)
        except csv.Error as exc:
            raise TableFileError(
                f"CSV 文件格式有误，无法读取（{exc}）。请用 Excel 重新另存为 CSV 后再导入。"
            ) from exc
        return refuse_control_characters([[unescape_cell(v) for v in row] for row in rows])
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise TableFileError(XLSX_UNREADABLE) from exc
    try:
        ws = book[sheet] if sheet and sheet in book.sheetnames else book.worksheets[0]
        cells = ws.iter_rows(
            max_row=uploads.MAX_SHEET_ROWS + 1, max_col=uploads.MAX_SHEET_COLUMNS + 1, values_only=True
        )  # bounded: the sheet's own (declared) size could pad every row to 16,384 cells
        return refuse_control_characters(
            [[unescape_cell(v) for v in row] for row in _bounded(cells, pad=True)]
        )
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
