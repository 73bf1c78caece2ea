"""Variants of the development half's reports made with real tools (issue #16), not imitations of them.

Sources (dev half only; bench/corpus/split.json "dev" — the test half is never opened):

- every dev label rendered in the official layout (``reports.render.render_html``: the report as the platform
  publishes it), and the dev files that are real documents themselves: r801's published HTML, d308's DOCX, r704's
  Markdown (turned into HTML by pandoc), and the two text PDFs r703 (as published) and d302;
- PDFs: each HTML/DOCX source printed by LibreOffice (``soffice --headless --convert-to pdf``) and by WeasyPrint;
  each HTML source also by headless Chromium and by WeasyPrint on A5 pages with page headers/footers and the
  tables' header rows repeated over their page breaks (bench/real_pdf.py);
- PDF text: each PDF's text as poppler's ``pdftotext`` gives it with and without ``-layout``, pypdf's
  ``extract_text()``, pdfminer.six's ``extract_text()``, pdfplumber's ``extract_text()`` with and without
  ``layout=True`` and pypdfium2's ``get_text_range()``; and the PDF itself, read by the importer's PDF reader;
- Markdown by the converters of ``bench/real_variants_md.py`` (markdownify, markitdown on HTML, DOCX and PDF,
  pymupdf4llm with and without its layout model, LibreOffice's Word-like HTML export through both);
- Markdown: each HTML/DOCX source converted by pandoc to GitHub Markdown (pipe tables; a table with merged cells
  stays HTML inside the Markdown), to pandoc Markdown with grid tables, to strict Markdown (every table left as
  raw HTML), by html2text (Debian's ``html2markdown``), and the shape the issue describes: one Markdown table per
  block with placeholder headers 数据1…数据N, ``##`` headings and the column header row repeated over the last
  rows (``placeholder_markdown``, written from the official-layout HTML's tables).

Every variant is scored against the label of the dev report it was made from (no hand labels). A tool that is
not installed is skipped and named in the output. Made files are kept in ``.cache/variants`` (git-ignored) by a
hash of their source and the command, so a second run costs the imports only; every step is deterministic.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from bench import real_pdf

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "bench" / "corpus"
CACHE = Path(os.environ.get("GONGKAI_VARIANT_CACHE") or ROOT / ".cache" / "variants")
TIMEOUT = 180


@dataclass(frozen=True)
class Source:
    ident: str  # the dev report whose label scores the variant
    origin: str  # official (label rendered) / published (the dev file itself)
    kind: str  # html / docx / pdf / markdown
    data: bytes


@dataclass(frozen=True)
class Variant:
    ident: str
    family: str  # e.g. "pdf soffice→pdftotext -layout", "md pandoc gfm"
    name: str  # file name handed to the importer (its extension picks the reader)
    data: bytes


def _cached(key: str, make: Callable[[], bytes | None]) -> bytes | None:
    path = CACHE / hashlib.sha256(key.encode()).hexdigest()[:32]
    if path.exists():
        kept = path.read_bytes()
        return None if kept == b"\0missing" else kept
    made = make()
    CACHE.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\0missing" if made is None else made)
    return made


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _run(cmd: list[str], data: bytes, suffix: str, out_suffix: str | None = None) -> bytes | None:
    """Run ``cmd`` on ``data`` written to a file ({in} / {out} / {dir} in cmd); its output file or stdout."""
    with tempfile.TemporaryDirectory(prefix="gk-variant-") as tmp:
        src = Path(tmp) / f"in{suffix}"
        src.write_bytes(data)
        out = Path(tmp) / f"out{out_suffix or ''}"
        args = [a.replace("{in}", str(src)).replace("{out}", str(out)).replace("{dir}", tmp) for a in cmd]
        env = {"HOME": tmp, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
        try:
            done = subprocess.run(args, capture_output=True, timeout=TIMEOUT, env=env, check=False)  # noqa: S603
        except (OSError, subprocess.TimeoutExpired):
            return None
        if out_suffix is not None:
            made = out if out.exists() else Path(tmp) / f"in{out_suffix}"  # soffice names it after the input
            return made.read_bytes() if made.exists() else None
        return done.stdout if done.returncode == 0 else None


def tools() -> dict[str, bool]:
    import importlib.util

    have = {t: shutil.which(t) is not None for t in ("soffice", "pdftotext", "pandoc", "html2markdown")}
    have["pypdf"] = importlib.util.find_spec("pypdf") is not None
    have["pdfminer"] = importlib.util.find_spec("pdfminer") is not None
    have["weasyprint"] = importlib.util.find_spec("weasyprint") is not None
    have.update(real_pdf.have_tools())
    from bench import real_variants_md

    have.update(real_variants_md.tools())
    return have


# --- PDFs -------------------------------------------------------------------------------------------------------


def soffice_pdf(data: bytes, suffix: str) -> bytes | None:
    def make() -> bytes | None:
        return _run(
            ["soffice", "--headless", "--norestore", "-env:UserInstallation=file://{dir}/profile",
             "--convert-to", "pdf", "--outdir", "{dir}", "{in}"],
            data, suffix, ".pdf",
        )  # fmt: skip

    return _cached(f"soffice{suffix}:{_digest(data)}", make)


def weasyprint_pdf(html: bytes) -> bytes | None:
    def make() -> bytes | None:
        from gongkai.core.documents import html_to_pdf

        return bytes(html_to_pdf(html.decode("utf-8")))

    return _cached(f"weasyprint:{_digest(html)}", make)


def pdf_texts(pdf: bytes, have: dict[str, bool]) -> Iterator[tuple[str, bytes]]:
    """(extractor, UTF-8 text) for each extractor installed."""
    if have["pdftotext"]:
        for flag, name in ((["-layout"], "pdftotext -layout"), ([], "pdftotext")):
            text = _cached(
                f"pdftotext{flag}:{_digest(pdf)}",
                lambda flag=flag: _run(["pdftotext", *flag, "-enc", "UTF-8", "{in}", "-"], pdf, ".pdf"),  # type: ignore[misc]
            )
            if text is not None:
                yield name, text
    if have["pypdf"]:
        yield "pypdf", _cached(f"pypdf:{_digest(pdf)}", lambda: _pypdf(pdf)) or b""
    if have["pdfminer"]:
        yield "pdfminer", _cached(f"pdfminer:{_digest(pdf)}", lambda: _pdfminer(pdf)) or b""
    yield from real_pdf.more_texts(pdf, have, _cached)


def _pypdf(pdf: bytes) -> bytes:
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() or "" for page in reader.pages).encode()


def _pdfminer(pdf: bytes) -> bytes:
    import io
    import logging

    from pdfminer.high_level import extract_text

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    return extract_text(io.BytesIO(pdf)).encode()


# --- Markdown ---------------------------------------------------------------------------------------------------

PANDOC = {
    "pandoc gfm": ["-t", "gfm"],  # pipe tables; a table with merged cells stays HTML
    "pandoc grid": ["-t", "markdown-simple_tables-multiline_tables-pipe_tables+grid_tables"],
    "pandoc strict (HTML tables)": ["-t", "markdown_strict+raw_html"],
}


def pandoc(data: bytes, source_format: str, args: list[str]) -> bytes | None:
    cmd = ["pandoc", "-f", source_format, *args, "--wrap=none", "{in}"]
    suffix = {"html": ".html", "docx": ".docx", "gfm": ".md"}[source_format]
    return _cached(f"pandoc{cmd}:{_digest(data)}", lambda: _run(cmd, data, suffix))


def html2text(html: bytes) -> bytes | None:
    return _cached(f"html2markdown:{_digest(html)}", lambda: _run(["html2markdown", "{in}"], html, ".html"))


class _Tables(HTMLParser):
    """The tables of an HTML page as rows of (text, colspan, rowspan), and the headings before each."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[tuple[str, Any]] = []  # ("heading", text) / ("table", rows)
        self._rows: list[list[tuple[str, int, int]]] | None = None
        self._cell: list[str] | None = None
        self._span = (1, 1)
        self._heading: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table":
            self._rows = []
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in ("td", "th") and self._rows is not None:
            self._cell = []
            self._span = (int(a.get("colspan") or 1), int(a.get("rowspan") or 1))
        elif tag in ("h1", "h2", "h3", "caption", "p") and self._rows is None:
            self._heading = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._rows:
            self._rows[-1].append((" ".join("".join(self._cell).split()), *self._span))
            self._cell = None
        elif tag == "table" and self._rows is not None:
            self.items.append(("table", self._rows))
            self._rows = None
        elif tag in ("h1", "h2", "h3", "caption", "p") and self._heading is not None:
            text = " ".join("".join(self._heading).split())
            if text:
                self.items.append(("heading", text))
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        elif self._heading is not None:
            self._heading.append(data)


