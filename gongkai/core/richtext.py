"""Clerks' rich text (a catalogue item's 正文, a report's sections): one storage form, one way to show it.

What a clerk sends is either the editor's HTML (static/gongkai/editor.js) or, with JavaScript off, plain text
typed in the textarea. Both become the same *storage form*: HTML sanitised by nh3 (the tags and attributes below,
nothing else) in which every line of loose text is a paragraph of its own. Plain text is recognised as text (it
has nothing that looks like a tag) and escaped, so "a<b" stays "a<b"; in HTML, text typed between block elements
(older rows, a no-JS clerk who mixed both) is cut at its line breaks. Rendering passes the stored value through
the same function, so rows saved before the editor existed (plain text with line breaks) show as paragraphs
without a data migration.
"""

from __future__ import annotations

import html
import re
from typing import Any

import nh3
from django.utils.safestring import SafeString, mark_safe

from gongkai.core.images.models import IMAGE_URL_PATTERN

RICH_TEXT_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "h2", "h3", "h4", "blockquote",
    "table", "thead", "tbody", "tr", "th", "td", "a", "span", "sub", "sup", "img",
}  # fmt: skip
RICH_TEXT_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
# Elements that are paragraphs in their own right at the top level; anything else (text, bold, links, <br>)
# is inline and is gathered into <p>s.
BLOCK_TAGS = frozenset({"p", "h2", "h3", "h4", "ul", "ol", "table", "blockquote"})

# A tag of HTML that people write or paste (with its closing '>'), or a comment: "x<y and a < b" is text.
_LOOKS_LIKE_TAG = re.compile(
    r"<(?:/?(?:p|br|div|span|strong|b|em|i|u|s|a|ul|ol|li|h[1-6]|table|caption|colgroup|col|thead|tbody|tfoot"
    r"|tr|th|td|blockquote|sub|sup|font|pre|code|hr|img|svg|math|script|style|iframe|object|embed|form|input"
    r"|button|link|meta|base)\b[^<>]*>|!--)",
    re.IGNORECASE,
)
# A picture is kept only when it is one of ours (core.images: an upload checked and re-encoded); no data:, no
# other host, no other path. Its size, when given, is a plain number of pixels.
_PIXELS = re.compile(r"[1-9][0-9]{0,3}")
_SIMPLE_PARAGRAPHS = re.compile(r"(?:<p>[^<]*</p>)+")
_TAG = re.compile(r"<[^>]*>")
# Where a reader sees a break (a paragraph, a list item, a table cell): a space before the tags go.
_BREAK = re.compile(r"(?i)<br\s*/?>|</(?:p|div|li|h[1-6]|t[dh]|tr|blockquote)>")


def sanitise_html(raw: str, *, image_org: int | None = None) -> str:
    """The storage form of a clerk's input (see the module's docstring); '' when it holds no text. With
    ``image_org`` (saving a record of that organisation) a picture of another organisation is dropped."""
    raw = (raw or "").replace("\r\n", "\n").replace("\r", "\n")
    if not raw.strip():
        return ""
    if not looks_like_html(raw):
        return "".join(
            f"<p>{html.escape(line.strip(), quote=False)}</p>" for line in raw.split("\n") if line.strip()
        )
    value = _nh3(_paragraphs(_nh3(raw)))
    if image_org is not None and "<img" in value:
        value = _nh3(value, image_org=image_org)
    return value


def rich_text_html(value: str) -> SafeString:
    """Stored rich text as HTML for a page, a PDF or a letter (sanitised again: nothing unsafe reaches a page)."""
    return mark_safe(sanitise_html(value))  # noqa: S308 - nh3 output (or escaped text)


def looks_like_html(raw: str) -> bool:
    """Whether the input has anything that looks like a tag (else it is plain text, escaped as a whole)."""
    return bool(_LOOKS_LIKE_TAG.search(raw))


def rich_text_plain(value: str) -> str:
    """The words of rich text without its tags (a space where a paragraph, a cell or a line ends), entities
    decoded and runs of white space made one: for a short mention of a text, e.g. in the audit browser."""
    text = html.unescape(_TAG.sub("", _BREAK.sub(" ", value or "")))
    return " ".join(text.split())


def plain_text_if_simple(stored: str) -> str | None:
    """Paragraphs of plain text as lines (for the textarea a clerk without JavaScript sees), or None when the
    text has any formatting (bold, a list, a table, a link), which only HTML can carry."""
    value = sanitise_html(stored)
    if not value:
        return ""
    if not _SIMPLE_PARAGRAPHS.fullmatch(value):
        return None
    lines = [html.unescape(p).replace("\n", " ") for p in re.findall(r"<p>([^<]*)</p>", value)]
    return "\n".join(lines)


# --- internals ----------------------------------------------------------------------------------------------


