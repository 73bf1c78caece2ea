"""Shared document output: HTML → PDF with embedded CJK fonts, DOCX helpers (clerks' rich text: richtext.py).

Letters (applications) and annual reports both render through here, so fonts and page set-up exist once.
"""

from __future__ import annotations

from typing import Any

# Official documents (GB/T 9704) use 仿宋 for the body, 小标宋 for titles, 黑体/楷体 for headings. Free
# servers rarely have those fonts, so each stack falls back to Noto CJK (installed by make test).
FONT_BODY = '"FangSong", "仿宋", "FangSong_GB2312", "STFangsong", "Noto Serif CJK SC", serif'
FONT_TITLE = '"FZXiaoBiaoSong-B05S", "方正小标宋简体", "SimSun", "Noto Serif CJK SC", serif'
FONT_HEADING = '"SimHei", "黑体", "Noto Sans CJK SC", sans-serif'
DOCX_BODY_FONT = "仿宋_GB2312"
DOCX_TITLE_FONT = "方正小标宋简体"
DOCX_TEXT_WIDTH_MM = 156  # A4 less the GB/T 9704 margins below (28 + 26 mm)

# A4 with the GB/T 9704 margins (top 37 mm, bottom 35 mm, left 28 mm, right 26 mm).
PAGE_CSS = f"""
@page {{ size: A4; margin: 37mm 26mm 35mm 28mm;
        @bottom-center {{ content: "— " counter(page) " —"; font-family: {FONT_BODY}; font-size: 14pt; }} }}
body {{ font-family: {FONT_BODY}; font-size: 16pt; line-height: 28pt; }}
h1.doc-title {{ font-family: {FONT_TITLE}; font-size: 22pt; text-align: center; font-weight: normal; line-height: 1.5; }}
h2, h3 {{ font-family: {FONT_HEADING}; font-size: 16pt; font-weight: normal; }}
table {{ border-collapse: collapse; width: 100%; font-size: 10.5pt; line-height: 1.4; }}
th, td {{ border: 0.5pt solid #000; padding: 2pt 3pt; }}
"""


def html_layout(html: str, *, base_url: str | None = None, extra_css: str = "") -> Any:
    """Lay a full HTML document out in pages (a WeasyPrint ``Document``): what ``html_to_pdf`` writes, and what
    a test can inspect page by page (which rows landed on which page)."""
    from weasyprint import CSS, HTML  # imported lazily: it loads Pango

    stylesheets: list[Any] = [CSS(string=PAGE_CSS)]
    if extra_css:
        stylesheets.append(CSS(string=extra_css))
    return HTML(string=html, base_url=base_url or DOCUMENT_BASE, url_fetcher=pdf_url_fetcher).render(
        stylesheets=stylesheets
    )


# A document's relative addresses resolve against this (never fetched): a rich-text picture's
# "/files/images/<key>.png" is read from storage by pdf_url_fetcher, nothing else is fetched at all.
DOCUMENT_BASE = "http://document.invalid/"


def pdf_url_fetcher(url: str, *args: Any, **kwargs: Any) -> Any:
    """WeasyPrint's fetcher: our rich-text pictures from storage and ``data:`` URIs (a letter's seal); any other
    address (another host, a file on disk) is refused, so rendering a document never reaches the network or
    reads a local file."""
    from .images import image_to_embed

    if url.startswith("data:"):
        try:
            from weasyprint.urls import URLFetcher  # WeasyPrint 68+
        except ImportError:  # pragma: no cover - older WeasyPrint
            from weasyprint import default_url_fetcher

            return default_url_fetcher(url, *args, **kwargs)
        return URLFetcher(allowed_protocols={"data"}).fetch(url)

    prefix = DOCUMENT_BASE.rstrip("/")
    image = image_to_embed(url[len(prefix) :]) if url.startswith(prefix + "/") else None
    if image is None:
        raise ValueError("只读取本系统保存的正文图片。")
    with image.file.open("rb") as fh:
        data = fh.read()
    try:
        from weasyprint.urls import URLFetcherResponse  # WeasyPrint 68+; a dict before
    except ImportError:  # pragma: no cover - older WeasyPrint
        return {"string": data, "mime_type": image.mime, "redirected_url": url}
    return URLFetcherResponse(url, body=data, headers={"Content-Type": image.mime})


def html_to_pdf(html: str, *, base_url: str | None = None, extra_css: str = "") -> bytes:
    """Render a full HTML document to PDF (WeasyPrint); CJK fonts are embedded (subsetted) in the file."""
    result = html_layout(html, base_url=base_url, extra_css=extra_css).write_pdf()
    assert result is not None
    return bytes(result)


def docx_set_fonts(document: Any, *, body_font: str = DOCX_BODY_FONT, size_pt: float = 16) -> None:
    """Set a python-docx document's default (East Asian) font, A4 page and GB/T 9704 margins."""
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    style = document.styles["Normal"]
    style.font.name = body_font
    style.font.size = Pt(size_pt)
    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(rfonts)
    rfonts.set(qn("w:eastAsia"), body_font)
    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)


