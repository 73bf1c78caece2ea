"""Readers: bytes of an HTML, text, DOCX or PDF file → plain text with tables flattened to `cell |` lines.

Every reader produces the same flat form, the one published reports already use when a web page is
copied as text (seed 001): a table row is one line whose cells end with `|`; an empty cell is `|` alone.
Cells covered by a rowspan/colspan are not repeated. The parsers downstream read only this form.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from gongkai.core import uploads

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 40 * 1024 * 1024
MAX_TEXT_CHARS = 4_000_000
MAX_PDF_PAGES = uploads.MAX_PDF_PAGES


class ReadError(Exception):
    """A file that cannot be read; the message is for a clerk (Chinese) and names the reason."""


@dataclass
class ReadResult:
    """A decoded document: flat text, what kind of file it was, and notes (encoding, conversions)."""

    text: str
    filetype: str
    encoding: str | None = None
    notes: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- decoding

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
}


def _codec(name: str) -> str | None:
    import codecs

    name = _ALIASES.get(name.lower(), name.lower())
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


_BAD_CHARS = re.compile("[\x00-\x08\x0e-\x1f\ufffd]")


def _bad_ratio(text: str) -> float:
    if not text:
        return 0.0
    sample = text[:20000]
    return len(_BAD_CHARS.findall(sample)) / len(sample)


def decode_bytes(data: bytes, *, declared: str | None = None) -> tuple[str, str]:
    """Decode bytes of a Chinese web page or text file; returns (text, encoding).

    Order: a BOM; UTF-8 when the bytes are valid UTF-8 (a strong signal, and pages often declare the
    wrong charset); the declared charset (GB2312/GBK read as their superset GB18030); GB18030;
    charset-normalizer's guess. Raises ReadError for binary data.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    head = data[:8192]
    if head.count(b"\x00") > len(head) // 100:
        raise ReadError("文件含有二进制内容，不是可识别的文本、网页、Word 或 PDF 文件")
    candidates: list[str] = ["utf-8"]
    if declared and (codec := _codec(declared)) and codec not in candidates:
        candidates.append(codec)
    if "gb18030" not in candidates:
        candidates.append("gb18030")
    for codec in candidates:
        try:
            text = data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
        if _bad_ratio(text) < 0.01:
            return text, codec
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:200000]).best()
    except Exception:  # noqa: BLE001 - a detector failure only means "no guess"
        logger.debug("charset detection failed", exc_info=True)
        best = None
    if best is not None and best.encoding:
        text = data.decode(best.encoding, errors="replace")
        if _bad_ratio(text) < 0.02:
            return text, best.encoding
    text = data.decode("gb18030", errors="replace")
    if _bad_ratio(text) > 0.05:
        raise ReadError("无法识别文件的字符编码（可能是二进制文件或已损坏）")
    return text, "gb18030?"


# --------------------------------------------------------------------------- file type

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
    if _HTML_HINT.search(head) or name.endswith((".html", ".htm", ".shtml", ".xhtml")):
        return "html"
    return "text"


# --------------------------------------------------------------------------- flat table form


def _cell_text(text: str) -> str:
    text = re.sub(r"\s*\n\s*", "", text.strip()) if re.search(r"[\u3400-\u9fff]\s*\n", text) else text
    return re.sub(r"\s+", " ", text.replace("|", "/")).strip()


def flatten_grid(grid: list[list[str | None]]) -> str:
    """One line per row; each originating cell ends with ` |`; covered cells (None) are left out."""
    lines = []
    for row in grid:
        cells = [_cell_text(cell) for cell in row if cell is not None]
        if not cells:
            continue
        lines.append(" ".join(f"{c} |" if c else "|" for c in cells))
    return "\n".join(lines)