def _image_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag != "img":
        return value
    if attribute == "src":
        return value if IMAGE_URL_PATTERN.fullmatch(value) else None
    if attribute in ("width", "height"):
        return value if _PIXELS.fullmatch(value) else None
    return value


def _nh3(value: str, *, image_org: int | None = None) -> str:
    attribute_filter = _image_attribute
    if image_org is not None:
        from .images import image_for_src

        def attribute_filter(tag: str, attribute: str, value: str) -> str | None:
            kept = _image_attribute(tag, attribute, value)
            if kept is not None and tag == "img" and attribute == "src":
                return kept if image_for_src(kept, org_id=image_org) is not None else None
            return kept

    return nh3.clean(
        value,
        tags=RICH_TEXT_TAGS,
        attributes=RICH_TEXT_ATTRIBUTES,
        attribute_filter=attribute_filter,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def _has_content(markup: str) -> bool:
    """Any visible text, a table or a picture (an empty paragraph, a lone <br> or spaces are not content)."""
    return "<table" in markup or "<img" in markup or bool(html.unescape(_TAG.sub("", markup)).strip())


def _paragraphs(clean: str) -> str:
    """Top-level blocks are kept as they are (empty ones dropped: Enter pressed twice in the editor); loose
    inline content between them becomes one <p> per line."""
    from lxml import etree
    from lxml import html as lxml_html

    root = lxml_html.fragment_fromstring(clean, create_parent="div")
    out: list[str] = []
    line: list[str] = []

    def end_line() -> None:
        text = "".join(line).strip()
        line.clear()
        if _has_content(text):
            out.append(f"<p>{text}</p>")

    def add_text(text: str | None) -> None:
        if not text:
            return
        parts = text.split("\n")
        for i, part in enumerate(parts):
            if i:
                end_line()
            line.append(html.escape(part, quote=False))

    for table in root.iter("table"):
        _tidy_table(table)
    for image in list(root.iter("img")):
        _tidy_image(image)
    add_text(root.text)
    for child in root:
        tail, child.tail = child.tail, None
        markup = etree.tostring(child, encoding="unicode", method="html")
        if child.tag in BLOCK_TAGS:
            end_line()
            if _has_content(markup):
                out.append(markup)
        else:
            line.append(markup)
        add_text(tail)
    end_line()
    return "".join(out)


def _tidy_image(image: Any) -> None:
    """A picture without one of our addresses (the filter dropped its src) goes; one without alt gets alt=""
    (the editor asks for 替代文本 and writes "" only for a picture marked 装饰性图片)."""
    if not image.get("src"):
        parent = image.getparent()
        if image.tail:
            previous = image.getprevious()
            if previous is not None:
                previous.tail = (previous.tail or "") + image.tail
            else:
                parent.text = (parent.text or "") + image.tail
        parent.remove(image)
    elif image.get("alt") is None:
        image.set("alt", "")


def _tidy_table(table: Any) -> None:
    """A header row the editor made (a first row of <th>) becomes the table's <thead> with scope="col", so a
    screen reader relates each figure to its heading; a cell holding one bare paragraph holds its text."""
    for cell in table.iter("td", "th"):
        children = list(cell)
        paragraph = children[0] if len(children) == 1 else None
        loose = (cell.text or "").strip() or (paragraph is not None and (paragraph.tail or "").strip())
        if paragraph is not None and paragraph.tag == "p" and not paragraph.attrib and not loose:
            cell.text = paragraph.text
            for grandchild in list(paragraph):
                cell.append(grandchild)
            cell.remove(paragraph)  # its tail (whitespace after </p>) goes with it
    rows = [row for row in table.iter("tr")]
    if rows and table.find("thead") is None:
        first = rows[0]
        if len(first) and all(cell.tag == "th" for cell in first):
            for cell in first:
                cell.set("scope", "col")
            thead = table.makeelement("thead", {})
            table.insert(0, thead)
            thead.append(first)
    _tidy_empty_headers(table)


def _tidy_empty_headers(table: Any) -> None:
    """A heading cell left blank (the editor's table with 表头行, only some headings typed) heads nothing: it
    becomes a data cell (axe: empty-table-header); a header row with no heading at all goes."""
    for row in list(table.iter("tr")):
        cells = list(row)
        if cells and all(cell.tag == "th" and not _cell_has_content(cell) for cell in cells):
            row.getparent().remove(row)
            continue
        for cell in cells:
            if cell.tag == "th" and not _cell_has_content(cell):
                cell.tag = "td"
                cell.attrib.pop("scope", None)
    for section in list(table):
        if section.tag in ("thead", "tbody", "tfoot") and not len(section):
            table.remove(section)


def _cell_has_content(cell: Any) -> bool:
    return bool(cell.text_content().strip()) or cell.find(".//img") is not None
