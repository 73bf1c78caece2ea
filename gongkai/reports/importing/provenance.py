"""Where every cell came from: ``source.cells`` of an imported report, and warnings on uncertain OCR cells.

The extraction reads values, not places, so each cell of 表三 and 表四 is located again in the text as read and
kept only when the text there gives back exactly the extracted figures: a 表三 row is found by its printed label
(numbering and spaces ignored), a 表四 by the last 总计 of its header; the digits that follow must spell the
row's figures in order (a blank cell is skipped; glued digits ``0000000`` are cut by the figures' lengths); a
表二 item by its label after the heading 「主动公开政府信息情况」 (signed 本年增/减 figures with their minus sign;
text figures such as 「101647022.75元」 by their digits). A cell
is then ``{"offset": n}`` (its first character in the text as read, before normalisation) or, when the text came
from OCR, ``{"page": p, "bbox": [x0, y0, x1, y1], "confidence": c}`` (page pixels at ``ocr.OCR_DPI``; a word
holding several cells is cut in proportion to its characters).

OCR findings (warnings, one per cell, so the cell is named): ``import_ocr_uncertain`` for a cell read with
confidence below ``LOW_CONFIDENCE``; ``import_ocr_unplaced`` for a figure that could not be found again in the
recognised text (its reading cannot be vouched for). Findings are dicts, as the importer's other reading findings
(``extract.finding``); the engine's ``Finding`` is built only by ``reports.checks``.
"""

from __future__ import annotations

import bisect
import re
from typing import Any

from gongkai.reports import definitions as defs
from gongkai.reports.checks.findings import Finding

from .extract_rules import cell_name, finding
from .readers_text import ReadResult

LOW_CONFIDENCE = 0.80
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|\d+[.．、])")
_SKIP = re.compile(r"[\s|，,、.．:：()（）“”\"]")
_WINDOW = 160  # characters after a label in which its figures must stand


class _Compact:
    """The text without spaces and punctuation, with each kept character's offset in the text."""

    def __init__(self, text: str) -> None:
        self.offsets = [i for i, ch in enumerate(text) if not _SKIP.match(ch)]
        self.text = "".join(text[i] for i in self.offsets)

    def find(self, label: str, start: int = 0) -> int | None:
        """Offset in the original text just after `label`, searching from compact position `start`."""
        at = self.text.find(label, start)
        return None if at < 0 else self.offsets[at + len(label) - 1] + 1


def _label(row_key: str) -> str:
    last = row_key.rsplit("/", 1)[-1]
    return _SKIP.sub("", _NUMBERING.sub("", last))


_MINUS = "-－−"