def build_grid(rows: list[list[tuple[str, int, int]]]) -> list[list[str | None]]:
    """Place (text, rowspan, colspan) cells on a grid; positions covered by a span hold None."""
    grid: dict[tuple[int, int], str | None] = {}
    width = 0
    for r, row in enumerate(rows):
        c = 0
        for text, rowspan, colspan in row:
            while (r, c) in grid:
                c += 1
            rowspan = max(1, min(rowspan, 500))
            colspan = max(1, min(colspan, 100))
            for dr in range(rowspan):
                for dc in range(colspan):
                    grid[(r + dr, c + dc)] = text if (dr, dc) == (0, 0) else None
            c += colspan
            width = max(width, c)
    height = len(rows)
    return [[grid.get((r, c), "") for c in range(width)] for r in range(height)]


# --------------------------------------------------------------------------- HTML

_BLOCK_TAGS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "tr",
    "table", "blockquote", "pre", "dd", "dt", "dl", "center", "form", "header", "footer", "hr", "tbody",
}  # fmt: skip
_SKIP_TAGS = {
    "script",
    "style",
    "noscript",
    "head",
    "title",
    "iframe",
    "object",
    "svg",
    "select",
    "button",
    "template",
}


def _span(value: Any) -> int:
    try:
        return int(str(value).strip() or 1)
    except ValueError:
        return 1


def _html_table_rows(table: Any) -> list[list[tuple[str, int, int]]]:
    rows = []
    for tr in table.iter("tr"):
        # Only rows that belong to this table, not to a nested one.
        if _nearest_table(tr) is not table:
            continue
        cells = []
        for td in tr:
            if not isinstance(td.tag, str) or td.tag.lower() not in {"td", "th"}:
                continue
            cells.append((_inline_text(td), _span(td.get("rowspan", 1)), _span(td.get("colspan", 1))))
        rows.append(cells)
    return rows


def _nearest_table(el: Any) -> Any:
    parent = el.getparent()
    while parent is not None and (not isinstance(parent.tag, str) or parent.tag.lower() != "table"):
        parent = parent.getparent()
    return parent


def _inline_text(el: Any) -> str:
    """The text of a cell; block children start new lines (joined later without spaces for CJK)."""
    parts: list[str] = []

    def walk(node: Any, top: bool) -> None:
        if isinstance(node.tag, str) and node.tag.lower() not in _SKIP_TAGS:
            tag = node.tag.lower()
            if tag in _BLOCK_TAGS and not top:
                parts.append("\n")
            if node.text:
                parts.append(node.text)
            for child in node:
                walk(child, False)
        if not top and node.tail:
            parts.append(node.tail)

    walk(el, True)
    return "".join(parts)


def _is_layout_table(table: Any, rows: list[list[tuple[str, int, int]]]) -> bool:
    """Pages wrap their whole article in tables; a table holding a table, or one column only, is layout."""
    if table.find(".//table") is not None:
        return True
    widest = max((sum(colspan for _, _, colspan in row) for row in rows), default=0)
    return widest <= 1


def _html_lines(el: Any, out: list[str]) -> None:
    """Append the block structure of el to out: text runs become lines, data tables flat rows."""
    buffer: list[str] = []

    def flush() -> None:
        text = "".join(buffer)
        buffer.clear()
        for line in text.split("\n"):
            if line.strip():
                out.append(line.strip())

    def walk(node: Any) -> None:
        if not isinstance(node.tag, str):  # comments, processing instructions
            if node.tail:
                buffer.append(node.tail)
            return
        tag = node.tag.lower()
        if tag in _SKIP_TAGS:
            if node.tail:
                buffer.append(node.tail)
            return
        rows = _html_table_rows(node) if tag == "table" and node.find(".//table") is None else None
        if tag == "table" and rows is not None and not _is_layout_table(node, rows):
            flush()
            flat = flatten_grid(build_grid(rows))
            if flat:
                out.append(flat)
        else:
            if tag in _BLOCK_TAGS:
                buffer.append("\n")
            if node.text:
                buffer.append(node.text)
            for child in node:
                walk(child)
            if tag in _BLOCK_TAGS or tag in {"td", "th"}:
                buffer.append("\n")
        if node.tail:
            buffer.append(node.tail)

    walk(el)
    flush()


