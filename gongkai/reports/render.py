"""Render a canonical report: one grid per official table (same merges as the format), then HTML, DOCX, PDF, XLSX.

The grids are built from reports.definitions, so every output has the official rows, columns, labels and
merged cells; charts (applications by month, by outcome) are server-side SVG (no JavaScript, strict CSP).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from gongkai.core.richtext import rich_text_html

from .definitions import (
    FORMATS,
    RESULTS,
    RESULTS_TOTAL,
    SECTION_HEADINGS,
    SECTION_NUMBERS,
    Cell,
    CellRef,
)
from .document import ReportDocument

CSS_PATH = Path(__file__).parent / "static" / "reports" / "report.css"


@dataclass(frozen=True)
class GridCell:
    text: str
    colspan: int = 1
    rowspan: int = 1
    header: bool = False
    numeric: bool = False


Grid = list[list[GridCell]]


def _value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _head(cells: tuple[Cell, ...]) -> list[GridCell]:
    return [GridCell(c.text, c.colspan, c.rowspan, header=True) for c in cells]


def table2_grid(doc: dict[str, Any]) -> Grid:
    spec = FORMATS[doc["format"]]
    layout = spec.table2_layout
    document = ReportDocument(doc)
    grid: Grid = []
    for block in layout.blocks:
        grid.append([GridCell(block.item, colspan=layout.width, header=True)])
        grid.append(
            [GridCell(layout.label_header, header=True)]
            + [GridCell(c.label, c.colspan, header=True) for c in block.columns]
        )
        for row in block.rows:
            grid.append(
                [GridCell(row)]
                + [
                    GridCell(
                        _value(document.get(CellRef("table2", f"{block.item}/{row}", c.label))),
                        c.colspan,
                        numeric=True,
                    )
                    for c in block.columns
                ]
            )
    return grid


def table3_grid(doc: dict[str, Any]) -> Grid:
    spec = FORMATS[doc["format"]]
    document = ReportDocument(doc)
    grid: Grid = [_head(r) for r in spec.table3_header]
    for row in spec.table3_rows:
        cells = [GridCell(c.text, c.colspan, c.rowspan) for c in row.label_cells]
        for column in spec.table3_columns:
            cells.append(GridCell(_value(document.get(CellRef("table3", row.key, column))), numeric=True))
        grid.append(cells)
    return grid


def table4_grid(doc: dict[str, Any]) -> Grid:
    spec = FORMATS[doc["format"]]
    document = ReportDocument(doc)
    grid: Grid = [_head(r) for r in spec.table4_layout.header]
    grid.append([GridCell(_value(document.get(ref)), numeric=True) for ref in spec.table4_layout.cells()])
    return grid


def grids(doc: dict[str, Any]) -> dict[str, Grid]:
    if doc.get("format") not in FORMATS:
        return {}
    return {"table2": table2_grid(doc), "table3": table3_grid(doc), "table4": table4_grid(doc)}


_TITLE_YEAR = re.compile(r"\d{4}年")
_TITLE_PHRASES = re.compile(r"(?<=年)(?=政府信息公开)|(?<=公开)(?=工作年度报告)")


def title_parts(title: str) -> tuple[str, tuple[str, ...]]:
    """The title as (organisation, phrases of the rest): 「青山县人民政府」, (「2025年」, 「政府信息公开」, 「工作年度报告」).

    Each part is set as an inline block, so a line breaks only between them — before the year first, then
    between the phrases on a narrow screen — never inside a word (「工作年/度报告」)."""
    match = _TITLE_YEAR.search(title)
    if match is None:
        return "", (title,)
    rest = title[match.start() :]
    return title[: match.start()], tuple(p for p in _TITLE_PHRASES.split(rest) if p)


def positions(grid: Grid) -> list[tuple[int, int, GridCell]]:
    """(row, column, cell) of every cell, resolving rowspans as an HTML table does."""
    taken: set[tuple[int, int]] = set()
    out = []
    for r, row in enumerate(grid):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            out.append((r, c, cell))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            c += cell.colspan
    return out


# --- charts ------------------------------------------------------------------------------------------


CHART_TEXT_PX = 12  # labels and values: never smaller on any screen (the chart is not scaled, see below)
CHART_TITLE_PX = 14


def bar_chart_svg(title: str, labels: list[str], values: list[int], *, height: int = 230) -> SafeString:
    """A vertical bar chart as inline SVG (title and values as text, so it is readable without colour).

    It has no viewBox: across, every position is a percentage of the chart's own width, so the chart fills its
    column on a phone (375 px) and on a desktop alike while its text keeps its size (12 px, the title 14 px) —
    a scaled viewBox shrank it to 6 px on a phone. Down, positions are pixels."""
    top, bottom = 42, 40  # the title (y 18) above the tallest bar's value (12 px over the bar)
    plot_h = height - top - bottom
    n = max(len(values), 1)
    step = 100 / n  # per cent of the width per bar
    peak = max([*values, 1])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" width="100%" height="{height}" '
        f'role="img" aria-label="{escape(title)}">',
        f'<text x="50%" y="18" text-anchor="middle" font-size="{CHART_TITLE_PX}">{escape(title)}</text>',
        f'<line x1="0" y1="{top + plot_h}" x2="100%" y2="{top + plot_h}" stroke="#333"/>',
    ]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        h = plot_h * value / peak
        y = top + plot_h - h
        centre = i * step + step / 2
        parts.append(
            f'<rect x="{i * step + step * 0.15:.2f}%" y="{y:.1f}" width="{step * 0.7:.2f}%" height="{h:.1f}" '
            'fill="#9b1c1c"/>'
        )
        parts.append(
            f'<text x="{centre:.2f}%" y="{y - 3:.1f}" text-anchor="middle" font-size="{CHART_TEXT_PX}">{value}</text>'
        )
        parts.append(
            f'<text x="{centre:.2f}%" y="{top + plot_h + 16}" text-anchor="middle" '
            f'font-size="{CHART_TEXT_PX}">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


@dataclass(frozen=True)
class Chart:
    """A chart and the same figures as a table (the text behind the picture, WCAG 1.1.1)."""

    title: str
    label_header: str  # the table's first column
    rows: list[tuple[str, int]]
    svg: SafeString


def outcome_rows(doc: dict[str, Any]) -> list[tuple[str, int]]:
    """表三's results grouped by （一）…（六）, in the order of the table."""
    document = ReportDocument(doc)
    merged: dict[str, int] = {}
    for key in document.rows():
        if (
            key.startswith(RESULTS + "/")
            and key != RESULTS_TOTAL
            and isinstance(total := document.total(key), int)
        ):
            label = key.removeprefix(RESULTS + "/").split("/")[0]
            merged[label] = merged.get(label, 0) + total
    return list(merged.items())


