"""PDF mechanics of the evidence bundle: generated pages (WeasyPrint, the letters' stack), a page for a picture,
a page standing in for a file that cannot be merged, and the merge (pypdf) with the bundle's page numbers and
bookmarks."""

from __future__ import annotations

import base64
import io
import logging
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string

from gongkai.core.documents import FONT_BODY, html_to_pdf

from ..dossier import Original

log = logging.getLogger(__name__)

# Generated pages carry only the bundle's page number (stamped on every page after the merge), not their own.
PART_CSS = f"""
@page {{ margin: 30mm 24mm 28mm 26mm; @bottom-center {{ content: none; }} }}
body {{ font-family: {FONT_BODY}; font-size: 12pt; line-height: 1.6; }}
h1.doc-title {{ font-size: 20pt; margin: 0 0 8pt; }}
h2 {{ font-size: 14pt; margin: 14pt 0 6pt; }}
table {{ font-size: 10pt; margin: 4pt 0 10pt; }}
th {{ background: #f0f0f0; font-weight: normal; }}
td.n, th.n {{ text-align: right; white-space: nowrap; }}
table.fixed {{ table-layout: fixed; }}
table.fixed td {{ overflow-wrap: anywhere; }}
.note {{ font-size: 10pt; color: #333; }}
.steps li {{ font-size: 10.5pt; }}
dl.fields {{ display: grid; grid-template-columns: 9em 1fr; gap: 2pt 8pt; font-size: 12pt; }}
dl.fields dt {{ color: #333; }} dl.fields dd {{ margin: 0; }}
.picture {{ text-align: center; }}
.picture img {{ max-width: 100%; max-height: 215mm; object-fit: contain; }}
.toc td.page {{ text-align: right; width: 4em; }}
.toc td.section {{ font-family: inherit; font-weight: bold; border-bottom: none; padding-top: 8pt; }}
.cover {{ text-align: center; padding-top: 12mm; }}
.cover .title {{ font-size: 26pt; letter-spacing: 4pt; margin-bottom: 14mm; }}
.cover .explain {{ text-align: left; margin-top: 12mm; }}
.cover dl.fields {{ text-align: left; margin: 0 auto; max-width: 140mm; }}
.break {{ break-before: page; }}
"""
NUMBER_CSS = f"""
@page {{ size: A4; margin: 9mm 10mm; @bottom-center {{ content: none; }}
         @top-right {{ content: "第 " counter(page) " 页 / 共 " counter(pages) " 页"; font-family: {FONT_BODY};
                       font-size: 9pt; color: #444; }} }}
div.p {{ break-after: page; }}
"""
A4 = (595.28, 841.89)  # points


def part(template: str, context: dict[str, Any], *, landscape: bool = False) -> bytes:
    """A generated page (cover, 登记回执, 送达情况表, timeline, audit extract) as PDF; wide tables in landscape."""
    css = PART_CSS + ("@page { size: A4 landscape; margin: 22mm 20mm 20mm 20mm; }" if landscape else "")
    return html_to_pdf(render_to_string(template, context), extra_css=css)


def picture(title: str, original: Original) -> bytes:
    """A scanned or photographed original (JPG, PNG) on an A4 page, under its title."""
    mime = "image/png" if original.extension == ".png" else "image/jpeg"
    uri = f"data:{mime};base64,{base64.b64encode(original.content).decode()}"
    return part("applications/evidence/picture.html", {"title": title, "uri": uri})


def stand_in(title: str, original: Original, path: str, reason: str) -> bytes:
    """A page in place of a file the PDF cannot hold (a Word file, a damaged or encrypted PDF): where it is."""
    import hashlib

    return part(
        "applications/evidence/stand_in.html",
        {
            "title": title,
            "path": path,
            "reason": reason,
            "sha256": hashlib.sha256(original.content).hexdigest(),
        },
    )


def readable(pdf: bytes) -> int:
    """The number of pages of a PDF pypdf can merge; 0 when it cannot (damaged, encrypted with a password)."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(pdf))
        if reader.is_encrypted and not reader.decrypt(""):
            return 0
        return len(reader.pages)
    except Exception:  # noqa: BLE001 (pypdf raises many kinds for a damaged file: each means "cannot merge")
        log.info("evidence bundle: an uploaded PDF cannot be merged")
        return 0


def as_pages(title: str, original: Original, path: str) -> bytes:
    """An original as PDF pages for the bundle: a PDF as it is, a picture on a page, anything else a stand-in."""
    if original.is_pdf:
        if readable(original.content):
            return original.content
        return stand_in(title, original, path, "该 PDF 文件已损坏或已加密，无法并入")
    if original.is_image:
        return picture(title, original)
    return stand_in(title, original, path, "该文件不是 PDF 或图片，无法并入")


def page_count(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


@dataclass(frozen=True)
class Bookmark:
    title: str
    page: int  # 0-based index in the merged file
    level: int  # 0: a section, 1: a document


def _numbers(pages: int) -> bytes:
    """One A4 page per page of the bundle, each with 「第 N 页 / 共 M 页」 in the top right corner."""
    body = "".join('<div class="p"></div>' for _ in range(pages - 1)) + "<div></div>"
    html = f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"></head><body>{body}</body></html>'
    return html_to_pdf(html, extra_css=NUMBER_CSS)


def merge(pdfs: list[bytes], bookmarks: list[Bookmark], *, title: str) -> bytes:
    """The parts in order as one PDF: each page numbered 「第 N 页 / 共 M 页」 at its top right, with bookmarks."""
    from pypdf import PdfReader, PdfWriter, Transformation

    writer = PdfWriter()
    for pdf in pdfs:
        reader = PdfReader(io.BytesIO(pdf))
        if reader.is_encrypted:
            reader.decrypt("")
        for page in reader.pages:
            writer.add_page(page)
    numbers = PdfReader(io.BytesIO(_numbers(len(writer.pages))))
    for page, number in zip(writer.pages, numbers.pages, strict=True):
        page.transfer_rotation_to_content()
        box, own = page.mediabox, number.mediabox
        # the number's corner on the page's top right, whatever the page's size
        shift = Transformation().translate(
            float(box.right) - float(own.right), float(box.top) - float(own.top)
        )
        page.merge_transformed_page(number, shift)
    parent = None
    for mark in bookmarks:
        item = writer.add_outline_item(
            title=mark.title, page_number=mark.page, parent=parent if mark.level else None
        )
        if mark.level == 0:
            parent = item
    writer.add_metadata({"/Title": title, "/Creator": "Gongkai 政府信息公开平台"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
