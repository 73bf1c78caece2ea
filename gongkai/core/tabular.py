"""One way in: every spreadsheet import is a column spec plus a row parser.

``import_table(spec, data, filename, parse_row=…, plan=…, apply=…, dry_run=…)`` reads the file with the one
reader (``tables.read_sheet``: CSV UTF-8/BOM/GBK/GB18030 or XLSX, the shared upload guards, control
characters refused, export escapes undone), finds the header row, parses every cell with its column's parser,
hands each row to ``parse_row``, then checks all rows together (``plan``) and writes them (``apply``) in one
transaction — nothing at all when any row has an error, nothing either on a dry run. Every problem is a
``RowError(row, column, reason)``; the clerk sees all of them at once. ``parse_table`` is the first half
alone, for an importer whose writing step is its own (the calendar arrangements' preview and confirm).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.core.tables import TableFileError, read_sheet

T = TypeVar("T")
P = TypeVar("P")


class RowError(NamedTuple):
    """One problem in the file; ``row`` is the spreadsheet row (header = 1, 0 = the whole file).

    A tuple, so callers may also unpack ``row, column, reason``.
    """

    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return self.message(gap=" ")

    def message(self, *, gap: str) -> str:
        """ "第 3 行「代码」：…" with ``gap`` around the row number; the reason alone for the whole file."""
        if self.row == 0:
            return self.reason
        where = f"第{gap}{self.row}{gap}行" + (f"「{self.column}」" if self.column else "")
        return f"{where}：{self.reason}"


class CompactRowError(RowError):
    """The same problem in the organisation import's wording ("第3行「代码」：…", no spaces)."""

    __slots__ = ()

    def __str__(self) -> str:
        return self.message(gap="")


class ApplyError(Exception):
    """Raised by ``apply`` for a problem the checks did not foresee: everything is rolled back."""

    def __init__(self, error: RowError) -> None:
        super().__init__(str(error))
        self.error = error


class CellError(ValueError):
    """A cell's reason for the clerk, keeping the text read (e.g. a normalised code) as the row's value."""

    def __init__(self, reason: str, value: Any) -> None:
        super().__init__(reason)
        self.value = value


