"""Upload guards: one set of limits and checks for every uploaded file, and one way to serve a stored file.

Every upload path reads its file through here: public application attachments, catalogue attachments (and
their text extraction), spreadsheet imports (``core.tables.read_sheet`` and the organisation import) and the
report check. A file is accepted only when its bytes are one of the types the path allows, checked end to end
(a PDF has its header and ``%%EOF``, a DOCX is a zip holding ``word/document.xml`` with the right content
type, an image opens), its name's extension agrees with those bytes, and, for zip-based formats, the archive
is inspected from its directory *before* any parser inflates it (member count, unpacked size, compression
ratio), so a decompression bomb is refused in milliseconds. Spreadsheets are also refused past a row or
column limit, and slow extraction (PDF text) runs under a page limit and a time budget.

Downloads never trust the stored name or type: ``file_response`` sniffs the type from the bytes, gives the
file the matching extension and always sends it as an attachment with ``nosniff``.
"""

from __future__ import annotations

import io
import logging
import re
import time
import unicodedata
import zipfile
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import quote

if TYPE_CHECKING:
    from django.http import FileResponse

logger = logging.getLogger(__name__)

# --- Limits (stated once; an upload path may only lower them) -----------------------------------

MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # the largest file any form accepts
MAX_SHEET_BYTES = 5 * 1024 * 1024  # a spreadsheet import (CSV or XLSX)
MAX_ARCHIVE_MEMBERS = 1000  # members of a DOCX/XLSX/ODF file (a normal one has a few dozen)
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # all members of one DOCX/XLSX/ODF file, unpacked
MAX_PARSED_MEMBER_BYTES = 20 * 1024 * 1024  # one XML member parsed whole (document.xml, sharedStrings)
MAX_COMPRESSION_RATIO = 100  # unpacked / packed size of a member …
RATIO_FLOOR_BYTES = 1024 * 1024  # … once it unpacks to more than this
MAX_SHEET_ROWS = 50_000  # rows of one worksheet or CSV file (header included)
MAX_SHEET_COLUMNS = 100
MAX_SHEET_CELLS = 500_000  # cells of one worksheet (openpyxl reads ~100,000 cells a second)
MAX_PDF_PAGES = 400
MAX_IMAGE_PIXELS = 50_000_000  # width × height (a 50-megapixel photo)
MAX_EXTRACTED_CHARS = 500_000  # text kept from one file for the scans and the search index
EXTRACT_SECONDS = 30.0  # time budget for reading one file's text

ZIP_MAGIC = b"PK\x03\x04"


class UploadRefused(ValueError):
    """A file refused by a guard; the message is for the user (Chinese). ``reason`` is for callers."""

    def __init__(self, message: str, *, reason: str = "invalid") -> None:
        super().__init__(message)
        self.reason = reason  # type | extension | size | bomb | rows | columns | damaged | time | empty
        # Every refusal is built here, so it is logged here: the reason only (a message or a file name could
        # carry personal data).
        logger.info("upload refused: %s", reason, extra={"reason": reason})


def _mb(n: int) -> str:
    return f"{n / 1048576:.0f}" if n >= 1048576 else f"{n / 1048576:.1f}"


# --- Types --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    key: str
    mime: str
    extension: str  # the one given to a stored or downloaded file
    extensions: tuple[str, ...]  # every extension a user's file of this type may carry
    label: str  # shown in messages


_OOXML = "application/vnd.openxmlformats-officedocument"
_ODF = "application/vnd.oasis.opendocument"
KINDS: dict[str, Kind] = {
    k.key: k
    for k in (
        Kind("pdf", "application/pdf", ".pdf", (".pdf",), "PDF"),
        Kind("png", "image/png", ".png", (".png",), "PNG"),
        Kind("jpg", "image/jpeg", ".jpg", (".jpg", ".jpeg", ".jpe", ".jfif"), "JPG"),
        Kind("gif", "image/gif", ".gif", (".gif",), "GIF"),
        Kind("webp", "image/webp", ".webp", (".webp",), "WebP"),
        Kind("docx", f"{_OOXML}.wordprocessingml.document", ".docx", (".docx",), "DOCX"),
        Kind("xlsx", f"{_OOXML}.spreadsheetml.sheet", ".xlsx", (".xlsx",), "XLSX"),
        Kind("odt", f"{_ODF}.text", ".odt", (".odt",), "ODT"),
        Kind("ods", f"{_ODF}.spreadsheet", ".ods", (".ods",), "ODS"),
        Kind("odp", f"{_ODF}.presentation", ".odp", (".odp",), "ODP"),
        Kind("txt", "text/plain", ".txt", (".txt", ".csv"), "纯文本"),
    )
}
IMAGE_KINDS = frozenset({"png", "jpg", "gif", "webp"})
ODF_KINDS = {f"{_ODF}.text": "odt", f"{_ODF}.spreadsheet": "ods", f"{_ODF}.presentation": "odp"}
# The main part's content type an OOXML file declares in [Content_Types].xml (xlsm, dotx… are refused).
OOXML_MAIN = {
    "docx": (b"word/document.xml", b"wordprocessingml.document.main+xml"),
    "xlsx": (b"xl/workbook.xml", b"spreadsheetml.sheet.main+xml"),
}


