"""Import and export of the organisation tree as CSV or XLSX: validate every row, then apply all or nothing."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction

from gongkai.core import uploads
from gongkai.core.exports import SafeWorkbook, unescape_cell, write_csv
from gongkai.core.models import AuditAction
from gongkai.core.services import audit_record
from gongkai.core.tables import TableFileError, control_character_message, decode_text
from gongkai.core.text import has_control_characters

from . import services
from .codes import code_error, normalise
from .models import ExtensionApproval, Level, Organisation, OrgKind
from .permissions import Action, can, is_system_admin

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 64  # read no further right than this (a sheet may claim 16,384 columns)
MAX_XLSX_UNPACKED = uploads.MAX_UNPACKED_BYTES  # the shared guard (core.uploads) checks the zip
# Excel keeps 15 significant digits: a longer number stored in a cell has lost its tail.
EXCEL_DIGITS = 15


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    kind: str = "text"  # text | code | postcode | int | level | kind | yesno | approval


COLUMNS: tuple[Column, ...] = (
    Column("名称", "name"),
    Column("简称", "short_name"),
    Column("代码", "code", "code"),
    Column("上级代码", "parent", "code"),
    Column("层级", "level", "level"),
    Column("类型", "kind", "kind"),
    Column("政府信息公开工作机构", "office_name"),
    Column("地址", "address"),
    Column("办公时间", "office_hours"),
    Column("电话", "phone"),
    Column("传真", "fax"),
    Column("电子邮箱", "email"),
    Column("邮编", "postcode", "postcode"),
    Column("网站", "website"),
    Column("行政复议机关", "review_body"),
    Column("人民法院", "court"),
    Column("排序", "sort_order", "int"),
    Column("双人审核", "four_eyes", "yesno"),
    Column("延期审批方式", "extension_approval", "approval"),
    Column("年报发布期限", "report_deadline"),
    Column("年报期限依据", "report_deadline_basis"),
)
HEADERS: tuple[str, ...] = tuple(c.header for c in COLUMNS)
REQUIRED_HEADERS: tuple[str, ...] = HEADERS[:6]
REQUIRED_VALUES = frozenset({"name", "code", "level", "kind"})
HEADER_OF: dict[str, str] = {c.field: c.header for c in COLUMNS}
_COLUMN_BY_HEADER = {c.header: c for c in COLUMNS}

LEVEL_BY_LABEL: dict[str, str] = {str(label): value for value, label in Level.choices} | {
    f"{label}级": value for value, label in Level.choices
}
KIND_BY_LABEL: dict[str, str] = {str(label): value for value, label in OrgKind.choices}
APPROVAL_BY_LABEL: dict[str, str] = {str(label): value for value, label in ExtensionApproval.choices}
YES_NO: dict[str, bool] = {"是": True, "否": False}
OPTIONAL_SETTING_KINDS = frozenset({"yesno", "approval"})

_SCIENTIFIC = re.compile(r"^\d(\.\d+)?E\+\d+$", re.IGNORECASE)
_TEXT_HINT = "（可能是 Excel 把代码当成了数字，丢掉了开头的 0 或末尾几位；请把该列设为“文本”格式后重新填写）"


@dataclass(frozen=True)
class RowError:
    """One problem in the file; ``row`` is the spreadsheet row (header = 1, 0 = the whole file)."""

    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        if self.row == 0:
            return self.reason
        if not self.column:
            return f"第{self.row}行：{self.reason}"
        return f"第{self.row}行「{self.column}」：{self.reason}"


@dataclass
class ImportResult:
    """What an import did (or, for a dry run or a rejected file, would do): codes per outcome."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        return f"新增 {len(self.created)} 个、更新 {len(self.updated)} 个、未变 {len(self.unchanged)} 个"


class _FileError(Exception):
    """The file as a whole cannot be read; the message is for the clerk."""


class _ApplyFailed(Exception):
    def __init__(self, error: RowError) -> None:
        super().__init__(str(error))
        self.error = error


