"""The tabular import framework: a column spec plus a row parser, checked in full, applied all or nothing."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from gongkai.core.tabular import (
    ApplyError,
    Column,
    CompactRowError,
    ImportResult,
    Row,
    RowError,
    TableSpec,
    import_table,
    parse_table,
)

pytestmark = pytest.mark.django_db


def _int(value):
    text = str(value or "").strip()
    if not text.isdigit():
        raise ValueError(f"「{text}」不是整数")
    return int(text)


SPEC = TableSpec(
    columns=(
        Column("名称", "name", required=True, nonblank=True, aliases=("name",)),
        Column("数量", "count", _int, required=True),
        Column("备注", "note"),
    ),
    summary="{verb} {rows} 条测试记录。",
)


def csv(text: str) -> bytes:
    return text.encode("gbk")


def run(data, *, apply=None, dry_run=False, spec=SPEC):
    written: list[tuple[str, int]] = []

    def parse_row(row: Row):
        if row.valid("count", 0) > 100:
            row.fail("count", "太多")
        return (row.get("name"), row.get("count")) if row.ok else None

    def default_apply(items, result: ImportResult):
        written.extend(items)
        result.created.extend(name for name, _ in items)

    result = import_table(
        spec, data, "t.csv", parse_row=parse_row, apply=apply or default_apply, dry_run=dry_run
    )
    return result, written


def test_header_row_found_after_blank_rows_with_markers_aliases_and_row_numbers():
    # given a GBK CSV whose header (with a "*" marker and an alias) follows a blank line, with a blank row inside
    data = csv("\n名称*,数量,其他\n甲,1,x\n,,\n乙,2,y\n")
    result, written = run(data)
    # then every row is read, unknown columns are ignored, and the summary uses the spec's wording
    assert result.ok and written == [("甲", 1), ("乙", 2)]
    assert result.created == ["甲", "乙"] and result.summary() == "已导入 2 条测试记录。"


def test_every_problem_is_reported_sorted_and_nothing_is_written():
    data = csv("名称,数量\n甲,很多\n,3\n丙,101\n丁,4\n")
    result, written = run(data)
    assert [tuple(e) for e in result.errors] == [
        (2, "数量", "「很多」不是整数"),
        (3, "名称", "不能为空"),
        (4, "数量", "太多"),
    ]
    assert written == [] and result.rows == 1
    assert str(result.errors[0]) == "第 2 行「数量」：「很多」不是整数"
    assert result.summary().startswith("3 处错误，未导入任何记录：\n第 2 行「数量」")


def test_dry_run_checks_but_does_not_apply():
    result, written = run(csv("名称,数量\n甲,1\n"), dry_run=True)
    assert result.ok and result.rows == 1 and written == []
    assert result.summary() == "可导入 1 条测试记录。"


def test_missing_columns_and_file_errors_are_one_error_each():
    result, _ = run(csv("名称,备注\n甲,x\n"))
    assert [str(e) for e in result.errors] == ["第 1 行：缺少列：数量"]
    result, _ = run(b"\x00\x01junk")
    assert [e.row for e in result.errors] == [0] and "二进制" in str(result.errors[0])


def test_an_apply_error_rolls_back_and_reports_that_row():
    def apply(items, result):
        raise ApplyError(RowError(2, "名称", "冲突"))

    result, _ = run(csv("名称,数量\n甲,1\n"), apply=apply)
    assert [tuple(e) for e in result.errors] == [(2, "名称", "冲突")] and not result.created


def test_strict_spec_refuses_unknown_headers_stray_content_and_other_file_types():
    strict = TableSpec(columns=SPEC.columns, strict=True, error_type=CompactRowError, max_rows=1)
    _, errors, read = parse_table(strict, csv("名称,数量,其他\n甲,1,x\n"), "t.csv", lambda row: row)
    assert not read and [str(e) for e in errors] == [
        "第1行「其他」：无法识别的列名。可用的列：名称、数量、备注"
    ]
    _, errors, read = parse_table(strict, csv("名称,数量\n甲,1,x\n"), "t.csv", lambda row: row)
    assert read and [str(e) for e in errors] == ["第2行：第 3 列有内容，但这一列没有列名"]
    _, errors, _ = parse_table(strict, csv("名称,数量\n甲,1\n乙,2\n"), "t.csv", lambda row: row)
    assert [str(e) for e in errors] == ["文件超过 1 行，请拆分成几个文件分别导入。"]
    _, errors, _ = parse_table(strict, b"a,b\n", "t.txt", lambda row: row)
    assert [str(e) for e in errors] == ["只能导入 CSV（.csv）或 Excel（.xlsx）文件。"]


def test_xlsx_named_sheet_and_numbers():
    book = Workbook()
    book.active.append(["别的表"])
    sheet = book.create_sheet("数据")
    sheet.append(["名称", "数量"])
    sheet.append(["甲", 3])
    buffer = io.BytesIO()
    book.save(buffer)
    spec = TableSpec(columns=SPEC.columns, sheet="数据")
    items, errors, _ = parse_table(spec, buffer.getvalue(), "t.xlsx", lambda row: dict(row.values))
    assert errors == [] and items == [{"name": "甲", "count": 3}]
