"""PDF printers and text extractors of the real-tool variants (bench/real_variants.py, issue #16).

Printers beyond LibreOffice and WeasyPrint (real_variants.py):

- ``chromium``: headless Chromium's "print to PDF" of the page (the printer the corpus's own derived text PDFs
  and PDF texts were made with, bench/corpus/derive.py), on a copy of the page that can load nothing;
- ``weasyprint paged``: WeasyPrint on A5 pages with a running header "第 N 页 共 M 页" and footer "— N —", each
  table's header rows repeated on every page it runs over (``<thead>``), rows never cut: the tables break
  across pages and the page furniture stands between their rows, as in a long published PDF.

Extractors beyond pdftotext, pypdf and pdfminer: pdfplumber's ``extract_text()`` and ``extract_text(layout=True)``
and pypdfium2's ``get_text_range()`` (both installed with the declared pdfplumber). Every output is cached by
real_variants' ``_cached`` (a hash of the input and the command); the test half is never read here either.
"""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Callable, Iterator

# The same printer, flags and CSP as the corpus's own derived text PDFs (bench/corpus/derive.py): the test half's
# pdf_text is Chromium → pdftotext -layout, so this family is its closest dev-side stand-in.
from bench.corpus.derive import CHROMIUM, CHROMIUM_FLAGS, offline  # noqa: E402

PAGED_CSS = """
@page { size: A5; margin: 18mm 14mm 18mm 14mm;
        @top-right { content: "第 " counter(page) " 页 共 " counter(pages) " 页"; font-size: 9pt; }
        @bottom-center { content: "— " counter(page) " —"; font-size: 10pt; } }
body { font-size: 11pt; line-height: 1.5; }
table { break-inside: auto; font-size: 8pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
"""


def have_tools() -> dict[str, bool]:
    import importlib.util

    return {
        "chromium": shutil.which(CHROMIUM) is not None,
        "pdfplumber": importlib.util.find_spec("pdfplumber") is not None,
        "pypdfium2": importlib.util.find_spec("pypdfium2") is not None,
    }


def chromium_pdf(
    html: bytes, run: Callable[..., bytes | None], cached: Callable[..., bytes | None]
) -> bytes | None:
    from hashlib import sha256

    page = offline(html)
    cmd = [CHROMIUM, *CHROMIUM_FLAGS, "--user-data-dir={dir}/profile", "--print-to-pdf={out}", "file://{in}"]
    return cached(f"chromium:{sha256(page).hexdigest()}", lambda: run(cmd, page, ".html", ".pdf"))


_TABLE = re.compile(r"(<table\b[^>]*>)(.*?)(</table\s*>)", re.IGNORECASE | re.DOTALL)
_ROW = re.compile(r"<tr\b.*?</tr\s*>", re.IGNORECASE | re.DOTALL)
_CELL = re.compile(r"<t[dh]\b[^>]*>(.*?)</t[dh]\s*>", re.IGNORECASE | re.DOTALL)
_SECTION_TAG = re.compile(r"</?(?:thead|tbody|tfoot)\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


def _header_rows(table: str) -> str:
    """The table with its header rows (the rows before the first one with a figure past its first cell) in a
    ``<thead>``, so a printer repeats them on every page the table runs over."""
    body = _SECTION_TAG.sub("", table)
    rows = _ROW.findall(body)
    if not rows:
        return table
    head = 0
    for row in rows:
        cells = [_TAG.sub("", c) for c in _CELL.findall(row)]
        if any(re.search(r"\d", c) for c in cells[1:]):
            break
        head += 1
    if head == 0 or head == len(rows):
        return table
    start = body.find(rows[0])
    end = body.rfind(rows[-1]) + len(rows[-1])
    return (
        body[:start]
        + f"<thead>{''.join(rows[:head])}</thead><tbody>{''.join(rows[head:])}</tbody>"
        + body[end:]
    )


def paged_html(html: bytes) -> str:
    text = html.decode("utf-8", errors="replace")
    return _TABLE.sub(lambda m: m.group(1) + _header_rows(m.group(2)) + m.group(3), text)


def paged_pdf(html: bytes, cached: Callable[..., bytes | None]) -> bytes | None:
    from hashlib import sha256

    def make() -> bytes | None:
        from gongkai.core.documents import html_to_pdf

        return bytes(html_to_pdf(paged_html(offline(html)), extra_css=PAGED_CSS))

    return cached(f"weasyprint-paged:{sha256(html + PAGED_CSS.encode()).hexdigest()}", make)


def more_texts(
    pdf: bytes, have: dict[str, bool], cached: Callable[..., bytes | None]
) -> Iterator[tuple[str, bytes]]:
    """(extractor, UTF-8 text) for pdfplumber (plain and layout) and pypdfium2, when installed."""
    from hashlib import sha256

    digest = sha256(pdf).hexdigest()
    if have.get("pdfplumber"):
        for layout, name in ((False, "pdfplumber"), (True, "pdfplumber layout")):
            made = cached(f"{name}:{digest}", lambda layout=layout: _pdfplumber(pdf, layout=layout))
            yield name, made or b""
    if have.get("pypdfium2"):
        yield "pypdfium2", cached(f"pypdfium2:{digest}", lambda: _pypdfium2(pdf)) or b""


def _pdfplumber(pdf: bytes, *, layout: bool) -> bytes:
    import logging

    import pdfplumber

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return "\n".join(page.extract_text(layout=layout) or "" for page in doc.pages).encode()


def _pypdfium2(pdf: bytes) -> bytes:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        pages = []
        for page in doc:
            text = page.get_textpage()
            pages.append(text.get_text_range())
            text.close()
            page.close()
    finally:
        doc.close()
    return "\n".join(pages).replace("\r\n", "\n").encode()
