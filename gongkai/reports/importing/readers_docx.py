"""Readers, DOCX: a Word file → flat text, paragraphs and tables in document order (python-docx)."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from typing import Any

from gongkai.core import uploads

from .readers_grid import flatten_grid
from .readers_text import ReadError, ReadResult

logger = logging.getLogger(__name__)


def _docx_guard(data: bytes) -> None:
    """The shared upload guard (``core.uploads``): the zip is inspected before python-docx inflates it."""
    try:
        uploads.verify(data, uploads.KINDS["docx"])
    except uploads.UploadRefused as exc:
        if exc.reason == "damaged":
            raise ReadError("Word 文件已损坏或不是 DOCX 格式") from exc
        raise ReadError(f"Word 文件已跳过：{str(exc).rstrip('。')}") from exc


def _docx_blocks(document: Any) -> Iterator[str]:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            if item.text.strip():
                yield item.text.strip()
        elif isinstance(item, Table):
            yield from _docx_table(item)


def _docx_table(table: Any) -> Iterator[str]:
    # Merged cells come back once per grid position; the same <w:tc> element means the same cell. Keeping
    # the elements (not their id()) keeps lxml's proxies alive, so identity is stable.
    seen: set[Any] = set()
    grid: list[list[str | None]] = []
    nested: list[Any] = []
    for row in table.rows:
        cells: list[str | None] = []
        for cell in row.cells:
            key = cell._tc
            if key in seen:
                cells.append(None)
                continue
            seen.add(key)
            nested.extend(cell.tables)
            cells.append(cell.text)
        grid.append(cells)
    width = max((sum(1 for c in row if c is not None) for row in grid), default=0)
    if nested or width <= 1:  # a layout table: read its cells as paragraphs
        for row in grid:
            for cell_text in row:
                if cell_text and cell_text.strip():
                    yield cell_text.strip()
        for inner in nested:
            yield from _docx_table(inner)
        return
    flat = flatten_grid(grid)
    if flat:
        yield flat


def read_docx(data: bytes) -> ReadResult:
    """Word (DOCX) → flat text: paragraphs and tables in document order (python-docx)."""
    _docx_guard(data)
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
        text = "\n".join(_docx_blocks(document))
    except ReadError:
        raise
    except Exception as exc:  # noqa: BLE001 - python-docx raises many types for damaged files
        logger.debug("DOCX reader failed", exc_info=True)
        raise ReadError(f"Word 文件无法读取（已损坏或格式不支持）：{type(exc).__name__}") from exc
    return ReadResult(text=text, filetype="docx")
