"""The shared reader of uploaded spreadsheets (every import uses it)."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from gongkai.core.tables import TableFileError, decode_text, read_sheet

ROWS = [["名称", "代码"], ["青山县财政局", "000014349"]]


def _csv(encoding: str) -> bytes:
    return "\n".join(",".join(r) for r in ROWS).encode(encoding)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_the_encodings_excel_writes(encoding):
    assert read_sheet(_csv(encoding), "a.csv") == ROWS


def test_xlsx_named_sheet_or_first():
    book = Workbook()
    book.active.title = "其他"
    book.active.append(["x"])
    sheet = book.create_sheet("申请")
    for row in ROWS:
        sheet.append(row)
    buf = io.BytesIO()
    book.save(buf)
    assert read_sheet(buf.getvalue(), "a.xlsx", sheet="申请") == ROWS
    assert read_sheet(buf.getvalue(), "a.xlsx") == [["x"]]
    assert read_sheet(buf.getvalue(), "a.xlsx", sheet="不存在") == [["x"]]


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        ("名称".encode("utf-16"), "a.csv", "UTF-16"),
        (b"\x00\x01binary", "a.csv", "二进制"),
        (b"\xff\xfe\xfd" * 3 + b"\x81", "a.csv", "编码"),
        (b"not a zip", "a.xlsx", "XLSX"),
    ],
)
def test_unreadable_files_get_a_chinese_message(data, filename, message):
    with pytest.raises(TableFileError, match=message):
        read_sheet(data, filename)


def test_decode_text_prefers_utf8():
    assert decode_text("预算".encode()) == "预算"