def charts(doc: dict[str, Any], monthly: list[int] | None) -> list[Chart]:
    """The charts under 表三, each with its figures as a table."""
    out = []
    if monthly is not None:
        months = [(f"{m}月", n) for m, n in zip(range(1, 13), monthly, strict=True)]
        out.append(Chart("每月收到申请（件）", "月份", months, month_chart(monthly)))
    if (rows := outcome_rows(doc)) and (svg := outcome_chart(doc)) is not None:
        out.append(Chart("办理结果（件）", "办理结果", rows, svg))
    return out


def outcome_chart(doc: dict[str, Any]) -> SafeString | None:
    rows = outcome_rows(doc)
    return (
        bar_chart_svg("办理结果（件）", [label[:3] for label, _ in rows], [n for _, n in rows])
        if rows
        else None
    )


def month_chart(monthly: list[int]) -> SafeString:
    return bar_chart_svg("每月收到申请（件）", [f"{m}月" for m in range(1, 13)], monthly)


# --- outputs -----------------------------------------------------------------------------------------


def _context(
    doc: dict[str, Any],
    *,
    title: str,
    monthly: list[int] | None,
    sections_html: dict[str, str] | None,
    draft: bool = False,
) -> dict[str, Any]:
    from .table_markup import mark_up  # it reads this module's grids

    sections = []
    for n in SECTION_NUMBERS:
        if sections_html is not None:
            body = rich_text_html(sections_html.get(n, ""))
        else:
            text = (doc.get("sections") or {}).get(n) or ""
            body = mark_safe("".join(f"<p>{escape(p)}</p>" for p in text.splitlines() if p.strip()))  # noqa: S308
        sections.append({"number": n, "heading": SECTION_HEADINGS[n], "body": body})
    title_org, title_rest = title_parts(title)
    return {
        "doc": doc,
        "title": title,
        "title_org": title_org,
        "title_rest": title_rest,
        "draft": draft,
        "sections": sections,
        "tables": {name: mark_up(grid, name) for name, grid in grids(doc).items()},
        "charts": charts(doc, monthly),
    }


