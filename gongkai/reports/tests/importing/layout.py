"""What a PDF text extractor makes of a report printed as running text (issue #16, "PDF text"): the text wrapped at
the page width with a left margin, as ``pdftotext -layout`` gives a browser's print of a ``<pre>`` page — spaces
widened into gaps, blank lines and a form feed at page breaks, a page number between pages, and characters a PDF
font maps to look-alike radicals ("⼀、总体情况", "⾏政许可"). Every figure of the text is kept, digit by digit
(a figure may be cut over two lines, as the printer cuts it)."""

from __future__ import annotations

import random
import unicodedata

# characters a CJK PDF font maps to Kangxi radicals (the importer folds them back, normalise._RADICALS)
RADICALS = str.maketrans(
    {"一": "⼀", "二": "⼆", "行": "⾏", "文": "⽂", "工": "⼯", "人": "⼈", "长": "⻓", "门": "⻔"}
)


def _width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in "WFA" else 1


def wrap(text: str, width: int) -> list[str]:
    """Text cut into lines of `width` display columns (a CJK character takes two), as a printer cuts it."""
    lines, line, used = [], "", 0
    for ch in text:
        w = _width(ch)
        if used + w > width:
            lines.append(line)
            line, used = "", 0
        line += ch
        used += w
    return [*lines, line]


def _gaps(line: str, rng: random.Random) -> str:
    """A space of the text sometimes widened to a gap of 2–5 (an extractor measures the glyphs' distance)."""
    return "".join(" " * rng.randint(2, 5) if ch == " " and rng.random() < 0.5 else ch for ch in line)


def pdf_layout(
    text: str,
    rng: random.Random,
    *,
    width: int | None = None,
    page_lines: int | None = None,
    footers: bool | None = None,
    radicals: bool | None = None,
) -> str:
    """`text` (paragraphs apart by newlines) as a layout extraction of its printed pages; the options are drawn
    from `rng` when not given."""
    width = width or rng.choice((80, 92, 96, 104))
    page_lines = page_lines or rng.randint(25, 50)
    footers = rng.random() < 0.5 if footers is None else footers
    radicals = rng.random() < 0.7 if radicals is None else radicals
    margin = " " * rng.choice((0, 4, 8))
    if radicals:
        text = text.translate(RADICALS)
    printed: list[str] = []
    for paragraph in text.split("\n"):
        printed += wrap(paragraph, width) if paragraph.strip() else [""]
    pages = [printed[i : i + page_lines] for i in range(0, len(printed), page_lines)]
    out: list[str] = []
    for n, page in enumerate(pages, start=1):
        lines = [margin + _gaps(line, rng) if line else "" for line in page]
        out += ["\f" + lines[0], *lines[1:]] if n > 1 else lines
        out += [""] * rng.randint(0, 3)
        if footers:
            out.append(" " * (width // 2) + rng.choice((f"— {n} —", f"- {n} -", f"第 {n} 页", f"{n}")))
    return "\n".join(out) + "\n"
