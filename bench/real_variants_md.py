"""Markdown made from the development half's reports by the converters people use on published reports (issue #16,
s30a): Python packages from PyPI, run locally (no network at run time), not imitations of them.

- markdownify (``markdownify.markdownify``, its defaults): HTML → Markdown. A merged cell becomes the cell followed
  by empty cells for its colspan; a rowspan is dropped (the rows below lose that column); a table without a header
  row gets an empty one; a cell's ``<p>``/``<br>`` are joined into one line.
- markitdown (Microsoft): its HTML converter (markdownify with ATX headings), its DOCX converter (mammoth → HTML →
  markdownify) and its PDF converter (pdfplumber's words laid into Markdown tables where a page has a form-like
  layout, else pdfminer's text).
- pymupdf4llm (Artifex, AGPL; in the separate ``bench-agpl`` extra): PDF → Markdown, with its layout model
  (``pymupdf.layout``, ONNX models shipped in the wheel) and without it (``use_layout(False)``: the classic
  table finder).
- LibreOffice's own HTML export of each DOCX (Word-like markup: a ``<p>`` in every cell, widths, fonts), turned into
  Markdown by markdownify and markitdown: the "HTML with Word-exported markup" shape.

Sources: the same dev sources as ``real_variants`` (official layout HTML of each dev label, r801's published HTML,
d308's DOCX, r704's Markdown as HTML) and the same PDFs (as published, WeasyPrint, LibreOffice). A package that is
not installed is skipped and named. Converted files are cached like the other variants.
"""

from __future__ import annotations

import importlib.util
import io
from collections.abc import Iterator
from typing import Any

from bench import real_variants as rv


def tools() -> dict[str, bool]:
    return {
        name: importlib.util.find_spec(module) is not None
        for name, module in (
            ("markdownify", "markdownify"),
            ("markitdown", "markitdown"),
            ("mammoth", "mammoth"),
            ("pymupdf4llm", "pymupdf4llm"),
        )
    }


def _version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return "?"


def markdownify_md(html: bytes) -> bytes | None:
    def make() -> bytes | None:
        from markdownify import markdownify

        return str(markdownify(html.decode("utf-8", "replace"))).encode()

    return rv._cached(f"markdownify{_version('markdownify')}:{rv._digest(html)}", make)  # noqa: SLF001


def markitdown_md(data: bytes, extension: str) -> bytes | None:
    """markitdown on an HTML, DOCX or PDF file (``extension`` picks its converter, as a file name would)."""

    def make() -> bytes | None:
        import logging
        import warnings

        from markitdown import MarkItDown, StreamInfo

        logging.getLogger("pdfminer").setLevel(logging.ERROR)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                done = MarkItDown(enable_plugins=False).convert_stream(
                    io.BytesIO(data), stream_info=StreamInfo(extension=extension, charset="utf-8")
                )
            except Exception:  # noqa: BLE001 - a converter that fails on a file makes no variant
                return None
        return done.markdown.encode()

    key = f"markitdown{_version('markitdown')}{extension}:{rv._digest(data)}"  # noqa: SLF001
    return rv._cached(key, make)  # noqa: SLF001


def pymupdf4llm_md(pdf: bytes, layout: bool) -> bytes | None:
    def make() -> bytes | None:
        import pymupdf
        import pymupdf4llm

        pymupdf4llm.use_layout(layout)
        try:
            with pymupdf.open(stream=pdf, filetype="pdf") as doc:
                return str(pymupdf4llm.to_markdown(doc, show_progress=False)).encode()
        except Exception:  # noqa: BLE001
            return None

    key = f"pymupdf4llm{_version('pymupdf4llm')}:{layout}:{rv._digest(pdf)}"  # noqa: SLF001
    return rv._cached(key, make)  # noqa: SLF001


def soffice_html(docx: bytes) -> bytes | None:
    """A DOCX saved as HTML by LibreOffice (Word-like markup)."""

    def make() -> bytes | None:
        return rv._run(  # noqa: SLF001
            ["soffice", "--headless", "--norestore", "-env:UserInstallation=file://{dir}/profile",
             "--convert-to", "html:HTML (StarWriter):UTF8", "--outdir", "{dir}", "{in}"],
            docx, ".docx", ".html",
        )  # fmt: skip

    return rv._cached(f"soffice-html:{rv._digest(docx)}", make)  # noqa: SLF001


def soffice_docx(html: bytes) -> bytes | None:
    """An HTML page opened by LibreOffice Writer and saved as DOCX (what a clerk's Word file of the page is)."""

    def make() -> bytes | None:
        return rv._run(  # noqa: SLF001
            ["soffice", "--headless", "--norestore", "-env:UserInstallation=file://{dir}/profile",
             "--infilter=HTML (StarWriter)", "--convert-to", "docx:MS Word 2007 XML", "--outdir", "{dir}",
             "{in}"],
            html, ".html", ".docx",
        )  # fmt: skip

    return rv._cached(f"soffice-docx:{rv._digest(html)}", make)  # noqa: SLF001


def from_html(
    src: rv.Source, html: bytes | None, have: dict[str, bool]
) -> Iterator[tuple[str, bytes | None]]:
    """(family, Markdown) of an HTML or DOCX source through markdownify and markitdown."""
    if html is not None and have["markdownify"]:
        yield f"md markdownify ({src.origin})", markdownify_md(html)
    if html is not None and have["markitdown"]:
        yield f"md markitdown ({src.origin})", markitdown_md(html, ".html")
    docx = src.data if src.kind == "docx" else None
    if docx is None and html is not None and have["soffice"] and have["mammoth"]:
        docx = soffice_docx(html)
    if docx and have["markitdown"] and have["mammoth"]:
        yield f"md markitdown docx ({src.origin})", markitdown_md(docx, ".docx")
    if docx and have["soffice"]:
        word = soffice_html(docx)
        if word and have["markdownify"]:
            yield f"md markdownify Word HTML ({src.origin})", markdownify_md(word)
        if word and have["markitdown"]:
            yield f"md markitdown Word HTML ({src.origin})", markitdown_md(word, ".html")


def from_pdf(printer: str, pdf: bytes, have: dict[str, bool]) -> Iterator[tuple[str, bytes | None]]:
    """(family, Markdown) of one PDF through markitdown and pymupdf4llm (with and without its layout model)."""
    if have["markitdown"]:
        yield f"md markitdown pdf ({printer})", markitdown_md(pdf, ".pdf")
    if have["pymupdf4llm"]:
        yield f"md pymupdf4llm ({printer})", pymupdf4llm_md(pdf, True)
        yield f"md pymupdf4llm classic ({printer})", pymupdf4llm_md(pdf, False)


def variants(
    src: rv.Source, html: bytes | None, pdfs: list[tuple[str, Any]], have: dict[str, bool]
) -> Iterator[rv.Variant]:
    made = list(from_html(src, html, have)) if src.kind in ("html", "docx") else []
    for printer, pdf in pdfs:
        if pdf:
            made += from_pdf(printer, pdf, have)
    for family, data in made:
        if data:
            yield rv.Variant(src.ident, family, f"{src.ident}.md", data)