def _wanted(value: Any) -> tuple[str, bool] | None:
    """The digits a cell's value prints as, and whether a minus sign stands before them (None: not a figure)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(abs(value)), value < 0
    if isinstance(value, str) and any(ch.isdigit() for ch in value):  # "101647022.75元"
        return "".join(ch for ch in value if ch.isdigit()), value.lstrip().startswith(tuple(_MINUS))
    return None


def _figures(text: str, start: int, values: list[Any]) -> list[tuple[int, int] | None] | None:
    """Spans [a, b) of `values` in the digits after `start`, or None when the digits do not spell them."""
    wanted = [None if v is None else _wanted(v) for v in values]
    if any(v is not None and w is None for v, w in zip(values, wanted, strict=True)):
        return None
    digits = [(i, ch) for i, ch in enumerate(text[start : start + _WINDOW], start=start) if ch.isdigit()]
    spans: list[tuple[int, int] | None] = []
    n = 0
    for figure in wanted:
        if figure is None:
            spans.append(None)
            continue
        printed, negative = figure
        chunk = digits[n : n + len(printed)]
        if "".join(ch for _, ch in chunk) != printed:
            return None
        first = chunk[0][0]
        sign = text[:first].rstrip()[-1:]
        if negative != (sign != "" and sign in _MINUS):
            return None
        if negative:
            first = text.rindex(sign, 0, first)
        spans.append((first, chunk[-1][0] + 1))
        n += len(printed)
    return spans


def _place_row(
    found: dict[str, tuple[int, int]],
    keys: list[str],
    text: str,
    compact: _Compact,
    label: str,
    cursor: int,
    values: list[Any],
) -> int:
    """A row label found from ``cursor`` on, then ``values`` in the figures after it: each value's span goes into
    ``found`` under its key (``keys``, in the order of ``values``). The cursor past the label; ``cursor`` itself
    when the label is not there or its figures do not spell the values."""
    end = compact.find(label, cursor) if label else None
    if end is None:
        return cursor
    spans = _figures(text, end, values)
    if spans is None:
        return cursor
    found.update({key: span for key, span in zip(keys, spans, strict=False) if span is not None})
    return bisect.bisect_left(compact.offsets, end)


def _table3(doc: dict[str, Any], text: str, compact: _Compact) -> dict[str, tuple[int, int]]:
    found: dict[str, tuple[int, int]] = {}
    table = doc.get("table3") or {}
    columns = defs.TABLE3_COLUMNS if not table.get("columns") else table["columns"]
    cursor = 0
    for key, values in (table.get("rows") or {}).items():
        if values:
            keys = [f"表三/{key}/{column}" for column in columns]
            cursor = _place_row(found, keys, text, compact, _label(key), cursor, values)
    return found


def _table4_start(doc: dict[str, Any], compact: _Compact) -> int | None:
    """Offset just after 表四's header (its last 总计), or None."""
    heading = compact.find("行政复议行政诉讼")  # 「情况」 left out: OCR misreads it (「青况」)
    if not doc.get("table4") or heading is None:
        return None
    start = bisect.bisect_left(compact.offsets, heading)
    header_end = compact.text.rfind("总计", start, start + 200)
    return None if header_end < 0 else compact.offsets[header_end + 1] + 1


_TABLE4_CELLS = [(g, c) for g in defs.TABLE4.groups for c in defs.TABLE4.columns]


def _table4(doc: dict[str, Any], text: str, compact: _Compact) -> dict[str, tuple[int, int]]:
    after = _table4_start(doc, compact)
    if after is None:
        return {}
    table = doc["table4"]
    spans = _figures(text, after, [table.get(g, {}).get(c) for g, c in _TABLE4_CELLS])
    if spans is None:
        return {}
    return {
        f"表四/{g}/{c}": span for (g, c), span in zip(_TABLE4_CELLS, spans, strict=True) if span is not None
    }


def _table4_ocr(doc: dict[str, Any], result: ReadResult, compact: _Compact) -> dict[str, tuple[int, int]]:
    """表四 of an OCR'd table, cell by cell: the recognised cells after the header, in order, each a figure of
    the extracted value (so 「00」 read for a printed 0 is still placed; the digit stream would not match)."""
    after = _table4_start(doc, compact)
    if after is None:
        return {}
    table = doc["table4"]
    figures = (p for p in result.positions if p.start >= after and result.text[p.start : p.end].isdigit())
    found: dict[str, tuple[int, int]] = {}
    for group, column in _TABLE4_CELLS:
        value = table.get(group, {}).get(column)
        if value is None:
            continue
        cell = next(figures, None)
        if cell is None or isinstance(value, bool) or int(result.text[cell.start : cell.end]) != value:
            return {}
        found[f"表四/{group}/{column}"] = (cell.start, cell.end)
    return found


def _table2(doc: dict[str, Any], text: str, compact: _Compact) -> dict[str, tuple[int, int]]:
    """表二 items in order after the heading 「主动公开政府信息情况」: the item's label, then its figures."""
    table = doc.get("table2")
    heading = compact.find("主动公开政府信息情况")
    if not isinstance(table, dict) or heading is None:
        return {}
    cursor = bisect.bisect_left(compact.offsets, heading)
    found: dict[str, tuple[int, int]] = {}
    for section, items in table.items():
        for item, columns in (items or {}).items() if isinstance(items, dict) else ():
            if isinstance(columns, dict):
                keys = [f"表二/{section}/{item}/{column}" for column in columns]
                values = list(columns.values())
                cursor = _place_row(found, keys, text, compact, _SKIP.sub("", item), cursor, values)
    return found


