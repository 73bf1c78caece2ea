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


def html_to_pdf(html: str, *, base_url: str | None = None, extra_css: str = "") -> bytes:
    """Render a full HTML document to PDF (WeasyPrint); CJK fonts are embedded (subsetted) in the file."""
    from weasyprint import CSS, HTML  # imported lazily: it loads Pango

    stylesheets: list[Any] = [CSS(string=PAGE_CSS)]
    if extra_css:
        stylesheets.append(CSS(string=extra_css))
    result = HTML(string=html, base_url=base_url).write_pdf(stylesheets=stylesheets)
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
