"""Readers: bytes of an HTML, text, DOCX or PDF file → plain text with tables flattened to `cell |` lines.

Every reader produces the same flat form, the one published reports already use when a web page is
copied as text (seed 001): a table row is one line whose cells end with `|`; an empty cell is `|` alone.
Cells covered by a rowspan/colspan are not repeated. The parsers downstream read only this form.

Modules, one per format: `readers_text` (ReadError, ReadResult, decoding, plain text), `readers_grid` (the
flat table form), `readers_html`, `readers_docx`, `readers_doc` (Word 97 via antiword), `readers_pdf`,
`readers_ocr` (scans and photos, through `ocr`); this module sniffs the file type and
dispatches (`read_bytes`). Their public names stay importable from here.
"""

from __future__ import annotations

import io
import re
import zipfile

from .readers_doc import read_doc
from .readers_docx import read_docx
from .readers_grid import build_grid, flatten_grid
from .readers_html import read_html
from .readers_ocr import read_image, read_scan_pdf
from .readers_pdf import MAX_PDF_PAGES, read_pdf
from .readers_text import NoTextLayer, ReadError, ReadResult, decode_bytes, read_text

__all__ = [
    "ReadError",
    "ReadResult",
    "MAX_FILE_BYTES",
    "MAX_TEXT_CHARS",
    "MAX_PDF_PAGES",
    "decode_bytes",
    "sniff",
    "flatten_grid",
    "build_grid",
    "read_html",
    "read_text",
    "read_docx",
    "read_doc",
    "read_pdf",
    "read_bytes",
    "read_image",
    "read_scan_pdf",
]

MAX_FILE_BYTES = 40 * 1024 * 1024
MAX_TEXT_CHARS = 4_000_000

# --------------------------------------------------------------------------- file type

_MARKDOWN = re.compile(rb"^(?:#{1,6} \S|\|.*\|\s*$|\+(?:-+\+){2,}\s*$)", re.MULTILINE)
_HTML_HINT = re.compile(r"<\s*(html|body|table|div|p|tr|td|meta|head|br|span)\b", re.IGNORECASE)


def sniff(data: bytes, filename: str = "") -> str:
    """The file type from its first bytes (extension only as a tie-break): pdf, docx, doc, zip, html, text."""
    name = filename.lower()
    if data.startswith(b"%PDF") or (b"%PDF-" in data[:1024]):
        return "pdf"
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return "docx" if name.endswith(".docx") else "zip"
        return "docx" if "word/document.xml" in names else "zip"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "doc"
    if data.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf")):
        return "binary"
    head = data[:4096].decode("latin-1")
    if (
        name.endswith((".md", ".markdown", ".txt"))
        and _MARKDOWN.search(data[:65536])
        and not head.lstrip().startswith("<")
    ):
        return (
            "text"  # Markdown with HTML left inside (a converter's raw tables, <br>): its lines are the text
        )
    if _HTML_HINT.search(head) or name.endswith((".html", ".htm", ".shtml", ".xhtml")):
        return "html"
    return "text"


# --------------------------------------------------------------------------- entry point


def read_bytes(data: bytes, filename: str = "") -> ReadResult:
    """Read one file's bytes into flat text, choosing the reader from the content.

    Raises ReadError with a Chinese message for anything that cannot be read (encrypted or damaged PDF,
    a .doc antiword cannot read, images OCR cannot read, archives, binary junk, oversized files).
    """
    if len(data) > MAX_FILE_BYTES:
        raise ReadError(
            f"文件过大（{len(data) // (1024 * 1024)} MB，上限 {MAX_FILE_BYTES // (1024 * 1024)} MB）"
        )
    if not data.strip():
        raise ReadError("文件为空")
    kind = sniff(data, filename)
    if kind == "pdf":
        try:
            result = read_pdf(data)
        except NoTextLayer:  # a scan: its pages are read by OCR
            result = read_scan_pdf(data)
    elif kind == "docx":
        result = read_docx(data)
    elif kind == "doc":
        result = read_doc(data)
    elif kind == "zip":
        raise ReadError("这是压缩包，请用批量导入")
    elif kind == "binary":  # a photo or a scanned page is read by OCR; other binary data is refused there
        result = read_image(data)
    elif kind == "html":
        result = read_html(data)
    else:
        result = read_text(data)
    if len(result.text) > MAX_TEXT_CHARS:
        raise ReadError("文件文字内容过长，不像一份年度报告，已跳过")
    return result