@dataclass
class _Row:
    number: int
    values: dict[str, Any] = field(default_factory=dict)  # model field -> cleaned value ("parent" is a code)
    bad: set[str] = field(default_factory=set)  # fields that already have an error


@dataclass
class _Change:
    row: _Row
    existing: Organisation | None
    fields: dict[str, Any]  # only what changes; "parent" as a code ("" = top level)


# --- reading the file ---------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    try:
        return decode_text(data)
    except TableFileError as exc:
        raise _FileError(str(exc)) from exc


def _keep_filled(rows: Iterable[Iterable[Any]]) -> list[tuple[int, list[Any]]]:
    """The header (row 1) and every non-blank row with its spreadsheet number; stops past MAX_ROWS."""
    kept: list[tuple[int, list[Any]]] = []
    for number, cells in enumerate(rows, start=1):
        values = [unescape_cell(v) for v in cells]  # the "'" our CSV export puts before "=", "+", …
        for column, value in enumerate(values, start=1):
            if isinstance(value, str) and has_control_characters(value):
                raise _FileError(control_character_message(number, column))
        if number == 1 or any(_is_filled(v) for v in values):
            kept.append((number, values))
            if len(kept) > MAX_ROWS + 1:  # one too many: enough to say the file is too long
                break
    return kept


