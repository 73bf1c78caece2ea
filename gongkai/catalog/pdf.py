"""A published item's 正文 as PDF (issue 18: what a clerk types shows in HTML and in PDF), laid out by the
project's document stack (core.documents: A4, GB/T 9704 margins, CJK fonts embedded): the title, the item's
main attributes and the rich text, pictures read from storage as in letters and reports."""

from __future__ import annotations

from django.template.loader import render_to_string

from gongkai.core.documents import html_to_pdf
from gongkai.core.uploads import KINDS, download_name

from .models import Item

ITEM_CSS = """
dl.meta { display: grid; grid-template-columns: 6em 1fr; gap: 0 8pt; font-size: 12pt; line-height: 1.6;
          border-top: 0.5pt solid #000; border-bottom: 0.5pt solid #000; padding: 4pt 0; margin: 0 0 12pt; }
dl.meta dd { margin: 0; }
.doc-body p { text-indent: 2em; margin: 0; }
.doc-body td p, .doc-body th p, .doc-body li p { text-indent: 0; }
.doc-body img { max-width: 100%; }
"""


def item_pdf(item: Item) -> bytes:
    html = render_to_string("catalog/item_pdf.html", {"item": item})
    return html_to_pdf(html, extra_css=ITEM_CSS)


def item_pdf_name(item: Item) -> str:
    """「关于印发某某办法的通知.pdf」: the title, made safe as a file name."""
    return download_name(item.title, KINDS["pdf"])