def _grid(rows: list[list[tuple[str, int, int]]]) -> list[list[str]]:
    """Spans expanded: a merged cell's text in its first place, the places it covers empty."""
    grid: dict[tuple[int, int], str] = {}
    for r, row in enumerate(rows):
        c = 0
        for text, colspan, rowspan in row:
            while (r, c) in grid:
                c += 1
            for dr in range(rowspan):
                for dc in range(colspan):
                    grid[(r + dr, c + dc)] = text if (dr, dc) == (0, 0) else ""
            c += colspan
    if not grid:
        return []
    height, width = max(r for r, _ in grid) + 1, max(c for _, c in grid) + 1
    return [[grid.get((r, c), "") for c in range(width)] for r in range(height)]


def placeholder_markdown(html: bytes) -> bytes:
    """The Markdown shape of issue #16: a ``##`` heading for every caption or heading, each table cut into blocks
    at its rows that carry a group label (a row whose first cell is new), every block its own Markdown table under
    a placeholder header row 数据1…数据N, and the table's column header row repeated as a body row before the last
    three rows (a converter's page-break repeat)."""
    parser = _Tables()
    parser.feed(html.decode("utf-8"))
    out: list[str] = []
    for kind, item in parser.items:
        if kind == "heading":
            out.append(f"## {item}" if len(item) < 40 else item)
            out.append("")
            continue
        grid = _grid(item)
        if not grid:
            continue
        width = len(grid[0])
        head = next((i for i, row in enumerate(grid) if any(re.search(r"\d", c) for c in row[1:])), len(grid))
        header, body = grid[:head], grid[head:]
        blocks: list[list[list[str]]] = [[]]
        for row in body:
            if row[0] and blocks[-1] and len(blocks[-1]) > 1:
                blocks.append([])
            blocks[-1].append(row)
        blocks[0] = header + blocks[0]
        repeat = header[-1] if header else None
        for n, block in enumerate(blocks):
            rows = list(block)
            if repeat is not None and n == len(blocks) - 1 and len(rows) > 3:
                rows.insert(len(rows) - 3, repeat)
            out.append("| " + " | ".join(f"数据{i + 1}" for i in range(width)) + " |")
            out.append("|" + " --- |" * width)
            out.extend("| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows)
            out.append("")
    return "\n".join(out).encode()


# --- the variants ---------------------------------------------------------------------------------------------


def dev_sources(cl: Any, dev: list[str]) -> Iterator[Source]:
    from gongkai.reports.render import render_html

    for ident in dev:
        label = cl.load(ident)
        if label["shape"] in ("scan_pdf", "photo", "doc"):
            continue
        path = CORPUS / "files" / label["file"]
        if not label.get("derived"):
            yield Source(ident, "official", "html", render_html(label).encode())
        data = path.read_bytes()
        if label["shape"] == "html_table":
            yield Source(ident, "published", "html", data)
        elif label["shape"] == "docx":
            yield Source(ident, "published", "docx", data)
        elif label["shape"] == "text_pdf":
            yield Source(ident, "published", "pdf", data)
        elif label["shape"] == "markdown":
            yield Source(ident, "published", "markdown", data)


def _pdfs(src: Source, html: bytes | None, have: dict[str, bool]) -> list[tuple[str, bytes | None]]:
    """The source as a PDF: as published, or printed by WeasyPrint, LibreOffice, Chromium and paged WeasyPrint."""
    pdfs: list[tuple[str, bytes | None]] = []
    if src.kind == "pdf":
        pdfs.append(("published", src.data))
    if html is not None and have["weasyprint"]:
        pdfs.append(("weasyprint", weasyprint_pdf(html)))
    if have["soffice"] and src.kind == "docx":
        pdfs.append(("soffice", soffice_pdf(src.data, ".docx")))
    elif have["soffice"] and html is not None:
        pdfs.append(("soffice", soffice_pdf(html, ".html")))
    if html is not None and have["chromium"]:
        pdfs.append(("chromium", real_pdf.chromium_pdf(html, _run, _cached)))
    if html is not None and have["weasyprint"]:
        pdfs.append(("weasyprint paged", real_pdf.paged_pdf(html, _cached)))
    return pdfs


def _printed(src: Source, html: bytes | None, have: dict[str, bool]) -> Iterator[Variant]:
    """Each PDF of the source (``_pdfs``), and each PDF's text."""
    for printer, pdf in _pdfs(src, html, have):
        if not pdf:
            continue
        yield Variant(src.ident, f"pdf {printer}→importer", f"{src.ident}.pdf", pdf)
        for extractor, text in pdf_texts(pdf, have):
            yield Variant(src.ident, f"pdf {printer}→{extractor}", f"{src.ident}-{printer}.txt", text)


def _converted(src: Source, html: bytes | None, have: dict[str, bool]) -> Iterator[Variant]:
    """The HTML/DOCX source converted to Markdown by pandoc, html2text and the placeholder-block writer."""
    made: list[tuple[str, bytes | None]] = []
    if have["pandoc"]:
        made += [(name, pandoc(src.data, src.kind, args)) for name, args in PANDOC.items()]
    if html is not None and have["html2markdown"]:
        made.append(("html2text", html2text(html)))
    if html is not None:
        made.append(("placeholder blocks", placeholder_markdown(html)))
    for name, data in made:
        if data:
            yield Variant(src.ident, f"md {name} ({src.origin})", f"{src.ident}.md", data)


def variants(cl: Any, dev: list[str], have: dict[str, bool], families: set[str]) -> Iterator[Variant]:
    """Every variant of every dev source, for the families asked ("pdf", "md")."""
    for src in dev_sources(cl, dev):
        html: bytes | None = src.data if src.kind == "html" else None
        if src.kind == "markdown" and have["pandoc"]:
            html = pandoc(src.data, "gfm", ["-t", "html", "--standalone", "--metadata", "title=-"])
        if "pdf" in families:
            yield from _printed(src, html, have)
        if "md" in families and src.kind in ("html", "docx"):
            yield from _converted(src, html, have)
        if "md" in families:  # markdownify, markitdown, pymupdf4llm (bench/real_variants_md.py)
            from bench import real_variants_md

            yield from real_variants_md.variants(src, html, _pdfs(src, html, have), have)


def family_table(totals: dict[str, dict[str, int]]) -> str:
    lines = ["| family | variants | cells exact | silently wrong | error findings |", "|---|---|---|---|---|"]
    for fam, t in sorted(totals.items()):
        pct = 100 * t["exact"] / max(t["cells"], 1)
        lines.append(
            f"| {fam} | {t['variants']} | {t['exact']}/{t['cells']} ({pct:.1f} %) | {t['silent']} | {t['errors']} |"
        )
    return "\n".join(lines)
