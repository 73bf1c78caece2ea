"""Accessible markup of an official report table: a caption, the header rows in ``thead``, and every figure tied
to all its headers (WCAG 1.3.1, technique H43: ``id`` on each header cell, ``headers`` on each figure).

表三 has three levels of merged column headers (申请人情况 › 法人或其他组织 › 商业企业) and three levels of merged
row labels (三、本年度办理结果 › （三）不予公开 › 1.属于国家秘密); ``scope`` alone cannot say which header a merged
cell belongs to, so each figure lists them all, outermost first. 表二 is four small tables stacked (one per
《条例》第二十条 item), so each block is its own ``tbody`` with its own header rows, and a figure names only its
block's headers. The 表三 corner cell is a note on the arithmetic, not a header: it stays an ordinary cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .render import Grid, GridCell, positions

CAPTIONS = {
    "table2": "表二：主动公开政府信息情况",
    "table3": "表三：收到和处理政府信息公开申请情况",
    "table4": "表四：政府信息公开行政复议、行政诉讼情况",
}


@dataclass
class Cell:
    text: str
    tag: str  # "th" or "td"
    colspan: int = 1
    rowspan: int = 1
    numeric: bool = False
    id: str = ""
    headers: list[str] = field(default_factory=list)
    scope: str = ""
    css: str = ""

    @property
    def headers_attr(self) -> str:
        return " ".join(self.headers)


@dataclass
class Section:
    head: list[list[Cell]]  # header rows
    body: list[list[Cell]]  # rows of figures (and their row labels)


@dataclass
class Table:
    name: str
    caption: str
    thead: list[list[Cell]]  # the header rows of a table with one header (表三, 表四); empty for 表二
    sections: list[Section]  # one tbody each


def _sections(grid: Grid) -> list[tuple[list[int], list[int]]]:
    """Rows grouped as (header rows, body rows): a run of all-header rows starts a new section."""
    out: list[tuple[list[int], list[int]]] = []
    for r, row in enumerate(grid):
        is_head = all(cell.header for cell in row)
        if is_head and (not out or out[-1][1]):
            out.append(([r], []))
        elif is_head:
            out[-1][0].append(r)
        elif out:
            out[-1][1].append(r)
        else:
            out.append(([], [r]))
    return out


def _columns(c: int, cell: GridCell) -> set[int]:
    return set(range(c, c + cell.colspan))


def mark_up(grid: Grid, name: str) -> Table:
    """The grid as an accessible table (same rows, cells, spans and texts as every other output)."""
    placed = positions(grid)
    cells: dict[tuple[int, int], Cell] = {}
    sections = _sections(grid)
    for heads, body in sections:
        in_body = [(r, c, g) for r, c, g in placed if r in body]
        data_columns = {col for _, c, g in in_body if g.numeric for col in _columns(c, g)}
        for r, c, g in placed:
            if r in heads:
                cells[(r, c)] = _header_cell(g, f"{name}-h{r}-{c}", data_columns & _columns(c, g))
            elif r in body and g.numeric:
                cells[(r, c)] = Cell(g.text, "td", g.colspan, g.rowspan, numeric=True, css="num")
            elif r in body:  # a row label
                scope = "row" if g.rowspan == 1 else "rowgroup"
                cells[(r, c)] = Cell(g.text, "th", g.colspan, g.rowspan, id=f"{name}-h{r}-{c}", scope=scope)
        column_heads = [
            (c, g, cells[(r, c)]) for r, c, g in placed if r in heads and cells[(r, c)].tag == "th"
        ]
        row_heads = [(r, c, g, cells[(r, c)]) for r, c, g in in_body if cells[(r, c)].tag == "th"]
        for r, c, g in in_body:  # column headers above (outermost first), then row labels to the left
            columns = _columns(c, g)
            above = [h.id for hc, hg, h in column_heads if columns & _columns(hc, hg)]
            left = [h.id for lr, lc, lg, h in row_heads if lc < c and lr <= r < lr + lg.rowspan]
            cells[(r, c)].headers = above + left
    rows = [[cells[(r, c)] for rr, c, _ in placed if rr == r] for r in range(len(grid))]
    parts = [Section([rows[r] for r in heads], [rows[r] for r in body]) for heads, body in sections]
    caption = CAPTIONS.get(name, "")
    if len(parts) == 1:  # one header for the whole table: it goes in <thead> (repeated on printed pages)
        return Table(name, caption, parts[0].head, [Section([], parts[0].body)])
    return Table(name, caption, [], parts)


def _header_cell(g: GridCell, cell_id: str, over_figures: set[int]) -> Cell:
    """A cell of a header row: a column header; over the label columns, the header of the labels (表二 信息内容),
    or, spanning several header rows there, a note that heads nothing (表三's corner)."""
    if over_figures:
        return Cell(
            g.text, "th", g.colspan, g.rowspan, id=cell_id, scope="col" if g.colspan == 1 else "colgroup"
        )
    if g.rowspan > 1:
        return Cell(g.text, "td", g.colspan, g.rowspan, css="corner")
    return Cell(g.text, "th", g.colspan, g.rowspan, id=cell_id, scope="col")
