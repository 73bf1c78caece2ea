"""Readers, HTML: a web page in any charset → flat text; data tables become cell grids (rowspan/colspan)."""

from __future__ import annotations

import re
from typing import Any

from .readers_grid import build_grid, flatten_grid
from .readers_text import ReadError, ReadResult, decode_bytes

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)

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


def _data_table_rows(node: Any, tag: str) -> list[list[tuple[str, int, int]]] | None:
    """The rows of a data table (no table inside, more than one column); None for any other element."""
    if tag != "table" or node.find(".//table") is not None:
        return None
    rows = _html_table_rows(node)
    return None if _is_layout_table(node, rows) else rows


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
        # Comments and processing instructions (no string tag) and skipped elements keep only their tail.
        if not isinstance(node.tag, str) or node.tag.lower() in _SKIP_TAGS:
            if node.tail:
                buffer.append(node.tail)
            return
        tag = node.tag.lower()
        rows = _data_table_rows(node, tag)
        if rows is not None:
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