def read_html(data: bytes) -> ReadResult:
    """HTML (any charset) → flat text; tables become cell grids respecting rowspan/colspan."""
    import lxml.html
    from lxml import etree

    match = _META_CHARSET.search(data[:8192])
    text, encoding = decode_bytes(data, declared=match.group(1).decode("ascii", "ignore") if match else None)
    text = re.sub(r"<\?xml[^>]*\?>", "", text[:200], count=1) + text[200:]
    if not text.strip():
        raise ReadError("网页内容为空")
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise ReadError(f"网页无法解析：{exc}") from exc
    body = root.find("body")
    lines: list[str] = []
    _html_lines(body if body is not None else root, lines)
    return ReadResult(text="\n".join(lines), filetype="html", encoding=encoding)


# --------------------------------------------------------------------------- plain text


def read_text(data: bytes) -> ReadResult:
    """Plain text in any common Chinese encoding; tables stay as the publisher flattened them."""
    text, encoding = decode_bytes(data)
    return ReadResult(text=text, filetype="text", encoding=encoding)


# --------------------------------------------------------------------------- DOCX


def _docx_guard(data: bytes) -> None:
    """The shared upload guard (``core.uploads``): the zip is inspected before python-docx inflates it."""
    try:
        uploads.verify(data, uploads.KINDS["docx"])
    except uploads.UploadRefused as exc:
        if exc.reason == "damaged":
            raise ReadError("Word 文件已损坏或不是 DOCX 格式") from exc
        raise ReadError(f"Word 文件已跳过：{str(exc).rstrip('。')}") from exc


def _docx_blocks(document: Any) -> Iterator[str]:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            if item.text.strip():
                yield item.text.strip()
        elif isinstance(item, Table):
            yield from _docx_table(item)


def _docx_table(table: Any) -> Iterator[str]:
    # Merged cells come back once per grid position; the same <w:tc> element means the same cell. Keeping
    # the elements (not their id()) keeps lxml's proxies alive, so identity is stable.
    seen: set[Any] = set()
    grid: list[list[str | None]] = []
    nested: list[Any] = []
    for row in table.rows:
        cells: list[str | None] = []
        for cell in row.cells:
            key = cell._tc
            if key in seen:
                cells.append(None)
                continue
            seen.add(key)
            nested.extend(cell.tables)
            cells.append(cell.text)
        grid.append(cells)
    width = max((sum(1 for c in row if c is not None) for row in grid), default=0)
    if nested or width <= 1:  # a layout table: read its cells as paragraphs
        for row in grid:
            for cell_text in row:
                if cell_text and cell_text.strip():
                    yield cell_text.strip()
        for inner in nested:
            yield from _docx_table(inner)
        return
    flat = flatten_grid(grid)
    if flat:
        yield flat


def read_docx(data: bytes) -> ReadResult:
    """Word (DOCX) → flat text: paragraphs and tables in document order (python-docx)."""
    _docx_guard(data)
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
        text = "\n".join(_docx_blocks(document))
    except ReadError:
        raise
    except Exception as exc:  # noqa: BLE001 - python-docx raises many types for damaged files
        logger.debug("DOCX reader failed", exc_info=True)
        raise ReadError(f"Word 文件无法读取（已损坏或格式不支持）：{type(exc).__name__}") from exc
    return ReadResult(text=text, filetype="docx")


# --------------------------------------------------------------------------- PDF


def _inside(obj: dict[str, Any], boxes: list[tuple[float, float, float, float]]) -> bool:
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–－]+\s*\d+\s*[-—–－]+|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)\s*$"
)


def _is_page_number(line: dict[str, Any], height: float) -> bool:
    """Page numbers ("— 3 —", "第3页 共5页", or a bare number in the top/bottom margin) are not content."""
    text = line["text"].strip()
    if _PAGE_NUMBER.match(text):
        return True
    in_margin = line["top"] < height * 0.06 or line["bottom"] > height * 0.92
    return in_margin and text.isdigit()


