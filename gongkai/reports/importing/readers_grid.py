"""Readers, flat table form: a grid of cells → one line per row, each cell ending with ` |`.

An empty cell is `|` alone; cells covered by a rowspan/colspan (None on the grid) are not repeated.
"""

from __future__ import annotations

import re


def _cell_text(text: str) -> str:
    text = re.sub(r"\s*\n\s*", "", text.strip()) if re.search(r"[\u3400-\u9fff]\s*\n", text) else text
    return re.sub(r"\s+", " ", text.replace("|", "/")).strip()


def flatten_grid(grid: list[list[str | None]]) -> str:
    """One line per row; each originating cell ends with ` |`; covered cells (None) are left out."""
    lines = []
    for row in grid:
        cells = [_cell_text(cell) for cell in row if cell is not None]
        if not cells:
            continue
        lines.append(" ".join(f"{c} |" if c else "|" for c in cells))
    return "\n".join(lines)


def build_grid(rows: list[list[tuple[str, int, int]]]) -> list[list[str | None]]:
    """Place (text, rowspan, colspan) cells on a grid; positions covered by a span hold None."""
    grid: dict[tuple[int, int], str | None] = {}
    width = 0
    for r, row in enumerate(rows):
        c = 0
        for text, rowspan, colspan in row:
            while (r, c) in grid:
                c += 1
            rowspan = max(1, min(rowspan, 500))
            colspan = max(1, min(colspan, 100))
            for dr in range(rowspan):
                for dc in range(colspan):
                    grid[(r + dr, c + dc)] = text if (dr, dc) == (0, 0) else None
            c += colspan
            width = max(width, c)
    height = len(rows)
    return [[grid.get((r, c), "") for c in range(width)] for r in range(height)]
