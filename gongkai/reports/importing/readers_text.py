"""Readers, text: ReadResult and ReadError (shared by every reader), how a wrapped line is joined (the PDF and OCR
readers and ``breaks.join_wrapped``), decoding Chinese encodings, plain text."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

from .tokens import is_md_rule, is_placeholder

logger = logging.getLogger(__name__)


class ReadError(Exception):
    """A file that cannot be read; the message is for a clerk (Chinese) and names the reason."""


class NoTextLayer(ReadError):
    """A PDF whose pages are images only (a scan): read again by OCR (``readers_ocr``)."""


@dataclass
class ReadResult:
    """A decoded document: flat text, what kind of file it was, and notes (encoding, conversions)."""

    text: str
    filetype: str
    encoding: str | None = None
    notes: list[str] = field(default_factory=list)
    # OCR only: readers_ocr.Position per stretch of `text` (page, box, confidence), for `source.cells`.
    positions: list[Any] = field(default_factory=list)


# --------------------------------------------------------------------------- wrapped lines

# A line reaching 90 % of the text's width (a PDF page's text, an OCR'd page, the widest line of extracted text)
# was wrapped: it continues on the next line.
RIGHT_MARGIN = 0.9
# Characters that join across a wrap without a space, on both sides of it: Chinese text, figures (a figure cut by
# the wrap, "1" / "0407条", is one figure), Chinese punctuation, and a sign before the figure it belongs to.
JOIN_TIGHT = re.compile(r"[\u3400-\u9fff\d（）“”、，。：；《》〈〉+\-]")


# --------------------------------------------------------------------------- decoding

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


# --------------------------------------------------------------------------- plain text


_BREAK_TAG = re.compile(r"<br\s*/?>", re.IGNORECASE)
_INLINE_TAG = re.compile(r"</?(?:span|p|div|font|strong|b|i|em|a|u|sup|sub)\b[^<>]*>", re.IGNORECASE)
_TABLE_OPEN = re.compile(r"<table\b", re.IGNORECASE)
_TABLE_CLOSE = re.compile(r"</table\s*>", re.IGNORECASE)


def _html_table_spans(text: str) -> list[tuple[int, int]]:
    r"""Where each ``<table…>…</table>`` lies, the first close after each open (what ``<table\b.*?</table\s*>``
    matched), found in one pass: the scan stops at the first table left unclosed, since no later one can close either
    (the lazy regex tried every later ``<table`` again to the end of the text: quadratic on many unclosed tags)."""
    spans: list[tuple[int, int]] = []
    pos = 0
    while (opened := _TABLE_OPEN.search(text, pos)) is not None:
        closed = _TABLE_CLOSE.search(text, opened.end())
        if closed is None:
            break
        spans.append((opened.start(), closed.end()))
        pos = closed.end()
    return spans


def _flatten_html_tables(text: str) -> str:
    """Tables left as HTML inside Markdown or text (pandoc writes a table with merged cells as raw HTML; a page
    copied with its markup): each ``<table>…</table>`` becomes its flat rows (``cell |``) in place, the text around
    it (Markdown headings, pipe and grid tables) untouched."""
    if "<" not in text:
        return text
    from .readers_html import read_html

    def flat(table: str) -> str:
        try:
            rows = read_html(f"<html><body>{table}</body></html>".encode()).text
        except ReadError:
            return table
        return f"\n{rows}\n"

    parts: list[str] = []
    done = 0
    for start, end in _html_table_spans(text):
        parts += [text[done:start], flat(text[start:end])]
        done = end
    parts.append(text[done:])
    return _INLINE_TAG.sub("", _BREAK_TAG.sub(" ", _text_breaks("".join(parts))))


_COMMENT_LINE = re.compile(r"^\s*(?:<!--.*?-->\s*)+$")


def _text_breaks(text: str) -> str:
    """``<br>`` outside a pipe table's row is a line break (pymupdf4llm writes the text of a table it took for a
    picture as one paragraph, its printed lines joined by ``<br>``: "一、本年新收政府信息公开<br>0 0 0 0 0 0 0<br>申请数量");
    inside a row it stays a space (a cell's lines). A line that is only an HTML comment ("<!-- Start of picture
    text -->") is no text; a comment inside a line is left as printed (a PDF's text of Word's markup)."""
    lines: list[str] = []
    for line in text.split("\n"):
        pieces = _stacked_rows(line) if line.lstrip().startswith("|") else _BREAK_TAG.split(line)
        lines += [piece for piece in pieces if not _COMMENT_LINE.match(piece)]
    return "\n".join(lines)


_FIGURE = re.compile(r"\d+(?:\.\d+)?")
_ITEM = re.compile(r"^(?:\d+[.、．]|[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、)")


def _stacked_rows(line: str) -> list[str]:
    """A pipe row holding k printed rows stacked (pymupdf4llm on a table whose rule between two rows it missed:
    "|期不补正…<br>申请<br>2<br>2.申请人逾期…<br>0|0<br>0|0<br>0|…|2<br>0|"): when every cell of figures holds the
    same k ≥ 2 figures, one per line (three such cells at least), the row is k rows — each figure cell's j-th line
    in row j; a cell of words and figures is cut after each of its k figures (a label with its first figure); a cell
    of words alone before each of its k − 1 item numbers after its start ("…申请<br>2.申请人逾期…": the rows' labels),
    or whole to the first row when it has none (a merged group label). Anything else: the row as it is."""
    cells = line.strip().removeprefix("|").removesuffix("|").split("|")
    pieces = [[p.strip() for p in _BREAK_TAG.split(cell) if p.strip()] for cell in cells]
    figures = [[n for n, p in enumerate(ps) if _FIGURE.fullmatch(p)] for ps in pieces]
    columns = [i for i, ps in enumerate(pieces) if ps and len(figures[i]) == len(ps)]
    heights = {len(pieces[i]) for i in columns}
    if len(columns) < 3 or len(heights) != 1 or (k := heights.pop()) < 2:
        return [line]
    rows = [[""] * len(cells) for _ in range(k)]
    for i, ps in enumerate(pieces):
        if not figures[i]:
            starts = [n for n, p in enumerate(ps) if n and _ITEM.match(p.strip("*"))]
            if len(starts) not in (0, k - 1):
                return [line]
            for j, (a, b) in enumerate(zip([0, *starts], [*starts, len(ps)], strict=True)):
                rows[j][i] = " ".join(ps[a:b])
            continue
        if len(figures[i]) != k or figures[i][-1] != len(ps) - 1:
            return [line]
        start = 0
        for j, end in enumerate(figures[i]):
            rows[j][i], start = " ".join(ps[start : end + 1]), end + 1
    return ["|" + "|".join(row) + "|" for row in rows]


def _join_cell_paragraphs(text: str) -> str:
    """Table rows a converter wrote one cell per paragraph, a lone ``|`` between cells (html2text on a page whose
    cells hold ``<p>``s — Word's HTML): "label", "|", "26", "|", "|", … "26␣␣", each apart from the next by a blank
    line, is the row "label | 26 | | … | 26 |". Only a ``|`` standing alone between blank lines separates cells (a
    flat table written one cell per line, "自然人 |" / "|", keeps its own form); a row ends at a cell ending in a
    Markdown line break (two spaces) or one not followed by such a ``|``."""
    lines = text.split("\n")

    def separator(n: int) -> bool:
        return (
            lines[n].strip() == "|"
            and 0 < n < len(lines) - 1
            and not lines[n - 1].strip()
            and not lines[n + 1].strip()
        )

    if sum(1 for n in range(len(lines)) if separator(n)) < 3:
        return text
    out: list[str] = []
    row: list[str] | None = None
    for n, line in enumerate(lines):
        bare = line.strip()
        if row is None and separator(n):
            while out and not out[-1].strip():
                out.pop()
            first = out[-1].strip() if out else ""
            row = [out.pop().strip()] if first and not first.endswith("|") else [""]
        if row is not None and separator(n):
            row.append("")
            continue
        if row is not None:
            if not bare:
                continue
            row[-1] = bare
            following = next((m for m in range(n + 1, len(lines)) if lines[m].strip()), None)
            if line.endswith("  ") or following is None or not separator(following):
                out.append(" | ".join(row) + " |")
                row = None
            continue
        out.append(line)
    if row is not None:
        out.append(" | ".join(row) + " |")
    return "\n".join(out)


# pandoc's Markdown keeps HTML attributes: bracketed spans "[规章]{style=\"…\"}", empty ones "[]{…}", fenced divs
# "::: {.table-wrap}" and heading attributes "## 一、总体情况 {#section-一}" — markup, not text.
_PANDOC_SPAN = re.compile(r"\[([^\[\]]*)\]\{[^{}\n]*\}")
_PANDOC_FENCE = re.compile(r"^\s*:::.*$", re.MULTILINE)
_PANDOC_ATTRS = re.compile(r"\s\{[#.][^{}\n]*\}\s*$", re.MULTILINE)
# a grid table's rules ("+-----+-----+", "+=====+") separate its rows; they hold no cell
_GRID_RULE = re.compile(r"^\s*\+(?:[-=:]+\+)+\s*$", re.MULTILINE)


def _strip_pandoc_attributes(text: str) -> str:
    if "]{" not in text and ":::" not in text:
        return text
    for _ in range(4):  # spans nest ("[[2022年]{.a}]{.b}")
        text, count = _PANDOC_SPAN.subn(r"\1", text)
        if not count:
            break
    return _PANDOC_ATTRS.sub("", _PANDOC_FENCE.sub("", text))


def _drop_grid_rules(text: str) -> str:
    return _GRID_RULE.sub("", text) if "+-" in text or "+=" in text else text


def _made_up_headers(text: str) -> str:
    """A Markdown table's header row that names no column — empty ("|  |  |": markdownify on a table without
    ``<th>``) or made up ("|Col1|Col2|": PyMuPDF) — except for one cell, the caption or heading the converter pulled
    into the table ("|二、主动公开政府信息情况|Col2|Col3|Col4|"): that text on its own line (a heading is found
    only outside a table), the row gone."""
    if "|" not in text or "-|" not in text.replace(" ", ""):
        return text
    lines = text.split("\n")
    for n in range(len(lines) - 1):
        if "|" not in lines[n] or is_md_rule(lines[n]) or not is_md_rule(lines[n + 1]):
            continue
        cells = [c.strip() for c in lines[n].strip().strip("|").split("|")]
        real = [c for c in cells if c and not is_placeholder(c)]
        if len(real) <= 1:
            lines[n] = real[0] if real else ""
    return "\n".join(lines)


def read_text(data: bytes) -> ReadResult:
    """Plain text in any common Chinese encoding; tables stay as the publisher flattened them, tables left as
    HTML inside it are flattened the same way."""
    text, encoding = decode_bytes(data)
    text = _join_cell_paragraphs(_flatten_html_tables(_drop_grid_rules(_strip_pandoc_attributes(text))))
    text = _made_up_headers(text)
    return ReadResult(text=text, filetype="text", encoding=encoding)
