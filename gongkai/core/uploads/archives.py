"""Zip-based files inspected before any parser inflates them: the archive's directory (members, unpacked size,
compression ratio, parts parsed whole) and an XLSX's worksheets streamed for their rows, cells and columns."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable

from .limits import (
    MAX_ARCHIVE_MEMBERS,
    MAX_COMPRESSION_RATIO,
    MAX_PARSED_MEMBER_BYTES,
    MAX_SHEET_CELLS,
    MAX_SHEET_COLUMNS,
    MAX_SHEET_ROWS,
    MAX_UNPACKED_BYTES,
    RATIO_FLOOR_BYTES,
    UploadRefused,
    megabytes,
)


def is_worksheet(name: str) -> bool:
    """An XLSX worksheet part (read incrementally, never parsed whole)."""
    return name.startswith("xl/worksheets/") and name.endswith(".xml")


def check_archive(
    data: bytes,
    *,
    streamed: Callable[[str], bool] = lambda name: False,
    max_members: int = MAX_ARCHIVE_MEMBERS,
    max_unpacked: int = MAX_UNPACKED_BYTES,
    max_parsed_member: int = MAX_PARSED_MEMBER_BYTES,
) -> list[zipfile.ZipInfo]:
    """Inspect a zip-based file from its central directory, before anything is inflated.

    Refuses: a damaged archive, encrypted members, too many members, a total unpacked size over the limit,
    a member whose compression ratio is abnormal (a bomb), and an XML member a parser would load whole that
    is larger than ``max_parsed_member`` (``streamed`` names the members read incrementally instead).
    Python's zipfile never inflates a member past its declared size, so the declared sizes are a bound.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise UploadRefused("文件已损坏，无法打开（压缩结构有误）。", reason="damaged") from exc
    if len(infos) > max_members:
        raise UploadRefused(
            f"文件内部包含 {len(infos)} 个部件（上限 {max_members} 个），疑似压缩炸弹，已拒绝。",
            reason="bomb",
        )
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise UploadRefused("文件已加密（设置了密码），无法读取，请取消密码后再上传。", reason="damaged")
        packed = max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR_BYTES and info.file_size / packed > MAX_COMPRESSION_RATIO:
            raise UploadRefused(
                f"文件压缩比异常（约 {info.file_size // packed} 倍，解压后 {megabytes(info.file_size)} MB），"
                "疑似压缩炸弹，已拒绝。",
                reason="bomb",
            )
        parsed_whole = info.filename.endswith((".xml", ".rels")) and not streamed(info.filename)
        if parsed_whole and info.file_size > max_parsed_member:
            raise UploadRefused(
                f"文件内容过大（其中一个部件解压后 {megabytes(info.file_size)} MB，上限 {megabytes(max_parsed_member)} MB），"
                "请拆分后再上传。",
                reason="bomb",
            )
        total += info.file_size
        if total > max_unpacked:
            raise UploadRefused(
                f"文件解压后过大（超过 {megabytes(max_unpacked)} MB），疑似压缩炸弹，已拒绝。", reason="bomb"
            )
    return infos


# A row or a cell start tag, with any namespace prefix and any whitespace ("<c\tt=…>", "<x:c>", "<c/>"):
# cells are counted per row, so cells without an r="…" reference cannot hide past the last column.
_ROW_OR_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s/>])([^>]*)>")
_ROW_NUMBER = re.compile(rb"""\br\s*=\s*["'](\d{1,10})["']""")
_SCAN_CHUNK = 1024 * 1024


def column_letters(n: int) -> str:
    """The spreadsheet letters of column n (1 → A, 100 → CV)."""
    letters = ""
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(65 + r) + letters
    return letters


def _cells_beyond(max_columns: int) -> re.Pattern[bytes]:
    """A cell tag whose reference (r="XFD1") lies right of column ``max_columns`` (at most ZZ)."""
    letters = column_letters(max_columns)
    beyond = [f"[A-Z]{{{len(letters) + 1},}}"]
    first, last = letters[0], letters[-1]
    if len(letters) == 1 and last < "Z":
        beyond.append(f"[{chr(ord(last) + 1)}-Z]")
    elif len(letters) == 2:
        if first < "Z":
            beyond.append(f"[{chr(ord(first) + 1)}-Z][A-Z]")
        if last < "Z":
            beyond.append(f"{first}[{chr(ord(last) + 1)}-Z]")
    cell = rf"""<(?:[A-Za-z_][\w.-]*:)?c\s[^>]*?\br\s*=\s*["'](?:{"|".join(beyond)})\d"""
    return re.compile(cell.encode())


def _too_many_rows(max_rows: int) -> UploadRefused:
    return UploadRefused(f"表格超过 {max_rows} 行，请拆分后分批导入。", reason="rows")


def _too_many_columns(max_columns: int) -> UploadRefused:
    return UploadRefused(f"表格超过 {max_columns} 列，请删去多余的列后再导入。", reason="columns")


def _check_sheet(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, max_rows: int, max_columns: int, max_cells: int
) -> None:
    """Stream a worksheet's XML: count <row> elements (and their r="…" numbers) and cells, find cells past
    the last column; stop at the first excess. Nothing but a 1 MB window is held in memory."""
    count = cells = row_cells = 0
    pending = b""
    cells_beyond = _cells_beyond(max_columns)
    with archive.open(info) as fh:
        while chunk := fh.read(_SCAN_CHUNK):
            buffer = pending + chunk
            cut = buffer.rfind(b"<")
            if cut != -1 and b">" not in buffer[cut:] and len(buffer) - cut < _SCAN_CHUNK:
                buffer, pending = buffer[:cut], buffer[cut:]  # a tag split across chunks: scan it next time
            else:
                pending = b""
            for match in _ROW_OR_CELL_TAG.finditer(buffer):
                if match.group(1) == b"row":
                    count += 1
                    row_cells = 0
                    number = _ROW_NUMBER.search(match.group(2))
                    if count > max_rows or (number is not None and int(number.group(1)) > max_rows):
                        raise _too_many_rows(max_rows)
                    continue
                cells += 1
                row_cells += 1
                if row_cells > max_columns:
                    raise _too_many_columns(max_columns)
                if cells > max_cells:
                    raise UploadRefused(f"表格超过 {max_cells} 个单元格，请拆分后分批导入。", reason="rows")
            if cells_beyond.search(buffer):
                raise _too_many_columns(max_columns)


def check_xlsx(
    data: bytes,
    *,
    max_rows: int = MAX_SHEET_ROWS,
    max_columns: int = MAX_SHEET_COLUMNS,
    max_cells: int = MAX_SHEET_CELLS,
) -> None:
    """An XLSX checked before openpyxl opens it: the archive guards, then every worksheet's rows and columns."""
    check_archive(data, streamed=is_worksheet)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                if is_worksheet(info.filename):
                    _check_sheet(archive, info, max_rows, max_columns, max_cells)
    except UploadRefused:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise UploadRefused("文件已损坏，无法打开（压缩结构有误）。", reason="damaged") from exc


def check_rows(count: int, max_rows: int = MAX_SHEET_ROWS) -> None:
    if count > max_rows:
        raise _too_many_rows(max_rows)


def check_columns(count: int, max_columns: int = MAX_SHEET_COLUMNS) -> None:
    if count > max_columns:
        raise _too_many_columns(max_columns)
