"""Reading the spreadsheets clerks upload: CSV (UTF-8 with or without BOM, or GBK/GB18030) and XLSX.

One reader for every import (organisations, ledgers, 表二 figures, calendar arrangements), so every import
accepts the same files and refuses bad ones with the same Chinese messages.
"""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

XLSX_SUFFIXES = (".xlsx", ".xlsm")


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
    """Every row of a CSV, or of an XLSX sheet (``sheet`` if present, else the first), as raw cell values."""
    if not filename.lower().endswith(XLSX_SUFFIXES):
        return [list(row) for row in csv.reader(io.StringIO(decode_text(data)))]
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise TableFileError(
            "无法打开该 XLSX 文件（文件已损坏、加密，或不是 Excel 2007 及以后的格式）。"
        ) from exc
    try:
        ws = book[sheet] if sheet and sheet in book.sheetnames else book.worksheets[0]
        return [list(row) for row in ws.iter_rows(values_only=True)]
    finally:
        book.close()