def default_title(doc: dict[str, Any]) -> str:
    return f"{doc.get('unit') or ''}{doc.get('year') or ''}年政府信息公开工作年度报告"


def render_html(
    doc: dict[str, Any],
    *,
    title: str | None = None,
    monthly: list[int] | None = None,
    sections_html: dict[str, str] | None = None,
    standalone: bool = True,
    draft: bool = False,
) -> str:
    """The report as HTML: a full document with its CSS inlined (standalone) or the body fragment for a page.
    ``draft``: a version not yet published, marked 「草稿」 on every page."""
    context = _context(
        doc, title=title or default_title(doc), monthly=monthly, sections_html=sections_html, draft=draft
    )
    body = render_to_string("reports/_document.html", context)
    if not standalone:
        return body
    css = CSS_PATH.read_text()
    return (
        f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(context["title"])}</title>'
        f"<style>{css}</style></head><body>{body}</body></html>"
    )


def pdf_layout(doc: dict[str, Any], **kwargs: Any) -> Any:
    """The report laid out in A4 pages (a WeasyPrint ``Document``; ``render_pdf`` writes it)."""
    from gongkai.core.documents import html_layout

    html = render_html(doc, standalone=False, **kwargs)
    title = escape(kwargs.get("title") or default_title(doc))  # the PDF's document title (its metadata)
    page = (
        f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title></head>'
        f"<body>{html}</body></html>"
    )
    return html_layout(page, extra_css=CSS_PATH.read_text())


def render_pdf(doc: dict[str, Any], **kwargs: Any) -> bytes:
    """PDF through gongkai.core.documents (A4, GB/T 9704 margins, CJK fonts embedded)."""
    return bytes(pdf_layout(doc, **kwargs).write_pdf())


def render_docx(
    doc: dict[str, Any],
    *,
    title: str | None = None,
    sections_html: dict[str, str] | None = None,
    draft: bool = False,
) -> bytes:
    """A Word document: title, the six sections, the three tables with the official merges (a draft opens with
    a 「【草稿】」 line, as letters do)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    from gongkai.core.documents import DOCX_TITLE_FONT, docx_add_rich_text, docx_set_fonts

    document = Document()
    docx_set_fonts(document)
    if draft:
        mark = document.add_paragraph()
        mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
        mark.add_run("【草稿】").bold = True
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(title or default_title(doc))
    run.font.name, run.font.size = DOCX_TITLE_FONT, Pt(22)
    table_after = {"二": "table2", "三": "table3", "四": "table4"}
    all_grids = grids(doc)
    for n in SECTION_NUMBERS:
        document.add_paragraph(SECTION_HEADINGS[n], style="Heading 2")
        raw = (sections_html or {}).get(n)
        if raw is not None:  # the clerk's rich text: paragraphs, headings, lists and tables as Word's own
            docx_add_rich_text(document, raw)
        else:
            for paragraph in ((doc.get("sections") or {}).get(n) or "").splitlines():
                if paragraph.strip():
                    document.add_paragraph(paragraph.strip())
        grid = all_grids.get(table_after.get(n, ""))
        if grid:
            placed = positions(grid)
            width = max(c + cell.colspan for _, c, cell in placed)
            table = document.add_table(rows=len(grid), cols=width)
            table.style = "Table Grid"
            for r, c, cell in placed:
                target = table.cell(r, c)
                if cell.colspan > 1 or cell.rowspan > 1:
                    target = target.merge(table.cell(r + cell.rowspan - 1, c + cell.colspan - 1))
                target.text = cell.text
                for p in target.paragraphs:
                    for run in p.runs:
                        run.font.size = Pt(9)
                        run.bold = cell.header
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


FORMATS_OUT = ("html", "docx", "pdf", "xlsx")


def render(doc: dict[str, Any], kind: str, **kwargs: Any) -> bytes:
    """Bytes of the report in ``kind`` (html/docx/pdf/xlsx)."""
    if kind == "html":
        return render_html(doc, **kwargs).encode()
    if kind == "pdf":
        return render_pdf(doc, **kwargs)
    if kind == "docx":
        return render_docx(
            doc,
            title=kwargs.get("title"),
            sections_html=kwargs.get("sections_html"),
            draft=kwargs.get("draft", False),
        )
    if kind == "xlsx":
        from .render_xlsx import render_xlsx

        return render_xlsx(doc, title=kwargs.get("title"), draft=kwargs.get("draft", False))
    raise ValueError(kind)