def cell_text(value: Any) -> str:
    """A cell as text: integral numbers without '.0', times without seconds when they have none."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="minutes" if value.second == 0 else "seconds")
    if isinstance(value, dt.time):
        return value.isoformat(timespec="minutes" if value.second == 0 else "seconds")
    return str(value).replace("\u3000", " ").strip()


def raw_cell(value: Any) -> Any:
    """The parser of a column whose row parser wants the cell as read (numbers stay numbers)."""
    return value


def is_filled(value: Any) -> bool:
    return value is not None and str(value).strip() != ""


@dataclass(frozen=True)
class Column:
    """One column: its header (and other names it may go by) and what a cell of it becomes.

    ``parse(cell) -> value`` gets the raw cell (also when blank) and raises ValueError or ValidationError
    with the reason for the clerk; the default is ``cell_text``. ``required``: the header must be there.
    ``nonblank``: the cell must not be empty (「不能为空」). ``keep_blank``: a blank cell leaves the field out
    of the row (an upsert then keeps the current value). ``kind`` is the importer's own tag.
    """

    header: str
    field: str
    parse: Callable[[Any], Any] = cell_text
    required: bool = False
    nonblank: bool = False
    keep_blank: bool = False
    aliases: tuple[str, ...] = ()
    kind: str = "text"


def _missing_columns(missing: Sequence[str], header: Sequence[str]) -> list[RowError]:
    return [RowError(1, "", f"缺少列：{'、'.join(missing)}")]


@dataclass(frozen=True)
class TableSpec:
    """The columns of one kind of file and how the file as a whole is checked.

    ``strict``: every header must be known (an unknown, repeated or ";"-separated header is an error, and so
    is content under no header), and the file must be a .csv or .xlsx whose content agrees with its name.
    Otherwise unknown columns are ignored. Header cells lose a trailing ``*`` (a "required" marker).
    """

    columns: tuple[Column, ...]
    sheet: str | None = None  # the XLSX sheet to read when present (else the first)
    strict: bool = False
    error_type: type[RowError] = RowError
    max_bytes: int | None = None  # below the shared guard's 5 MB, with the message below
    max_rows: int | None = None  # data rows (blank rows aside)
    too_large: str = "文件超过 {mb} MB，请拆分成几个文件分别导入。"
    too_many_rows: str = "文件超过 {max_rows} 行，请拆分成几个文件分别导入。"
    empty: RowError | None = None  # no header row at all (None: every required column is missing)
    no_rows: RowError | None = None  # a header and nothing under it (None: an empty import is fine)
    missing: Callable[[Sequence[str], Sequence[str]], list[RowError]] = _missing_columns
    comment_prefix: str | None = None  # rows whose first filled cell starts with it are skipped
    summary: str = "{verb} {rows} 条记录。"  # also {created}, {updated}, {unchanged}

    def error(self, row: int, column: str, reason: str) -> RowError:
        return self.error_type(row, column, reason)

    def header_of(self, name: str) -> str:
        """The header of the column with field ``name``; other text (a header, "") is returned as is."""
        for column in self.columns:
            if column.field == name:
                return column.header
        return name

    def column_for(self, header: str) -> Column | None:
        wanted = header.lower()
        for column in self.columns:
            if wanted in (column.header.lower(), *(a.lower() for a in column.aliases)):
                return column
        return None


@dataclass
class Row:
    """One data row as the row parser sees it: parsed values by field, and the problems found so far."""

    number: int
    spec: TableSpec
    values: dict[str, Any] = field(default_factory=dict)  # only the columns the file has
    bad: set[str] = field(default_factory=set)  # fields whose cell has an error
    filled: set[str] = field(default_factory=set)  # fields whose cell is not blank
    errors: list[RowError] = field(default_factory=list)

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)

    def valid(self, name: str, default: Any = None) -> Any:
        """The parsed value, or ``default`` when the cell had an error or the column is absent."""
        return default if name in self.bad else self.values.get(name, default)

    def given(self, name: str) -> bool:
        """Whether the cell was filled in (even with something wrong)."""
        return name in self.filled

    def fail(self, column: str, reason: str) -> None:
        """Report a problem in the cell of ``column`` (a field or a header; "" = the row as a whole)."""
        self.errors.append(self.spec.error(self.number, self.spec.header_of(column), reason))
        if column:
            self.bad.add(column)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class ImportResult:
    """What an import did (or, for a dry run or a rejected file, would do)."""

    created: list[str] = field(default_factory=list)  # keys (codes, tracking numbers, …) per outcome
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False
    rows: int = 0  # rows that passed the checks
    template: str = TableSpec.summary

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            return f"{len(self.errors)} 处错误，未导入任何记录：\n" + "\n".join(str(e) for e in self.errors)
        return self.template.format(
            verb="可导入" if self.dry_run else "已导入",
            rows=self.rows,
            created=len(self.created),
            updated=len(self.updated),
            unchanged=len(self.unchanged),
        )


class _Refused(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors


def parse_table(
    spec: TableSpec, data: bytes, filename: str, parse_row: Callable[[Row], T | None]
) -> tuple[list[T], list[RowError], bool]:
    """(items, errors, rows_read): every row through ``parse_row`` (None = leave the row out).

    ``rows_read`` is False when the file, its header or its size stops the import before any row is read.
    """
    try:
        return _parse(spec, data, filename, parse_row)
    except _Refused as refused:
        return [], _sorted(spec, refused.errors), False


def _parse(
    spec: TableSpec, data: bytes, filename: str, parse_row: Callable[[Row], T | None]
) -> tuple[list[T], list[RowError], bool]:
    if spec.max_bytes is not None and len(data) > spec.max_bytes:
        raise _Refused([spec.error(0, "", spec.too_large.format(mb=spec.max_bytes // 1024 // 1024))])
    try:
        cells = read_sheet(data, filename, sheet=spec.sheet, strict_type=spec.strict)
    except TableFileError as exc:
        raise _Refused([spec.error(0, "", str(exc))]) from exc
    numbered = [
        (number, row)
        for number, row in enumerate(cells, start=1)
        if any(is_filled(v) for v in row) and not _is_comment(spec, row)
    ]
    if not numbered and spec.empty is not None:
        raise _Refused([spec.empty])
    header_number, header = numbered[0] if numbered else (1, [])
    columns, errors = _map_header(spec, header_number, header)
    if errors:
        raise _Refused(errors)
    body = [(n, row) for n, row in numbered[1:] if spec.strict or any(is_filled(row[i]) for i in columns)]
    if spec.max_rows is not None and len(body) > spec.max_rows:
        raise _Refused([spec.error(0, "", spec.too_many_rows.format(max_rows=spec.max_rows))])
    if not body and spec.no_rows is not None:
        raise _Refused([spec.no_rows])
    items: list[T] = []
    for number, values in body:
        row = _row(spec, columns, number, values)
        item = parse_row(row)
        errors.extend(row.errors)
        if item is not None:
            items.append(item)
    return items, errors, True


def _is_comment(spec: TableSpec, row: Sequence[Any]) -> bool:
    if spec.comment_prefix is None:
        return False
    first = next((v for v in row if is_filled(v)), "")
    return cell_text(first).startswith(spec.comment_prefix)


def _map_header(
    spec: TableSpec, number: int, cells: Sequence[Any]
) -> tuple[dict[int, Column], list[RowError]]:
    """Column index -> Column for the header row, and every problem with the header."""
    errors: list[RowError] = []
    columns: dict[int, Column] = {}
    seen: dict[str, int] = {}
    texts = [cell_text(c).lstrip("\ufeff").rstrip("*＊").strip() for c in cells]
    for index, header in enumerate(texts):
        if not header:
            continue
        column = spec.column_for(header)
        if header in seen:
            if spec.strict:
                errors.append(
                    spec.error(number, header, f"列名重复（第 {seen[header] + 1} 列和第 {index + 1} 列）")
                )
        elif spec.strict and any(separator in header for separator in ";；\t"):
            errors.append(
                spec.error(
                    number, header, "表头不是用逗号分隔的，请在 Excel 中另存为“CSV（逗号分隔）”后再导入"
                )
            )
        elif column is None:
            if spec.strict:
                known = "、".join(c.header for c in spec.columns)
                errors.append(spec.error(number, header, f"无法识别的列名。可用的列：{known}"))
        elif column not in columns.values():  # another name of a column already present: the first counts
            columns[index] = column
        seen.setdefault(header, index)
    present = set(columns.values())
    missing = [c.header for c in spec.columns if c.required and c not in present]
    if missing:
        errors.extend(spec.missing(missing, [t for t in texts if t]))
    return columns, errors


def _row(spec: TableSpec, columns: dict[int, Column], number: int, cells: Sequence[Any]) -> Row:
    row = Row(number, spec)
    for index, value in enumerate(cells):
        column = columns.get(index)
        if column is None:
            if spec.strict and is_filled(value):
                row.fail("", f"第 {index + 1} 列有内容，但这一列没有列名")
            continue
        if is_filled(value):
            row.filled.add(column.field)
        elif column.keep_blank:
            continue
        try:
            row.values[column.field] = column.parse(value)
        except ValidationError as exc:
            row.values[column.field] = cell_text(value)
            row.fail(column.field, "；".join(exc.messages))
        except ValueError as exc:
            row.values[column.field] = getattr(exc, "value", cell_text(value))
            row.fail(column.field, str(exc))
    for column in columns.values():
        if column.nonblank and column.field not in row.bad and not row.values.get(column.field):
            row.fail(column.field, "不能为空")
    return row


def import_table(
    spec: TableSpec,
    data: bytes,
    filename: str,
    *,
    parse_row: Callable[[Row], T | None],
    plan: Callable[[list[T], ImportResult], P] | None = None,
    apply: Callable[[P, ImportResult], None] | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """Read, check every row, then write all of them or none (see the module's docstring).

    ``plan(items, result)`` checks the rows together and against the database, appends its problems to
    ``result.errors`` and may fill ``created``/``updated``/``unchanged``; it returns what ``apply`` writes
    (default: the items). ``apply(planned, result)`` runs only when no row has an error and not on a dry
    run; it may raise ApplyError for a problem found while writing, which undoes everything.
    """
    result = ImportResult(dry_run=dry_run, template=spec.summary)
    items, result.errors, rows_read = parse_table(spec, data, filename, parse_row)
    result.rows = len(items)
    if not rows_read:
        return result
    try:
        with transaction.atomic():
            planned: Any = plan(items, result) if plan is not None else items
            if result.errors or dry_run:
                return _finish(spec, result)
            if apply is not None:
                apply(planned, result)
    except ApplyError as exc:
        return ImportResult(errors=[exc.error], dry_run=dry_run, template=spec.summary)
    return _finish(spec, result)


def _finish(spec: TableSpec, result: ImportResult) -> ImportResult:
    result.errors = _sorted(spec, result.errors)
    return result


def _sorted(spec: TableSpec, errors: list[RowError]) -> list[RowError]:
    """By row, then in the order of the spec's columns (problems of the row as a whole first)."""
    order = {c.header: i for i, c in enumerate(spec.columns)}
    return sorted(errors, key=lambda e: (e.row, order.get(e.column, -1)))


__all__ = [
    "ApplyError",
    "CellError",
    "Column",
    "CompactRowError",
    "ImportResult",
    "Row",
    "RowError",
    "TableSpec",
    "cell_text",
    "import_table",
    "is_filled",
    "parse_table",
    "raw_cell",
]
