"""The report's three tables as a workbook: one sheet each, the official merged cells, a title row on top.

A version not yet published says so inside the workbook, not only in its file name: the title row reads
「【草稿】<title>」 and every sheet's printed header and footer carry 「草稿」, so a sheet printed or copied out of
the file is still recognisably a draft.
"""

from __future__ import annotations

from typing import Any

from .render import default_title, grids, positions

DRAFT_MARK = "【草稿】"
TABLE_SHEETS = (("表二", "table2"), ("表三", "table3"), ("表四", "table4"))
FIRST_TABLE_ROW = 3  # row 1: the title, row 2: blank


def render_xlsx(doc: dict[str, Any], *, title: str | None = None, draft: bool = False) -> bytes:
    """The three tables, one sheet each, under the report's title (marked 「【草稿】」 for a draft)."""
    from openpyxl.styles import Alignment, Border, Font, Side

    from gongkai.core.exports import SafeWorkbook

    book = SafeWorkbook()  # text cells stay text: a unit name or label never becomes a formula
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    heading = f"{DRAFT_MARK if draft else ''}{title or default_title(doc)}"
    offset = FIRST_TABLE_ROW - 1
    tables = grids(doc)
    for name, grid in TABLE_SHEETS:
        sheet = book.sheet(name)
        ws = sheet.ws
        placed = positions(tables[grid])
        width = max((c + cell.colspan for _, c, cell in placed), default=1)
        top = sheet.set(1, 1, f"{heading}（{name}）")
        top.font = Font(bold=True, size=14)
        top.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if width > 1:
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
        ws.row_dimensions[1].height = 36
        for r, c, cell in placed:
            text = cell.text
            target = sheet.set(
                r + 1 + offset, c + 1, int(text) if cell.numeric and text.lstrip("-").isdigit() else text
            )
            target.alignment = Alignment(
                wrap_text=True,
                vertical="center",
                horizontal="center" if cell.numeric or cell.header else "left",
            )
            target.border = border
            if cell.header:
                target.font = Font(bold=True)
            if cell.colspan > 1 or cell.rowspan > 1:
                ws.merge_cells(
                    start_row=r + 1 + offset,
                    start_column=c + 1,
                    end_row=r + cell.rowspan + offset,
                    end_column=c + cell.colspan,
                )
        ws.column_dimensions["A"].width = 24
        ws.print_title_rows = f"{FIRST_TABLE_ROW}:{FIRST_TABLE_ROW}"
        if draft:
            for header_footer in (ws.oddHeader, ws.evenHeader, ws.firstHeader):
                header_footer.center.text = "草稿"
            for header_footer in (ws.oddFooter, ws.evenFooter, ws.firstFooter):
                header_footer.center.text = "草稿（未发布）　第 &P 页，共 &N 页"
    return book.to_bytes()
