"""Shared document output: sanitising and PDF rendering with Chinese text."""

from __future__ import annotations

import io

import pdfplumber
from docx import Document

from gongkai.core.documents import docx_set_fonts, html_to_pdf
from gongkai.core.richtext import sanitise_html


def test_sanitise_drops_scripts_and_handlers_but_keeps_formatting():
    dirty = (
        '<p onclick="x()">正文<strong>加粗</strong><script>alert(1)</script><a href="javascript:1">链</a></p>'
    )
    clean = sanitise_html(dirty)
    assert "<strong>加粗</strong>" in clean
    assert "script" not in clean and "onclick" not in clean and "javascript" not in clean


def test_pdf_embeds_a_cjk_font_and_keeps_the_text():
    # Given an HTML document in Chinese
    pdf = html_to_pdf(
        '<html><body><h1 class="doc-title">政府信息公开申请答复告知书</h1><p>你单位申请公开的信息</p></body></html>'
    )
    # Then the PDF's text layer has the Chinese text, set in an embedded CJK font (not boxes or a fallback)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        text = page.extract_text()
        fonts = {c["fontname"] for c in page.chars}
    assert "政府信息公开申请答复告知书" in text.replace(" ", "")
    assert fonts and all("CJK" in f for f in fonts), fonts


def test_docx_fonts_and_page():
    document = Document()
    docx_set_fonts(document)
    buf = io.BytesIO()
    document.save(buf)
    assert round(document.sections[0].top_margin.mm) == 37
    assert document.styles["Normal"].font.name == "仿宋_GB2312"
