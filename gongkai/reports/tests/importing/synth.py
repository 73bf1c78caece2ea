"""Test data: render a canonical report as a published file would look (HTML with merges, text styles, DOCX, PDF).

The layouts (header cells, label cells, spans) come from definitions, so the files look like the official
format; the values come from the document, so a round trip must give them back exactly.
"""

from __future__ import annotations

import html
import io
from typing import Any

from gongkai.reports import definitions as defs

Row = list[tuple[str, int, int]]  # (text, rowspan, colspan)


def _v(value: Any) -> str:
    return "" if value is None else str(value)


def table2_rows(doc: dict[str, Any], fmt: str) -> list[Row]:
    layout = defs.FORMATS[fmt].table2_layout
    rows: list[Row] = []
    for block in layout.blocks:
        rows.append([(block.item, 1, layout.width)])
        rows.append([(layout.label_header, 1, 1), *((c.label, 1, c.colspan) for c in block.columns)])
        for row in block.rows:
            values = doc["table2"][block.item][row]
            rows.append([(row, 1, 1), *((_v(values[c.label]), 1, c.colspan) for c in block.columns)])
    return rows


def table3_rows(doc: dict[str, Any], fmt: str) -> list[Row]:
    spec = defs.FORMATS[fmt]
    rows: list[Row] = [[(c.text, c.rowspan, c.colspan) for c in header] for header in spec.table3_header]
    for row in spec.table3_rows:
        values = doc["table3"]["rows"][row.key]
        rows.append(
            [*((c.text, c.rowspan, c.colspan) for c in row.label_cells), *((_v(v), 1, 1) for v in values)]
        )
    return rows


def table4_rows(doc: dict[str, Any]) -> list[Row]:
    layout = defs.TABLE4
    rows: list[Row] = [[(c.text, c.rowspan, c.colspan) for c in header] for header in layout.header]
    rows.append([(_v(doc["table4"][g][c]), 1, 1) for g in layout.groups for c in layout.columns])
    return rows


def _html_table(rows: list[Row]) -> str:
    out = ["<table border='1'>"]
    for row in rows:
        cells = "".join(
            f"<td rowspan='{rs}' colspan='{cs}'><p>{html.escape(text)}</p></td>" for text, rs, cs in row
        )
        out.append(f"<tr>{cells}</tr>")
    out.append("</table>")
    return "\n".join(out)


def _body(doc: dict[str, Any]) -> list[tuple[str, str]]:
    """(kind, content) blocks: headings, paragraphs and tables in section order."""
    fmt = doc["format"]
    title = f"{doc['unit']}{doc['year']}年政府信息公开工作年度报告"
    blocks: list[tuple[str, str]] = [("title", title)]
    tables = {"二": "table2", "三": "table3", "四": "table4"}
    for number in defs.SECTION_NUMBERS:
        blocks.append(("h", defs.SECTION_HEADINGS[number]))
        if number in tables:
            blocks.append(("table", tables[number]))
        else:
            blocks.append(("p", doc["sections"].get(number) or "无。"))
    del fmt
    return blocks


def _rows_for(doc: dict[str, Any], table: str) -> list[Row]:
    if table == "table2":
        return table2_rows(doc, doc["format"])
    if table == "table3":
        return table3_rows(doc, doc["format"])
    return table4_rows(doc)


def to_html(doc: dict[str, Any], *, encoding: str = "utf-8", layout_table: bool = True) -> bytes:
    """A government web page: a layout table around the article, data tables with rowspan/colspan."""
    parts = []
    for kind, content in _body(doc):
        if kind == "title":
            parts.append(
                f"<h1>{html.escape(content)}</h1><div class='info'>发布日期：{doc['year'] + 1}-01-20</div>"
            )
        elif kind == "h":
            parts.append(f"<p><strong>{html.escape(content)}</strong></p>")
        elif kind == "p":
            parts.append(f"<p>{html.escape(content)}</p>")
        else:
            parts.append(_html_table(_rows_for(doc, content)))
    article = "\n".join(parts)
    if layout_table:
        article = f"<table width='100%'><tr><td><div id='zoom'>{article}</div></td></tr></table>"
    page = (
        f"<html><head><meta http-equiv='Content-Type' content='text/html; charset={encoding}'>"
        f"<script>var x = '<td>1</td>';</script><style>td {{ color: red }}</style></head>"
        f"<body><div class='nav'>首页 &gt; 政府信息公开年报</div>{article}<div>【打印此文】【关闭窗口】</div></body></html>"
    )
    return page.encode(encoding)


def _flat(rows: list[Row], style: str) -> list[str]:
    lines: list[str] = []
    for row in rows:
        texts = [text for text, _, _ in row]
        if style == "pipe":  # seed 001: one cell per line ending in " |"
            lines.extend(f"{t} |" if t else "|" for t in texts)
        elif style == "lines":  # one cell per line, nothing else
            lines.extend(t if t else "" for t in texts)
        elif style == "spaced":  # a row per line, cells separated by spaces
            lines.append(" ".join(t for t in texts if t))
        elif style == "glued":  # label then all digits run together
            labels = "".join(t for t in texts if t and not t.lstrip("-").replace(".", "").isdigit())
            digits = "".join(t for t in texts if t and t.lstrip("-").replace(".", "").isdigit())
            lines.append(labels + digits)
        else:
            raise ValueError(style)
    return lines


def to_text(
    doc: dict[str, Any], style: str = "pipe", *, tables: tuple[str, ...] = ("table2", "table3", "table4")
) -> str:
    lines = []
    for kind, content in _body(doc):
        if kind == "table":
            if content in tables:
                lines.extend(_flat(_rows_for(doc, content), style))
        else:
            lines.append(content)
    return "\n".join(lines)


def to_docx(doc: dict[str, Any]) -> bytes:
    """A Word file with merged cells as Word merges them (the merged area holds the text once)."""
    import docx

    document = docx.Document()
    for kind, content in _body(doc):
        if kind == "table":
            rows = _rows_for(doc, content)
            grid: dict[tuple[int, int], tuple[str, int, int]] = {}
            width = 0
            for r, row in enumerate(rows):
                c = 0
                for cell in row:
                    while (r, c) in grid:
                        c += 1
                    text, rs, cs = cell
                    for dr in range(rs):
                        for dc in range(cs):
                            grid[(r + dr, c + dc)] = ("", 0, 0)
                    grid[(r, c)] = cell
                    c += cs
                    width = max(width, c)
            table = document.add_table(rows=len(rows), cols=width)
            for (r, c), (text, rs, cs) in grid.items():
                if rs == 0:
                    continue
                cell = table.cell(r, c)
                if rs > 1 or cs > 1:
                    cell = cell.merge(table.cell(min(r + rs, len(rows)) - 1, c + cs - 1))
                cell.text = text
        else:
            document.add_paragraph(content)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def to_pdf(doc: dict[str, Any]) -> bytes:
    from gongkai.core.documents import html_to_pdf

    page = to_html(doc, layout_table=False).decode("utf-8")
    return html_to_pdf(page)
