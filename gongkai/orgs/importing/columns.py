"""The organisation file's columns: headers, the field each fills, and how a cell is read and checked."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email

from gongkai.core.tabular import CellError, Column, CompactRowError, RowError, TableSpec, cell_text

from ..codes import code_error, normalise
from ..models import ExtensionApproval, Level, Organisation, OrgKind

# Excel keeps 15 significant digits: a longer number stored in a cell has lost its tail.
EXCEL_DIGITS = 15
TEXT_HINT = "（可能是 Excel 把代码当成了数字，丢掉了开头的 0 或末尾几位；请把该列设为“文本”格式后重新填写）"
_SCIENTIFIC = re.compile(r"^\d(\.\d+)?E\+\d+$", re.IGNORECASE)

LEVEL_BY_LABEL: dict[str, str] = {str(label): value for value, label in Level.choices} | {
    f"{label}级": value for value, label in Level.choices
}
KIND_BY_LABEL: dict[str, str] = {str(label): value for value, label in OrgKind.choices}
APPROVAL_BY_LABEL: dict[str, str] = {str(label): value for value, label in ExtensionApproval.choices}
YES_NO: dict[str, bool] = {"是": True, "否": False}


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def parse_code(value: Any) -> str:
    """A code cell as text, undoing what Excel does to codes typed into a number cell."""
    if _is_number(value):
        if abs(value) >= 10**EXCEL_DIGITS or not float(value).is_integer():
            raise CellError("代码被存成了数字，已经丢失了位数" + TEXT_HINT, cell_text(value))
        digits = str(int(value))
        # An org code of digits only loses its leading zeros in a number cell; put them back.
        code = digits.zfill(9) if len(digits) < 9 else digits
    else:
        code = normalise(cell_text(value))
    if code and (reason := code_error(code)):
        if _SCIENTIFIC.match(code) or (code.isdigit() and len(code) < 9):
            reason += TEXT_HINT
        raise CellError(reason, code)
    return code


def parse_postcode(value: Any) -> str:
    text = cell_text(value).zfill(6) if _is_number(value) else cell_text(value)
    if text and not (text.isdigit() and len(text) == 6):
        raise ValueError("邮编应为6位数字")
    return text


def parse_level(value: Any) -> str:
    text = cell_text(value)
    if text and text not in LEVEL_BY_LABEL:
        raise ValueError(f"无法识别的层级「{text}」，请填写 省、市、县 或 乡")
    return LEVEL_BY_LABEL.get(text, "")


def parse_kind(value: Any) -> str:
    text = cell_text(value)
    if text and text not in KIND_BY_LABEL:
        raise ValueError(f"无法识别的类型「{text}」，请填写 人民政府、政府部门、派出机构 或 其他")
    return KIND_BY_LABEL.get(text, "")


def parse_yes_no(value: Any) -> bool:
    text = cell_text(value)
    if text not in YES_NO:
        raise ValueError("请填写「是」或「否」")
    return YES_NO[text]


def parse_approval(value: Any) -> str:
    text = cell_text(value)
    if text not in APPROVAL_BY_LABEL:
        raise ValueError(f"无法识别的延期审批方式「{text}」，请填写 {'、'.join(APPROVAL_BY_LABEL)}")
    return APPROVAL_BY_LABEL[text]


def parse_sort_order(value: Any) -> int:
    text = cell_text(value)
    if not text:
        return 0
    try:
        number = float(text)
    except ValueError:
        raise ValueError("排序应填整数") from None
    if not number.is_integer():
        raise ValueError("排序应填整数")
    if not -(2**31) <= number < 2**31:
        raise ValueError("排序的数值过大")
    return int(number)


def _email(text: str) -> None:
    try:
        validate_email(text)
    except ValidationError:
        raise ValueError("电子邮箱格式不正确") from None


def _website(text: str) -> None:
    try:
        URLValidator()(text)
    except ValidationError:
        raise ValueError(
            "网址格式不正确，应以 http:// 或 https:// 开头，例如 https://www.example.gov.cn"
        ) from None


def text_of(name: str, check: Callable[[str], None] | None = None) -> Callable[[Any], str]:
    """The parser of a text field: its own check when filled, then the model field's length."""

    def parse(value: Any) -> str:
        text = cell_text(value)
        if text and check is not None:
            check(text)
        max_length = getattr(Organisation._meta.get_field(name), "max_length", None)
        if max_length and len(text) > max_length:
            raise ValueError(f"不能超过 {max_length} 个字（现有 {len(text)} 个）")
        return text

    return parse


def _text(header: str, name: str, check: Callable[[str], None] | None = None, **kw: Any) -> Column:
    return Column(header, name, text_of(name, check), **kw)


COLUMNS: tuple[Column, ...] = (
    _text("名称", "name", required=True, nonblank=True),
    _text("简称", "short_name", required=True),
    Column("代码", "code", parse_code, required=True, nonblank=True, kind="code"),
    Column("上级代码", "parent", parse_code, required=True, kind="code"),
    Column("层级", "level", parse_level, required=True, nonblank=True, kind="level"),
    Column("类型", "kind", parse_kind, required=True, nonblank=True, kind="kind"),
    _text("政府信息公开工作机构", "office_name"),
    # The handling office (orgs/handling.py) by its code; blank: the organisation handles its own applications.
    Column("政府信息公开工作机构代码", "handling_office", parse_code, kind="code"),
    _text("地址", "address"),
    _text("办公时间", "office_hours"),
    _text("电话", "phone"),
    _text("传真", "fax"),
    _text("电子邮箱", "email", _email),
    Column("邮编", "postcode", parse_postcode, kind="postcode"),
    _text("网站", "website", _website),
    _text("行政复议机关", "review_body"),
    _text("人民法院", "court"),
    Column("排序", "sort_order", parse_sort_order, kind="int"),
    # A blank setting keeps the organisation's (or, when new, the default) value.
    Column("双人审核", "four_eyes", parse_yes_no, keep_blank=True, kind="yesno"),
    Column("延期审批方式", "extension_approval", parse_approval, keep_blank=True, kind="approval"),
    _text("年报发布期限", "report_deadline"),
    _text("年报期限依据", "report_deadline_basis"),
)
HEADERS: tuple[str, ...] = tuple(c.header for c in COLUMNS)
REQUIRED_HEADERS: tuple[str, ...] = tuple(c.header for c in COLUMNS if c.required)
HEADER_OF: dict[str, str] = {c.field: c.header for c in COLUMNS}


def _missing(missing: Sequence[str], header: Sequence[str]) -> list[RowError]:
    required = "、".join(REQUIRED_HEADERS)
    return [CompactRowError(1, h, f"缺少这一列（必需的列：{required}）") for h in missing]


SPEC = TableSpec(
    columns=COLUMNS,
    strict=True,
    error_type=CompactRowError,
    empty=CompactRowError(1, "", "第一行应为表头（名称、简称、代码、上级代码、层级、类型……），但它是空的"),
    no_rows=CompactRowError(0, "", "文件中只有表头，没有机构数据。"),
    missing=_missing,
    summary="新增 {created} 个、更新 {updated} 个、未变 {unchanged} 个",
)
