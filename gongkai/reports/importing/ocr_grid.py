"""Ruled tables on a page image: the ruling lines found, erased before OCR, and turned into cells.

A printed table's ruling lines hurt tesseract (it reads a page of ruled cells as noise: the 表二 of a printed
report came back as 「一证一」), and they are also the best evidence of where a cell begins and ends. So each page
image is scanned for long straight runs of dark pixels (Pillow only: a row of the image as bytes, a regular
expression for runs of at least ``min_len`` dark pixels; the image turned for the vertical ones); the lines are
painted white on the copy tesseract reads, and the cells they bound are kept: between two horizontal rules, the
vertical rules crossing the band cut it into cells; a cell whose top rule is missing continues the cell above (a
label spanning rows). Every recognised word whose centre falls in a cell is tagged with that cell
(``ocr.Word.cell``), and ``readers_ocr.layout`` writes each band as one flat row, the covered cells left out, the
way the text-PDF reader writes a table.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any

DARK = 128  # grey level below which a pixel is ink
THICK = 14  # a "line" thicker than this many pixels is a filled area, not a rule
SNAP = 6  # rules closer than this (pixels) are one rule


@dataclass(frozen=True)
class Rule:
    at: int  # y of a horizontal rule, x of a vertical one (its middle)
    start: int  # where it begins and ends along its length
    end: int


@dataclass(frozen=True)
class CellTag:
    """Where a word sits in a ruled table: its band (row of the page's grid, numbered down the page), the band's
    top edge, its column in the band, and which columns of the band hold their own cell (False: covered by a
    cell spanning from the band above)."""

    band: int
    top: int
    column: int
    own: tuple[bool, ...]


def _runs(data: bytes, width: int, height: int, min_len: int) -> list[tuple[int, int, int]]:
    pattern = re.compile(b"\\x01{%d,}" % min_len)
    out = []
    for y in range(height):
        for m in pattern.finditer(data, y * width, (y + 1) * width):
            out.append((y, m.start() - y * width, m.end() - y * width))
    return out


def _merge(runs: list[tuple[int, int, int]]) -> list[Rule]:
    """Runs on neighbouring rows that overlap → one rule (its middle row, its widest extent)."""
    open_: list[list[int]] = []  # [y0, y1, x0, x1]
    done: list[list[int]] = []
    for y, x0, x1 in runs:
        for line in open_:
            if line[1] >= y - 1 and line[2] < x1 and x0 < line[3]:
                line[1], line[2], line[3] = y, min(line[2], x0), max(line[3], x1)
                break
        else:
            open_.append([y, y, x0, x1])
        still = [line for line in open_ if line[1] >= y - 1]
        done += [line for line in open_ if line[1] < y - 1]
        open_ = still
    done += open_
    return [Rule((y0 + y1) // 2, x0, x1) for y0, y1, x0, x1 in done if y1 - y0 < THICK]


def find_rules(image: Any) -> tuple[list[Rule], list[Rule]]:
    """(horizontal, vertical) rules of a grey page image (PIL ``L``)."""
    from PIL import Image

    ink = image.point(lambda v: 1 if v < DARK else 0)
    # horizontal rules: about 0.7 inch on A4 at any resolution (longer than any stroke or dash of the text);
    # vertical ones are as short as a one-line row (a table row alone on a page), but still taller than a glyph
    long, short = max(40, min(image.size) // 12), max(30, min(image.size) // 40)
    horizontal = _merge(_runs(ink.tobytes(), image.width, image.height, long))
    turned = ink.transpose(Image.Transpose.TRANSPOSE)
    vertical = _merge(_runs(turned.tobytes(), turned.width, turned.height, short))
    return horizontal, vertical


def erase(image: Any, horizontal: list[Rule], vertical: list[Rule]) -> Any:
    """A copy with the rules painted white (what tesseract reads)."""
    from PIL import ImageDraw

    clean = image.copy()
    draw = ImageDraw.Draw(clean)
    for rule in horizontal:
        draw.rectangle((rule.start, rule.at - THICK // 2, rule.end, rule.at + THICK // 2), fill=255)
    for rule in vertical:
        draw.rectangle((rule.at - THICK // 2, rule.start, rule.at + THICK // 2, rule.end), fill=255)
    return clean


def _snap(values: list[int]) -> list[int]:
    out: list[int] = []
    for v in sorted(values):
        if out and v - out[-1] <= SNAP:
            continue
        out.append(v)
    return out


@dataclass
class _Cell:
    box: list[int]  # x0, y0, x1, y1 (grown downwards over the bands it spans)
    tag: CellTag


def cells(horizontal: list[Rule], vertical: list[Rule], first_band: int = 0) -> list[_Cell]:
    """The cells of the page's ruled tables, each with the tag of the band where it begins."""
    ys = _snap([r.at for r in horizontal])
    out: list[_Cell] = []
    band = first_band
    for ya, yb in itertools.pairwise(ys):
        if yb - ya < 2 * SNAP:
            continue
        xs = _snap([r.at for r in vertical if r.start <= ya + SNAP and r.end >= yb - SNAP])
        if len(xs) < 3:  # one cell across (a title row) or no table: read as text
            continue
        spans = list(itertools.pairwise(xs))
        ruled = [
            any(abs(r.at - ya) <= SNAP and r.start <= xa + SNAP and r.end >= xb - SNAP for r in horizontal)
            for xa, xb in spans
        ]
        owners: list[_Cell | None] = []
        for (xa, xb), is_ruled in zip(spans, ruled, strict=True):
            above = None
            if not is_ruled:  # no rule on top: the cell above runs on (a label spanning rows)
                above = next(
                    (c for c in out if abs(c.box[0] - xa) <= SNAP and abs(c.box[2] - xb) <= SNAP
                     and abs(c.box[3] - ya) <= SNAP),
                    None,
                )  # fmt: skip
            if above is not None:
                above.box[3] = yb
            owners.append(above)
        own = tuple(owner is None for owner in owners)
        for column, ((xa, xb), owner) in enumerate(zip(spans, owners, strict=True)):
            if owner is None:
                out.append(_Cell([xa, ya, xb, yb], CellTag(band, ya, column, own)))
        band += 1
    return out


def tag_of(box: tuple[int, int, int, int], table: list[_Cell]) -> CellTag | None:
    """The cell a word's box falls in (by its centre), or None (outside every ruled table)."""
    x, y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    for cell in table:
        x0, y0, x1, y1 = cell.box
        if x0 <= x < x1 and y0 <= y < y1:
            return cell.tag
    return None


def split(
    box: tuple[int, int, int, int], text: str, table: list[_Cell]
) -> list[tuple[str, tuple[int, int, int, int]]]:
    """A word tesseract ran across erased rules (``0 0 0`` of three narrow cells read as ``000``) cut where the
    rules were: each character placed by its share of the box's width; a word within one cell comes back whole."""
    x0, y0, x1, y1 = box
    y = (y0 + y1) / 2
    row = sorted((c for c in table if c.box[1] <= y < c.box[3]), key=lambda c: c.box[0])
    inside = [c for c in row if c.box[0] < x1 and x0 < c.box[2]]
    if len(inside) < 2 or not text:
        return [(text, box)]
    width = (x1 - x0) / len(text)
    parts: list[tuple[str, tuple[int, int, int, int]]] = []
    current: _Cell | None = None
    for n, ch in enumerate(text):
        left = x0 + n * width
        middle = left + width / 2
        cell = next((c for c in inside if c.box[0] <= middle < c.box[2]), None)
        if parts and cell is current:
            text_, (a, b, _, d) = parts[-1]
            parts[-1] = (text_ + ch, (a, b, int(left + width), d))
        else:
            parts.append((ch, (int(left), y0, int(left + width), y1)))
        current = cell
    return parts