def _read_csv(data: bytes) -> list[tuple[int, list[Any]]]:
    text = _decode(data)
    try:
        return _keep_filled(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise _FileError(
            f"CSV 文件格式有误，无法读取（{exc}）。请用 Excel 重新另存为 CSV 后再导入。"
        ) from exc


def _read_xlsx(data: bytes) -> list[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        try:  # the shared guard: bombs and over-long sheets are refused before openpyxl opens the file
            uploads.check_xlsx(data)
        except uploads.UploadRefused as exc:
            if exc.reason == "damaged":
                raise
            raise _FileError(str(exc)) from exc
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            if not workbook.worksheets:
                raise _FileError("XLSX 文件中没有工作表。")
            sheet = workbook.worksheets[0]
            sheet.reset_dimensions()  # some writers record a wrong size; read what is actually there
            return _keep_filled(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True))
        finally:
            workbook.close()
    except _FileError:
        raise
    except Exception as exc:  # openpyxl raises many kinds (zip, XML, key errors) for a damaged file
        raise _FileError(
            "无法读取该 XLSX 文件：文件可能已损坏，或不是 Excel 2007 及以后版本保存的工作簿。"
        ) from exc


def _read_rows(data: bytes, filename: str) -> list[tuple[int, list[Any]]]:
    """The raw cells of the file, header first; raises _FileError with the reason for the clerk."""
    if len(data) > MAX_BYTES:
        raise _FileError(f"文件超过 {MAX_BYTES // 1024 // 1024} MB，请拆分成几个文件分别导入。")
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    is_zip = data.startswith(b"PK\x03\x04")
    is_ole = data.startswith(b"\xd0\xcf\x11\xe0")
    if extension == "xls" or (is_ole and extension in {"csv", "xlsx"}):
        raise _FileError(
            "这是旧版 Excel（.xls）文件或设了密码的工作簿，请在 Excel 中另存为 .xlsx（不设密码）或 CSV 后再导入。"
        )
    if extension == "xlsx":
        if not is_zip:
            raise _FileError("文件扩展名是 .xlsx，但内容不是 Excel 工作簿，请确认选对了文件。")
        return _read_xlsx(data)
    if extension == "csv":
        if is_zip:
            raise _FileError("文件扩展名是 .csv，但内容是 Excel 工作簿，请把扩展名改为 .xlsx 或另存为 CSV。")
        return _read_csv(data)
    raise _FileError("只能导入 CSV（.csv）或 Excel（.xlsx）文件。")


def _is_filled(value: Any) -> bool:
    return value is not None and str(value).strip() != ""


# --- cells to values ----------------------------------------------------------------------------


def _text(value: Any) -> str:
    """A cell as text; integral numbers without '.0', times without seconds when they have none."""
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


def _code_cell(value: Any) -> tuple[str, str | None]:
    """A code cell as text, undoing what Excel does to codes typed into a number cell."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if abs(value) >= 10**EXCEL_DIGITS or not float(value).is_integer():
            return _text(value), "代码被存成了数字，已经丢失了位数" + _TEXT_HINT
        digits = str(int(value))
        # An org code of digits only loses its leading zeros in a number cell; put them back.
        return (digits.zfill(9) if len(digits) < 9 else digits), None
    return normalise(_text(value)), None


def _code_reason(code: str) -> str | None:
    reason = code_error(code)
    if reason and (_SCIENTIFIC.match(code) or (code.isdigit() and len(code) < 9)):
        reason += _TEXT_HINT
    return reason


def _clean_cell(column: Column, value: Any) -> tuple[Any, str | None]:
    """(cleaned value, reason for the clerk or None) for one cell."""
    if column.kind == "code":
        code, reason = _code_cell(value)
        if reason or not code:
            return code, reason
        return code, _code_reason(code)
    if column.kind == "postcode" and isinstance(value, int | float) and not isinstance(value, bool):
        value = _text(value).zfill(6)
    text = _text(value)
    if column.kind == "level":
        if text and text not in LEVEL_BY_LABEL:
            return text, f"无法识别的层级「{text}」，请填写 省、市、县 或 乡"
        return LEVEL_BY_LABEL.get(text, ""), None
    if column.kind == "kind":
        if text and text not in KIND_BY_LABEL:
            return text, f"无法识别的类型「{text}」，请填写 人民政府、政府部门、派出机构 或 其他"
        return KIND_BY_LABEL.get(text, ""), None
    if column.kind == "yesno":
        if text not in YES_NO:
            return text, "请填写「是」或「否」"
        return YES_NO[text], None
    if column.kind == "approval":
        if text not in APPROVAL_BY_LABEL:
            labels = "、".join(APPROVAL_BY_LABEL)
            return text, f"无法识别的延期审批方式「{text}」，请填写 {labels}"
        return APPROVAL_BY_LABEL[text], None
    if column.kind == "int":
        if not text:
            return 0, None
        try:
            number = float(text)
        except ValueError:
            return text, "排序应填整数"
        if not number.is_integer():
            return text, "排序应填整数"
        if not -(2**31) <= number < 2**31:
            return text, "排序的数值过大"
        return int(number), None
    if column.kind == "postcode" and text and not (text.isdigit() and len(text) == 6):
        return text, "邮编应为6位数字"
    if column.field == "email" and text:
        try:
            validate_email(text)
        except ValidationError:
            return text, "电子邮箱格式不正确"
    if column.field == "website" and text:
        try:
            URLValidator()(text)
        except ValidationError:
            return text, "网址格式不正确，应以 http:// 或 https:// 开头，例如 https://www.example.gov.cn"
    max_length = getattr(Organisation._meta.get_field(column.field), "max_length", None)
    if max_length and len(text) > max_length:
        return text, f"不能超过 {max_length} 个字（现有 {len(text)} 个）"
    return text, None


def _parse(raw: list[tuple[int, list[Any]]]) -> tuple[list[_Row], list[RowError]]:
    """Map the header, clean every cell; return the rows and every problem found in single cells."""
    errors: list[RowError] = []
    if not raw or not any(_is_filled(v) for v in raw[0][1]):
        return [], [RowError(1, "", "第一行应为表头（名称、简称、代码、上级代码、层级、类型……），但它是空的")]
    columns: dict[int, Column] = {}
    seen: dict[str, int] = {}
    for index, cell in enumerate(raw[0][1]):
        header = _text(cell).lstrip("\ufeff").rstrip("*＊").strip()
        if not header:
            continue
        if header in seen:
            errors.append(RowError(1, header, f"列名重复（第 {seen[header] + 1} 列和第 {index + 1} 列）"))
        elif any(separator in header for separator in ";；\t"):
            errors.append(
                RowError(1, header, "表头不是用逗号分隔的，请在 Excel 中另存为“CSV（逗号分隔）”后再导入")
            )
        elif header not in _COLUMN_BY_HEADER:
            errors.append(RowError(1, header, f"无法识别的列名。可用的列：{'、'.join(HEADERS)}"))
        else:
            columns[index] = _COLUMN_BY_HEADER[header]
        seen.setdefault(header, index)
    present = {c.header for c in columns.values()}
    for header in REQUIRED_HEADERS:
        if header not in present:
            errors.append(RowError(1, header, f"缺少这一列（必需的列：{'、'.join(REQUIRED_HEADERS)}）"))
    if errors:
        return [], errors

    rows: list[_Row] = []
    for number, cells in raw[1:]:
        if len(rows) >= MAX_ROWS:
            return [], [RowError(0, "", f"文件超过 {MAX_ROWS} 行，请拆分成几个文件分别导入。")]
        row = _Row(number)
        for index, value in enumerate(cells):
            column = columns.get(index)
            if column is None:
                if _is_filled(value):
                    errors.append(RowError(number, "", f"第 {index + 1} 列有内容，但这一列没有列名"))
                continue
            if column.kind in OPTIONAL_SETTING_KINDS and not _is_filled(value):
                continue  # a blank setting keeps the organisation's (or, when new, the default) value
            cleaned, reason = _clean_cell(column, value)
            row.values[column.field] = cleaned
            if reason:
                errors.append(RowError(number, column.header, reason))
                row.bad.add(column.field)
        for name in REQUIRED_VALUES:
            if not row.values.get(name) and name not in row.bad:
                errors.append(RowError(number, HEADER_OF[name], "不能为空"))
                row.bad.add(name)
        rows.append(row)
    if not rows and not errors:
        errors.append(RowError(0, "", "文件中只有表头，没有机构数据。"))
    return rows, errors


# --- validating the file against itself and the database ---------------------------------------


def _plan(rows: list[_Row], actor: Any | None) -> tuple[list[_Change], list[_Row], list[RowError]]:
    """Check the rows together and against the database; return changes (parents first) and unchanged."""
    errors: list[RowError] = []
    existing = {o.code: o for o in Organisation.objects.all()}
    code_of_pk = {o.pk: o.code for o in existing.values()}
    by_name = {o.name: o for o in existing.values()}

    # Duplicates within the file: the first row keeps the code/name, the later ones are reported.
    by_code: dict[str, _Row] = {}
    first_with_name: dict[str, _Row] = {}
    for row in rows:
        code, name = row.values.get("code", ""), row.values.get("name", "")
        if code and "code" not in row.bad:
            if code in by_code:
                errors.append(RowError(row.number, "代码", f"代码与第{by_code[code].number}行重复"))
                row.bad.add("code")
            else:
                by_code[code] = row
        if name and "name" not in row.bad:
            if name in first_with_name:
                errors.append(RowError(row.number, "名称", f"名称与第{first_with_name[name].number}行重复"))
                row.bad.add("name")
                continue
            first_with_name[name] = row
            other = by_name.get(name)
            if other is not None and other.code != code:
                hint = "；如需互换两个机构的名称，请分两次导入" if other.code in by_code else ""
                errors.append(
                    RowError(row.number, "名称", f"名称已被现有机构使用（代码 {other.code}）{hint}")
                )
                row.bad.add("name")

    # The tree after the import: the database, overlaid with the parents the file gives.
    parent_of: dict[str, str | None] = {
        o.code: code_of_pk.get(o.parent_id) if o.parent_id else None for o in existing.values()
    }
    for code, row in by_code.items():
        parent = row.values.get("parent") or None
        if "parent" in row.bad:
            continue
        if parent is not None and parent not in existing and parent not in by_code:
            errors.append(RowError(row.number, "上级代码", f"上级代码「{parent}」在系统和本文件中都找不到"))
            row.bad.add("parent")
            continue
        parent_of[code] = parent

    def name_of(code: str) -> str:
        row = by_code.get(code)
        if row is not None and row.values.get("name"):
            return str(row.values["name"])
        return existing[code].name if code in existing else code

    for code, row in by_code.items():
        if "parent" in row.bad:
            continue
        if parent_of.get(code) == code:
            errors.append(RowError(row.number, "上级代码", "上级代码不能是本机构自己的代码"))
            row.bad.add("parent")
            continue
        chain, seen, current = [code], {code}, parent_of.get(code)
        while current is not None and current not in seen:
            chain.append(current)
            seen.add(current)
            current = parent_of.get(current)
        if current == code:
            path = " → ".join(name_of(c) for c in [*chain, code])
            errors.append(RowError(row.number, "上级代码", f"上级关系形成循环：{path}"))
            row.bad.add("parent")
    # Final paths (for permission checks on new or moved parents, and the apply order); None
    # where the chain runs into a cycle, which is reported above.
    final_path: dict[str, str | None] = {}

    def path_of(code: str) -> str | None:
        chain: list[str] = []
        current: str | None = code
        while current is not None and current not in final_path:
            if current in chain:
                final_path.update(dict.fromkeys(chain))
                break
            chain.append(current)
            current = parent_of.get(current)
        base = "/" if current is None else final_path[current]
        for link in reversed(chain):
            if link not in final_path:
                base = f"{base}{link}/" if base is not None else None
                final_path[link] = base
        return final_path[code]

    changes: list[_Change] = []
    unchanged: list[_Row] = []
    for code, row in by_code.items():
        if row.bad:
            continue
        org = existing.get(code)
        if org is None:
            fields = {k: v for k, v in row.values.items() if k != "code"}
        else:
            fields = {
                k: v for k, v in row.values.items() if k != "code" and _current(org, k, code_of_pk) != v
            }
        if org is not None and not fields:
            unchanged.append(row)
            continue
        if actor is not None and (reason := _denied(actor, org, fields, existing, path_of)):
            errors.append(RowError(row.number, *reason))
            continue
        changes.append(_Change(row, org, fields))
    changes.sort(key=lambda c: (str(path_of(c.row.values["code"])).count("/"), c.row.number))
    return changes, unchanged, errors


def _current(org: Organisation, name: str, code_of_pk: dict[int, str]) -> Any:
    if name == "parent":
        return code_of_pk.get(org.parent_id) if org.parent_id else ""
    return getattr(org, name)


def _denied(
    actor: Any,
    org: Organisation | None,
    fields: dict[str, Any],
    existing: dict[str, Organisation],
    path_of: Callable[[str], str | None],
) -> tuple[str, str] | None:
    """(column, reason) when ``actor`` may not make this change; mirrors the services' checks."""
    if org is not None and not can(actor, Action.MANAGE, org):
        return "代码", f"您没有修改「{org.name}」的权限"
    if org is not None and "parent" not in fields:
        return None
    parent_code = fields.get("parent") or None
    if parent_code is None:
        if is_system_admin(actor):
            return None
        what = "新增顶级机构" if org is None else "把机构改为顶级机构"
        return "上级代码", f"只有系统管理员可以{what}"
    parent = existing.get(parent_code)
    path = path_of(parent_code)
    if path is None:  # the parent sits in a cycle, already reported
        return None
    # A parent that is new or moves in this file is judged where it will be after the import.
    target = Organisation(pk=parent.pk if parent else None, code=parent_code, path=path)
    if can(actor, Action.MANAGE, target):
        return None
    shown = parent.name if parent else parent_code
    what = "在「{}」下新增机构" if org is None else "把机构移到「{}」下"
    return "上级代码", f"您没有{what.format(shown)}的权限"


# --- applying -----------------------------------------------------------------------------------


def _apply(changes: list[_Change], actor: Any | None) -> None:
    placed: dict[str, Organisation] = {}  # orgs whose path is current, by code (saves a query a row)
    for change in changes:
        fields = dict(change.fields)
        code = change.row.values["code"]
        if fields.get("parent"):
            # The service reads the parent's path: use a fresh one, as earlier rows may have moved it.
            parent_code = fields["parent"]
            if parent_code not in placed:
                placed[parent_code] = Organisation.objects.get(code=parent_code)
            fields["parent"] = placed[parent_code]
        elif "parent" in fields:
            fields["parent"] = None
        try:
            if change.existing is None:
                placed[code] = services.org_create(actor=actor, code=code, **fields)
            else:
                if "parent" in fields:
                    placed.clear()  # a move re-paths the subtree: cached paths below it are stale
                placed[code] = services.org_update(actor=actor, org=change.existing, **fields)
        except ValidationError as exc:
            raise _ApplyFailed(_validation_row_error(change.row.number, exc)) from exc
        except PermissionDenied as exc:
            raise _ApplyFailed(RowError(change.row.number, "", str(exc))) from exc
        except IntegrityError as exc:
            raise _ApplyFailed(RowError(change.row.number, "", "与其他机构的代码或名称冲突")) from exc


def _validation_row_error(number: int, exc: ValidationError) -> RowError:
    if hasattr(exc, "error_dict"):
        name, messages = next(iter(exc.message_dict.items()))
        return RowError(number, HEADER_OF.get(name, ""), "；".join(messages))
    return RowError(number, "", "；".join(exc.messages))


def import_orgs(*, actor: Any | None, data: bytes, filename: str, dry_run: bool = False) -> ImportResult:
    """Upsert organisations by 代码 from a CSV or XLSX file; every bad row is reported, and then nothing changes.

    Rows may come in any order (parents are created first); a parent may be in the database or in
    the file. Each create/update goes through ``org_create``/``org_update`` (one audit row each), and
    one summary audit row (action "import") records the file. ``actor`` None means a system job.
    """
    result = ImportResult(dry_run=dry_run)
    try:
        rows, parse_errors = _parse(_read_rows(data, filename))
    except _FileError as exc:
        result.errors = [RowError(0, "", str(exc))]
        return result
    if not rows:  # a bad header or an empty file: there is nothing to check the rows against
        result.errors = parse_errors
        return _sorted(result)
    if dry_run:
        changes, unchanged, plan_errors = _plan(rows, actor)
        result.errors = parse_errors + plan_errors
        _fill(result, changes, unchanged)
        return _sorted(result)
    try:
        with transaction.atomic():
            changes, unchanged, plan_errors = _plan(rows, actor)
            result.errors = parse_errors + plan_errors
            if result.errors:
                return _sorted(result)
            _fill(result, changes, unchanged)
            _apply(changes, actor)
            audit_record(
                actor=actor,
                action=AuditAction.IMPORT,
                object_type="orgs.organisation",
                object_repr=f"机构导入：{filename}"[:200],
                changes={
                    "file": filename,
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": len(result.unchanged),
                },
            )
    except _ApplyFailed as exc:  # a check the validation above did not foresee: roll everything back
        return ImportResult(errors=[exc.error], dry_run=dry_run)
    return result


def _fill(result: ImportResult, changes: list[_Change], unchanged: list[_Row]) -> None:
    result.unchanged = [row.values["code"] for row in unchanged]
    if result.ok:
        result.created = [c.row.values["code"] for c in changes if c.existing is None]
        result.updated = [c.row.values["code"] for c in changes if c.existing is not None]


def _sorted(result: ImportResult) -> ImportResult:
    order = {header: i for i, header in enumerate(HEADERS)}
    result.errors.sort(key=lambda e: (e.row, order.get(e.column, -1)))
    return result


# --- export -------------------------------------------------------------------------------------


def _export_rows(orgs: Iterable[Organisation]) -> Iterator[list[Any]]:
    ordered = sorted(orgs, key=lambda o: o.path)  # a parent's path is a prefix of its children's
    parent_ids = {o.parent_id for o in ordered if o.parent_id}
    code_of_pk = dict(Organisation.objects.filter(pk__in=parent_ids).values_list("pk", "code"))
    for org in ordered:
        row: list[Any] = []
        for column in COLUMNS:
            if column.field == "parent":
                row.append(code_of_pk.get(org.parent_id, "") if org.parent_id else "")
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