def _pdf_error(exc: BaseException, stage: str) -> ReadError:
    """Name encryption explicitly (pdfplumber wraps pdfminer's PDFPasswordIncorrect in its own exception)."""
    chain = [exc, *exc.args, exc.__cause__, exc.__context__]
    names = " ".join(type(e).__name__ for e in chain if isinstance(e, BaseException))
    if "Password" in names or "Encrypt" in names:
        return ReadError("PDF 文件已加密（需要密码），无法读取")
    return ReadError(f"PDF 文件已损坏或{stage}（{type(exc).__name__}）")


def read_pdf(data: bytes) -> ReadResult:
    """Text-based PDF → flat text; tables found by pdfplumber's table finder, the rest as text lines."""
    import pdfplumber

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many types for damaged files
        logger.debug("PDF reader failed to open the file", exc_info=True)
        raise _pdf_error(exc, "无法解析") from exc
    parts: list[str] = []
    try:
        if len(pdf.pages) > MAX_PDF_PAGES:
            raise ReadError(f"PDF 页数过多（{len(pdf.pages)} 页），已跳过")
        budget = uploads.TimeBudget()
        for page in pdf.pages:
            budget.check()
            items: list[tuple[float, str]] = []
            tables = page.find_tables()
            boxes = [t.bbox for t in tables]
            for table in tables:
                rows = table.extract()
                grid: list[list[str | None]] = [[cell for cell in row] for row in rows]
                items.append((table.bbox[1], flatten_grid(grid)))
            for line in page.extract_text_lines(return_chars=False):
                if _inside(line, boxes) or _is_page_number(line, page.height):
                    continue
                items.append((line["top"], line["text"]))
            items.sort(key=lambda item: item[0])
            parts.extend(text for _, text in items if text.strip())
    except ReadError:
        raise
    except uploads.UploadRefused as exc:
        raise ReadError(f"PDF 文件已跳过：{str(exc).rstrip('。')}") from exc
    except Exception as exc:  # noqa: BLE001
        logger.debug("PDF reader failed on a page", exc_info=True)
        raise _pdf_error(exc, "内容无法解析") from exc
    finally:
        pdf.close()
    text = "\n".join(parts)
    if not text.strip():
        raise ReadError("PDF 中没有文字层（可能是扫描件），需要先做文字识别（OCR）")
    return ReadResult(text=text, filetype="pdf")


# --------------------------------------------------------------------------- entry point


def read_bytes(data: bytes, filename: str = "") -> ReadResult:
    """Read one file's bytes into flat text, choosing the reader from the content.

    Raises ReadError with a Chinese message for anything that cannot be read (encrypted or damaged PDF,
    old .doc, images, archives, binary junk, oversized files).
    """
    if len(data) > MAX_FILE_BYTES:
        raise ReadError(
            f"文件过大（{len(data) // (1024 * 1024)} MB，上限 {MAX_FILE_BYTES // (1024 * 1024)} MB）"
        )
    if not data.strip():
        raise ReadError("文件为空")
    kind = sniff(data, filename)
    if kind == "pdf":
        result = read_pdf(data)
    elif kind == "docx":
        result = read_docx(data)
    elif kind == "doc":
        raise ReadError("不支持旧版 Word（.doc）文件，请另存为 .docx 或 PDF 后再导入")
    elif kind == "zip":
        raise ReadError("这是压缩包，请用批量导入")
    elif kind == "binary":
        raise ReadError("文件是图片或压缩数据，不是可识别的报告文件")
    elif kind == "html":
        result = read_html(data)
    else:
        result = read_text(data)
    if len(result.text) > MAX_TEXT_CHARS:
        raise ReadError("文件文字内容过长，不像一份年度报告，已跳过")
    return result