def _ocr_source(span: tuple[int, int], result: ReadResult) -> dict[str, Any] | None:
    starts = [p.start for p in result.positions]
    n = bisect.bisect_right(starts, span[0]) - 1
    if n < 0 or span[0] >= result.positions[n].end:
        return None
    pos = result.positions[n]
    x0, y0, x1, y1 = pos.bbox
    width = max(1, pos.end - pos.start)
    a = x0 + (x1 - x0) * (span[0] - pos.start) // width
    b = x0 + (x1 - x0) * (min(span[1], pos.end) - pos.start) // width
    return {"page": pos.page, "bbox": [a, y0, max(a + 1, b), y1], "confidence": pos.confidence}


def cell_sources(doc: dict[str, Any], result: ReadResult) -> dict[str, dict[str, Any]]:
    """``source.cells`` for one imported report: every 表二/表三/表四 cell found again in the text as read."""
    compact = _Compact(result.text)
    spans = {
        **_table2(doc, result.text, compact),
        **_table3(doc, result.text, compact),
        **_table4(doc, result.text, compact),
    }
    if not result.positions:
        return {key: {"offset": span[0]} for key, span in spans.items()}
    if not any(key.startswith("表四/") for key in spans):
        spans.update(_table4_ocr(doc, result, compact))
    sources = {}
    for key, span in spans.items():
        source = _ocr_source(span, result)
        if source is not None:
            sources[key] = source
    return sources


def finding_cell(key: str) -> str:
    """``source.cells`` key → the findings' cell key. 表二: ``表二/<item>/<row>/<column>`` (a column label may hold
    a "/", 「本年增/减」) → ``table2:<item>/<row>:<column>``; 表三/表四: the column is the last part."""
    if key.startswith("表二/"):
        _, item, row, column = key.split("/", 3)
        return f"table2:{item}/{row}:{column}"
    table, row, column = key.split("/", 1)[0], *key.split("/", 1)[1].rsplit("/", 1)
    return f"{'table3' if table == '表三' else 'table4'}:{row}:{column}"


def ocr_findings(doc: dict[str, Any], sources: dict[str, dict[str, Any]]) -> list[Finding]:
    """Warnings on OCR cells: low confidence, or a figure not found again in the recognised text."""
    out: list[Finding] = []
    for key, source in sources.items():
        if source.get("confidence", 1.0) < LOW_CONFIDENCE:
            out.append(
                finding(
                    "import_ocr_uncertain",
                    "warning",
                    f"文字识别对「{cell_name(finding_cell(key))}」把握不大（置信度 {source['confidence']:.0%}），请对照原件核对。",
                    [finding_cell(key)],
                )
            )
    unplaced = [key for key in _ocr_cells(doc) if key not in sources]
    for key in unplaced:
        out.append(
            finding(
                "import_ocr_unplaced",
                "warning",
                f"「{cell_name(finding_cell(key))}」的数字未能在识别文字中逐一核对，请对照原件核对。",
                [finding_cell(key)],
            )
        )
    return out


def _ocr_cells(doc: dict[str, Any]) -> list[str]:
    keys = []
    table3 = doc.get("table3") or {}
    columns = table3.get("columns") or defs.TABLE3_COLUMNS
    for row, values in (table3.get("rows") or {}).items():
        keys += [f"表三/{row}/{c}" for c, v in zip(columns, values, strict=False) if v is not None]
    for group, cells in (doc.get("table4") or {}).items():
        keys += [f"表四/{group}/{c}" for c, v in cells.items() if v is not None]
    return keys