def _zip_kind(archive: zipfile.ZipFile) -> str | None:
    names = set(archive.namelist())
    if "[Content_Types].xml" in names:
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    if "mimetype" in names:
        info = archive.getinfo("mimetype")
        if info.file_size < 100:
            with archive.open(info) as fh:
                return ODF_KINDS.get(fh.read(100).decode("ascii", "replace").strip())
    return None


def _looks_like_text(data: bytes) -> bool:
    if not data or b"\x00" in data:
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False


def sniff_file(fh: IO[bytes], *, text: bool = False) -> Kind | None:
    """The type of a (seekable) file from its bytes; zip formats by their members. None if unknown."""
    fh.seek(0)
    head = fh.read(64)
    kind: str | None = None
    if head.startswith(b"%PDF-"):
        kind = "pdf"
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = "png"
    elif head.startswith(b"\xff\xd8\xff"):
        kind = "jpg"
    elif head.startswith((b"GIF87a", b"GIF89a")):
        kind = "gif"
    elif head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        kind = "webp"
    elif head.startswith(ZIP_MAGIC):
        try:
            fh.seek(0)
            with zipfile.ZipFile(fh) as archive:
                kind = _zip_kind(archive)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, KeyError):
            kind = None
    elif text:
        fh.seek(0)
        kind = "txt" if _looks_like_text(fh.read(MAX_UPLOAD_BYTES)) else None
    fh.seek(0)
    return KINDS[kind] if kind else None


def sniff(data: bytes, *, text: bool = False) -> Kind | None:
    """The type of a file's bytes (see ``sniff_file``)."""
    return sniff_file(io.BytesIO(data), text=text)


