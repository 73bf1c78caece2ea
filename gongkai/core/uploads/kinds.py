"""File types: what a file is, from its bytes (zip formats by their members), and a name's extension."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import IO

from .limits import MAX_UPLOAD_BYTES, ZIP_MAGIC


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
        Kind("doc", "application/msword", ".doc", (".doc",), "Word 97（DOC）"),
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


OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The directory entry of a Word 97–2003 file's main stream, as the compound file stores names (UTF-16LE).
WORD_STREAM = "WordDocument".encode("utf-16-le")


def looks_like_text(data: bytes) -> bool:
    """Non-empty bytes without NUL that decode as UTF-8 (BOM optional) or GB18030."""
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
    elif head.startswith(OLE2_MAGIC):  # a compound file: Word 97 only when it holds a WordDocument stream
        fh.seek(0)
        kind = "doc" if WORD_STREAM in fh.read() else None
    elif head.startswith(ZIP_MAGIC):
        try:
            fh.seek(0)
            with zipfile.ZipFile(fh) as archive:
                kind = _zip_kind(archive)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, KeyError):
            kind = None
    elif text:
        fh.seek(0)
        kind = "txt" if looks_like_text(fh.read(MAX_UPLOAD_BYTES)) else None
    fh.seek(0)
    return KINDS[kind] if kind else None


def sniff(data: bytes, *, text: bool = False) -> Kind | None:
    """The type of a file's bytes (see ``sniff_file``)."""
    return sniff_file(io.BytesIO(data), text=text)


def extension_of(name: str) -> str:
    """The lower-case extension of a file name (".pdf"), or "" when it has none."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    return "." + base.rsplit(".", 1)[-1].lower() if "." in base.strip(".") else ""