# --- clerks' rich text into Word ---------------------------------------------------------------------------
# The storage form (core/richtext.py) has few elements: paragraphs, h2–h4, bold/italic/underline, lists,
# blockquote, tables (with colspan/rowspan), links and <br>. Each becomes its Word counterpart, so a table a clerk
# typed is a Word table, not a line of run-together cells.

_DOCX_BLOCK_STYLES = {"h2": "Heading 2", "h3": "Heading 3", "h4": "Heading 4"}
_DOCX_MARKS = {"strong": "bold", "b": "bold", "em": "italic", "i": "italic", "u": "underline"}


def docx_add_rich_text(container: Any, html: str) -> None:
    """Append a clerk's rich text to a python-docx document (or table cell)."""
    from lxml import html as lxml_html

    from .richtext import sanitise_html

    value = sanitise_html(html)
    if value:
        for element in lxml_html.fragment_fromstring(value, create_parent="div"):
            _docx_block(container, element)


def _docx_paragraph(container: Any, style: str | None = None) -> Any:
    paragraphs = getattr(container, "paragraphs", [])
    if (
        hasattr(container, "merge")
        and len(paragraphs) == 1
        and not paragraphs[0].text
        and not paragraphs[0].runs
    ):
        paragraph = paragraphs[0]  # a new table cell has one empty paragraph: write into it
        if style:
            paragraph.style = style
        return paragraph
    return container.add_paragraph(style=style)


def _docx_block(container: Any, element: Any, style: str | None = None) -> None:
    tag = element.tag
    if tag in ("ul", "ol"):
        item_style = "List Bullet" if tag == "ul" else "List Number"
        for item in element.iterchildren("li"):
            blocks = [child for child in item if child.tag in ("p", "ul", "ol", "table")]
            if not blocks:
                _docx_runs(_docx_paragraph(container, item_style), item)
            for child in blocks:
                _docx_block(container, child, item_style if child.tag == "p" else None)
    elif tag == "blockquote":
        for child in element:
            _docx_block(container, child, "Quote")
    elif tag == "table":
        _docx_table(container, element)
    else:
        _docx_runs(_docx_paragraph(container, _DOCX_BLOCK_STYLES.get(tag, style)), element)


def _docx_runs(paragraph: Any, element: Any, marks: frozenset[str] = frozenset()) -> None:
    """The element's text as runs, bold/italic/underline as marked; a link's address follows its text; a
    picture of ours embedded (at most the text width), its 替代文本 as the picture's description."""
    if element.text:
        _docx_run(paragraph, element.text, marks)
    for child in element:
        if child.tag == "br":
            paragraph.add_run().add_break()
        elif child.tag == "img":
            _docx_image(paragraph, child)
        else:
            mark = _DOCX_MARKS.get(child.tag)
            _docx_runs(paragraph, child, marks | {mark} if mark else marks)
            href = child.get("href") if child.tag == "a" else None
            if href and href != (child.text_content() or "").strip():
                _docx_run(paragraph, f"（{href}）", marks)
        if child.tail:
            _docx_run(paragraph, child.tail, marks)


def _docx_image(paragraph: Any, element: Any) -> None:
    import io

    from docx.shared import Mm

    from .images import image_to_embed

    image = image_to_embed(element.get("src") or "")
    if image is None:
        return
    with image.file.open("rb") as fh:
        data = fh.read()
    width_mm = min(DOCX_TEXT_WIDTH_MM, int(element.get("width") or image.width) * 0.2646)  # 96 dpi
    picture = paragraph.add_run().add_picture(io.BytesIO(data), width=Mm(width_mm))
    picture._inline.docPr.set("descr", element.get("alt") or "")


def _docx_run(paragraph: Any, text: str, marks: frozenset[str]) -> None:
    run = paragraph.add_run(text.replace("\n", " "))
    for mark in marks:
        setattr(run, mark, True)


def _docx_table(container: Any, element: Any) -> None:
    """A Word table ('Table Grid') with the cells' merges; each cell's content as rich text again."""
    rows = list(element.iter("tr"))
    taken: set[tuple[int, int]] = set()
    placed: list[tuple[int, int, int, int, Any]] = []
    for r, row in enumerate(rows):
        c = 0
        for cell in row.iterchildren("td", "th"):
            while (r, c) in taken:
                c += 1
            rowspan = max(1, min(int(cell.get("rowspan", "1") or 1), len(rows) - r))
            colspan = max(1, int(cell.get("colspan", "1") or 1))
            taken.update((r + i, c + j) for i in range(rowspan) for j in range(colspan))
            placed.append((r, c, rowspan, colspan, cell))
            c += colspan
    width = max((c for _, c in taken), default=-1) + 1
    if not rows or width == 0:
        return
    table = container.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    for r, c, rowspan, colspan, cell in placed:
        target = table.cell(r, c)
        if rowspan > 1 or colspan > 1:
            target = target.merge(table.cell(r + rowspan - 1, c + colspan - 1))
        blocks = [child for child in cell if child.tag in ("p", "ul", "ol", "h2", "h3", "h4", "blockquote")]
        if blocks:
            for child in blocks:
                _docx_block(target, child)
        else:
            paragraph = _docx_paragraph(target)
            _docx_runs(paragraph, cell, frozenset({"bold"}) if cell.tag == "th" else frozenset())