def extension_of(name: str) -> str:
    """The lower-case extension of a file name (".pdf"), or "" when it has none."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    return "." + base.rsplit(".", 1)[-1].lower() if "." in base.strip(".") else ""


# --- Size and archives ---------------------------------------------------------------------------


def check_size(size: int, limit: int = MAX_UPLOAD_BYTES) -> None:
    if size > limit:
        raise UploadRefused(f"文件过大：{_mb(size)} MB，上限 {_mb(limit)} MB。", reason="size")


def read_upload(upload: Any, limit: int = MAX_UPLOAD_BYTES) -> bytes:
    """The bytes of an uploaded file, never reading more than ``limit`` + 1 bytes; refused when larger."""
    if getattr(upload, "size", None) is not None:
        check_size(int(upload.size), limit)
    data: bytes = upload.read(limit + 1)
    check_size(len(data), limit)
    return data


def _is_worksheet(name: str) -> bool:
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
                f"文件压缩比异常（约 {info.file_size // packed} 倍，解压后 {_mb(info.file_size)} MB），"
                "疑似压缩炸弹，已拒绝。",
                reason="bomb",
            )
        parsed_whole = info.filename.endswith((".xml", ".rels")) and not streamed(info.filename)
        if parsed_whole and info.file_size > max_parsed_member:
            raise UploadRefused(
                f"文件内容过大（其中一个部件解压后 {_mb(info.file_size)} MB，上限 {_mb(max_parsed_member)} MB），"
                "请拆分后再上传。",
                reason="bomb",
            )
        total += info.file_size
        if total > max_unpacked:
            raise UploadRefused(
                f"文件解压后过大（超过 {_mb(max_unpacked)} MB），疑似压缩炸弹，已拒绝。", reason="bomb"
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
    check_archive(data, streamed=_is_worksheet)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                if _is_worksheet(info.filename):
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


# --- Content checked end to end -------------------------------------------------------------------


def _damaged(kind: Kind) -> UploadRefused:
    return UploadRefused(f"文件内容不是完整的 {kind.label} 文件（已损坏或被截断）。", reason="damaged")


def _verify_pdf(data: bytes) -> None:
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
        raise _damaged(KINDS["pdf"])


def _verify_image(data: bytes, kind: Kind) -> None:
    from PIL import Image, UnidentifiedImageError

    formats = {"png": "PNG", "jpg": "JPEG", "gif": "GIF", "webp": "WEBP"}
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if image.format != formats[kind.key]:
                raise _damaged(kind)
            if width * height > MAX_IMAGE_PIXELS:
                raise UploadRefused(f"图片尺寸过大（{width}×{height} 像素），请缩小后再上传。", reason="bomb")
            image.verify()
    except UploadRefused:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise _damaged(kind) from exc


def _verify_zip_document(data: bytes, kind: Kind) -> None:
    check_archive(data, streamed=_is_worksheet if kind.key == "xlsx" else (lambda name: False))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if kind.key in OOXML_MAIN:
                part, content_type = OOXML_MAIN[kind.key]
                with archive.open("[Content_Types].xml") as fh:
                    types = fh.read(MAX_PARSED_MEMBER_BYTES)
                if content_type not in types:  # (declared by an Override or, from some writers, a Default)
                    raise _damaged(kind)
                archive.getinfo(part.decode())
            else:  # ODF: "mimetype" is the first member, stored uncompressed
                first = archive.infolist()[0]
                if (
                    first.filename != "mimetype"
                    or first.file_size > 100
                    or ODF_KINDS.get(archive.read(first).decode("ascii", "replace")) != kind.key
                ):
                    raise _damaged(kind)
                archive.getinfo("content.xml")
            if archive.testzip() is not None:  # every member inflates and matches its checksum
                raise _damaged(kind)
    except UploadRefused:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise _damaged(kind) from exc


def verify(data: bytes, kind: Kind) -> None:
    """Check that the bytes really are a complete file of ``kind``; raises UploadRefused."""
    if kind.key == "pdf":
        _verify_pdf(data)
    elif kind.key in IMAGE_KINDS:
        _verify_image(data, kind)
    elif kind.key == "txt":
        if not _looks_like_text(data):
            raise UploadRefused("文本文件的文字编码无法识别（既不是 UTF-8 也不是 GBK）。", reason="damaged")
    else:
        _verify_zip_document(data, kind)


def allowed_text(allowed: Collection[str]) -> str:
    """The allowed types for a message: "PDF、DOCX、JPG"."""
    return "、".join(KINDS[key].label for key in KINDS if key in allowed)


def identify(
    data: bytes, name: str, *, allowed: Collection[str], limit: int | None = MAX_UPLOAD_BYTES
) -> Kind:
    """The checked type of an uploaded file, or UploadRefused with the reason in Chinese.

    The type comes from the bytes, must be in ``allowed``, must match the name's extension (a PDF named
    ``身份证.hta`` is refused; a name without an extension is accepted and served with the sniffed one), and
    the content must be complete and within every limit.
    """
    if limit is not None:  # None: the caller has checked the size against its own limit
        check_size(len(data), limit)
    if not data:
        raise UploadRefused("文件是空的。", reason="empty")
    kind = sniff(data, text="txt" in allowed)
    if kind is None or kind.key not in allowed:
        raise UploadRefused(
            f"文件类型不受支持（以文件内容判断），只接受 {allowed_text(allowed)} 文件。", reason="type"
        )
    extension = extension_of(name)
    if extension and extension not in kind.extensions:
        raise UploadRefused(
            f"文件扩展名与内容不符：内容是 {kind.label} 文件，扩展名却是“{extension[:20]}”，请确认后重新上传。",
            reason="extension",
        )
    verify(data, kind)
    return kind


# --- Slow extraction --------------------------------------------------------------------------------


class TimeBudget:
    """A deadline for reading one file; ``check()`` between pages/rows refuses the file once it has passed."""

    def __init__(self, seconds: float = EXTRACT_SECONDS) -> None:
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise UploadRefused(
                f"文件内容过于复杂，{self.seconds:.0f} 秒内未能读完，已停止。请拆分或另存为较简单的文件后再上传。",
                reason="time",
            )


def check_pdf_pages(pages: int, max_pages: int = MAX_PDF_PAGES) -> None:
    if pages > max_pages:
        raise UploadRefused(
            f"PDF 页数过多（{pages} 页，上限 {max_pages} 页），请拆分后再上传。", reason="bomb"
        )


# --- Serving a stored file ----------------------------------------------------------------------------

_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|;]+')


def download_name(name: str, kind: Kind | None) -> str:
    """A safe file name for a download: no paths or control characters, the extension of the sniffed type."""
    base = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1])
    base = _UNSAFE_NAME.sub("_", base).strip(" .") or "附件"
    extension = extension_of(base)
    if extension:
        base = base[: -len(extension)].rstrip(" .") or "附件"
    return f"{base[:120]}{kind.extension if kind else '.bin'}"


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII fallback and the RFC 5987 UTF-8 name."""
    fallback = filename.encode("ascii", "ignore").decode().replace("%", "_") or "file"
    if fallback.startswith("."):
        fallback = "file" + fallback
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def file_response(fh: IO[bytes], name: str) -> FileResponse:
    """Serve a stored file: the type sniffed from its bytes, the matching extension, always an attachment."""
    from django.http import FileResponse  # noqa: F811 - imported for type checking above

    kind = sniff_file(fh)
    response = FileResponse(fh, content_type=kind.mime if kind else "application/octet-stream")
    response["Content-Disposition"] = content_disposition(download_name(name, kind))
    response["X-Content-Type-Options"] = "nosniff"
    return response
