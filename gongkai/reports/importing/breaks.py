"""Line breaks recovered at known headings and labels, for text whose line breaks were lost.

Scraped pages often hold a whole report on one line: headings, labels and every figure of 表二/表三/表四 run
together ("…本年新收政府信息公开申请数量230 000023二、上年结转…"). The format's own labels, in the order the
format prints them, are searched with a cursor: each label found starts a new line (a section heading also ends
its line), so the cell stream of such a text is the same stream of labels and figures as a table's. A label
that is not found within a short window of the previous one is skipped (a missing label); its figures stay with
the previous label and the grid aligner (`align`) places them.

Numbering is part of a leaf label and is searched with it ("2.其他法律…"): in "…00000002.其他法律…" the cut falls
before the "2", so the figures of the row above keep their own digits.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from functools import lru_cache

from gongkai.reports import definitions as defs

from . import headings
from .extract_match import ratio
from .normalise import label_key
from .readers_text import JOIN_TIGHT, RIGHT_MARGIN
from .tokens import UNITS

_FUZZY = 0.75  # similarity of a misspelt numbered label to the format's
LONG_LINE = 160  # shorter lines keep their breaks
_ROW_WINDOW = 600  # characters searched after the previous label for the next one of a table
_FIRST_WINDOW = 3000  # … and after a section heading for its table's first label

_CLASSES = {
    "（": "[（(]",
    "(": "[（(]",
    "）": "[）)]",
    ")": "[）)]",
    "、": "[、，,.．与和及]",
    "，": "[，,、]",
    "“": "[“”\"'‘’「」]?",
    "”": "[“”\"'‘’「」]?",
    "/": "[/／]",
}
# figures, each with its unit; an amount's currency unit may stand apart ("922533.2 元")
_FIGURES = re.compile(rf"(?:\s*[-+]?\d[\d,.]*(?:{UNITS}|\s*(?:万元|亿元|元))?)+")
_SUFFIX_WINDOW = 80  # a label found only by its tail ("规范性文件" for 行政规范性文件) must be this close
_NUMBERED = re.compile(r"^(\d+)\s*[.．、]\s*(.+)$")
_CN_NUMBERED = re.compile(r"^(?:([一二三四五六七八九十]+)、|[（(]([一二三四五六七八九十]+)[）)])\s*(.+)$")


def _flexible(text: str) -> str:
    """A label as a pattern: spaces allowed between characters, brackets/commas/quotes in either width."""
    parts = [_CLASSES.get(ch, re.escape(ch)) for ch in text if not ch.isspace()]
    return r"\s*".join(parts)


def _tail(text: str, line: str, start: int, end: int) -> tuple[int, int] | None:
    """Where an unnumbered label printed without its leading qualifier starts and ends ("规范性文件" for
    行政规范性文件, the 2019 wording in a 2021 table): its longest tail of at least 60 % of it, close by."""
    end = min(end, start + _SUFFIX_WINDOW)
    for pattern in _tail_patterns(text):
        found = pattern.search(line, start, end)
        if found:
            return found.start(), found.end()
    return None


@lru_cache(maxsize=256)
def _tail_patterns(text: str) -> tuple[re.Pattern[str], ...]:
    """The label's tails, longest first, down to 60 % of it (none for a numbered or short label)."""
    if _NUMBERED.match(text) or len(text) < 6:
        return ()
    sizes = range(len(text) - 1, max(4, -(-len(text) * 3 // 5)) - 1, -1)
    return tuple(re.compile(_flexible(text[-size:])) for size in sizes)


def _fuzzy(text: str, line: str, start: int, end: int) -> int | None:
    """Where a numbered label with a slip ("其他法律和行政法规…", "不再受理…") starts: its number and dot
    followed by words close to the label's."""
    numbered, chinese = _NUMBERED.match(text), _CN_NUMBERED.match(text)
    if numbered:
        number, rest = numbered.groups()
        head = rf"{number}\s*[.．、]\s*"
    elif chinese:  # "一、本年新收…", "（二）部分公开…"
        listed, bracketed, rest = chinese.groups()
        head = rf"{listed}\s*[、.．,，]\s*" if listed else rf"[（(]\s*{bracketed}\s*[）)]\s*"
    else:
        return None
    want = label_key(rest)
    if len(want) < 4:
        return None
    for match in re.compile(rf"{head}(?=[\u3400-\u9fff])").finditer(line, start, end):
        words = label_key(re.split(r"\d", line[match.end() : match.end() + len(rest) + 4], maxsplit=1)[0])
        if ratio(words[: len(want) + 2], want) >= _FUZZY:
            return match.start()
    return None


def _label_pattern(text: str) -> re.Pattern[str]:
    numbered = _NUMBERED.match(text)
    if numbered:  # "2.其他法律…": the number and its dot in any width, the dot may be missing
        number, rest = numbered.groups()
        body = _flexible(rest)
        if len(rest) <= 3:  # "3.其他" must keep its number to be told from the column 其他
            return re.compile(rf"{number}\s*[.．、]?\s*{body}")
        return re.compile(rf"(?:{number}\s*[.．、]?\s*)?{body}")
    shortened = re.sub(
        r"（[^（）]*）$", "", text
    )  # （二）部分公开（区分处理的，…）: the note may be left out
    options = [text] if shortened == text else [text, shortened]
    return re.compile("|".join(f"(?:{_flexible(o)})" for o in options))


@lru_cache(maxsize=1)
def _heading_patterns() -> tuple[re.Pattern[str], ...]:
    out = []
    for number, variants in defs.SECTION_HEADING_VARIANTS.items():
        titles = {v.split("、", 1)[1] for v in variants} | set(headings.WORDINGS.get(number, ()))
        body = "|".join(_flexible(t) for t in sorted(titles, key=len, reverse=True))
        out.append(re.compile(rf"{number}\s*[、.．,，]?\s*(?:{body})"))  # "一总体情况": the comma may be lost
    return tuple(out)


@lru_cache(maxsize=4)
def _table_labels(fmt: str) -> tuple[tuple[str, tuple[tuple[str, re.Pattern[str]], ...]], ...]:
    """(section number, label patterns in printed order) for the tables under 二, 三 and 四."""
    spec = defs.FORMATS[fmt]
    table2: list[str] = []
    for block in spec.table2_layout.blocks:
        table2 += [block.item, spec.table2_layout.label_header, *block.rows]
    table3 = [cell.text for row in spec.table3_rows for cell in row.label_cells]
    if (
        fmt == "2021"
    ):  # local templates keep the single （六）其他处理 row: its label is searched like the others
        table3 = list(dict.fromkeys(table3))
    table4 = ["".join(cell.text for cell in spec.table4_layout.header[0])]  # 行政复议行政诉讼, not prose
    return tuple(
        (number, tuple((t, _label_pattern(t)) for t in texts))
        for number, texts in (("二", table2), ("三", table3), ("四", table4))
    )


@lru_cache(maxsize=1)
def _table4_header() -> re.Pattern[str]:
    """The header cells of 表四 in any order and spacing (行政复议 行政诉讼 结果维持 … 未经复议直接起诉 …)."""
    words = {cell.text.rsplit("/", 1)[-1] for row in defs.TABLE4.header for cell in row}
    body = "|".join(_flexible(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?:\s*(?:{body}))*")


def _cuts(line: str, fmt: str) -> list[int]:
    """Character positions of the line where a new line starts."""
    cuts: list[int] = []
    cursor = 0
    tables = dict(_table_labels(fmt))
    taken: list[tuple[int, int]] = []  # spans of the tables and headings found in order

    def start_at(start: int, end: int) -> None:
        nonlocal cursor
        # The figures of the label before end its line: a stray word after them ("0000000三") is not a label's.
        figures = _FIGURES.match(line, cursor, start)
        if cuts and figures and cursor < figures.end() < start:
            cuts.append(figures.end())
        cuts.append(start)
        cursor = end

    for number, pattern in zip(defs.SECTION_NUMBERS, _heading_patterns(), strict=False):
        match = pattern.search(line, cursor)
        if match:
            start_at(match.start(), match.end())
            cuts.append(match.end())
            taken.append((match.start(), match.end()))
        # A heading with a typo ("行政法复议") is not found; its table's labels still are.
        first: int | None = None
        for n, (text, label) in enumerate(tables.get(number, ())):
            window = cursor + (_FIRST_WINDOW if n == 0 else _ROW_WINDOW)
            found = label.search(line, cursor, window)
            slip = None if found else _fuzzy(text, line, cursor, window)
            tail = None if found or slip is not None else _tail(text, line, cursor, window)
            if found:
                start_at(found.start(), found.end())
            elif slip is not None:
                start_at(slip, slip + 2)
            elif tail is not None:
                start_at(*tail)
            if (found or slip is not None or tail is not None) and first is None:
                first = cuts[-1]
        if first is not None:  # the table ends after the figures of its last label (表四: after its header)
            header = _table4_header().match(line, cursor) if number == "四" else None
            cursor = header.end() if header else cursor
            figures = _FIGURES.match(line, cursor)
            if figures and figures.end() > cursor:
                cuts.append(figures.end())
                cursor = figures.end()
            taken.append((first, cursor))
    # Headings in the unit's own wording or numbering ("五、信息处理费收取情况", "七、其他需说明事项"), outside
    # the tables: each starts a line and its title ends it.
    for start, end, _ in headings.candidates(line):
        if not any(a <= start < b for a, b in taken):
            cuts += [start, end]
    return cuts


_WIDE = re.compile(
    "[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6“”‘’…·]"
)


def _width(line: str) -> int:
    """Display width: a CJK character or full-width sign takes two columns, as a text extractor lays it out."""
    return len(line) + len(_WIDE.findall(line))


_GAP = re.compile(r"\S\s{2,}\S")  # columns apart (a table row of a layout extraction)
RUNNING = (
    3  # filled lines with a figure touching Chinese text that make a printed running text (join_wrapped)
)
FILLED_ROWS = 0.75  # share of column-like lines filled to the width that make a printed running text
MIN_WRAPPED = 5  # such lines needed before a text counts as wrapped (and 30 % of its lines of some length)


SHORT_PIECE = 16  # characters: a header or label cell; wrapped prose runs longer between its gaps
_SEGMENTS = re.compile(r"\s{2,}")
_GLUED = re.compile(r"[\u3400-\u9fff]\d|\d[\u3400-\u9fff（(]")
# a table row whose cells were lost: a label touching its figures ("申请数量0   0 0", "数量21710000218")
_LOST_CELLS = re.compile(r"[\u3400-\u9fff）](?:\d+\s+\d|\d{6})")
_CJK_END = re.compile(r"[\u3400-\u9fff\d]\s*$")
_CJK_START = re.compile(r"[\u3400-\u9fff、，。；：）”\d]")
_ANY_FIGURE = re.compile(r"\d")
CENTRED = 10  # leading spaces of a centred page number (past the page's margin)
_PAGE_NUMBER = re.compile(r"\d{1,3}")
_FIGURE = re.compile(r"[\d.,/%\-]+")


def _columns(text: str) -> bool:
    """A line of table columns (two or more spaces apart): figures alone in two of its pieces or more, or only
    short pieces (SHORT_PIECE). Wrapped prose a layout extraction spaced
    out ("益 组织 法律服务  机构  其他一、本年新收…", "…不予处理    1") has a long piece and at most one lone figure
    (a figure the printer cut at the line's end). A line where a figure touches Chinese text ("申请数量0   0 0",
    "00三、本年度") is running text whatever its gaps: a layout extraction puts a gap between a table's cells."""
    if not _GAP.search(text) or _GLUED.search(text):
        return False
    pieces = _SEGMENTS.split(text)
    return sum(bool(_FIGURE.fullmatch(p)) for p in pieces) >= 2 or max(map(len, pieces)) <= SHORT_PIECE


def join_wrapped(lines: Sequence[str]) -> list[str]:
    """Text extracted from a PDF or copied from a page at a fixed width: a line filled to that width continues
    on the next one. When many lines reach RIGHT_MARGIN of the widest line's width, such lines are joined to the next
    (without a space between Chinese text or figures, as they were written); a line of table columns (_columns)
    is not joined unless the break cut running text (Chinese text or a figure before it, Chinese text, a sign or a
    figure after it: "4.保护第三方合法 / 权益  0  0", "3.要求提供公开出版物 / 0 0   00", "信息 0 0 / 00 0"). A text with one paragraph per line has few lines of nearly the same width. Blank lines
    between a filled line and its continuation (a page break of a layout extraction) are passed over, and so is
    a bare page number after them or centred between the two lines.

    A printed running text (a page whose tables had lost their cells, printed and extracted: RUNNING lines or more
    filled to the width where a label touches its figures, _LOST_CELLS, or lines that look like columns nearly all
    filled to the width, FILLED_ROWS — a layout table's rows end where their last cell ends) is joined whatever its gaps: there, figures apart by
    gaps ("数量0   0 0    0  00") are the printer's spacing, not a table's columns. Widths are measured with each
    gap as one space, as the line was before the extractor spaced it out."""
    if len(lines) < MIN_WRAPPED:
        return list(lines)
    compact = [_width(_SEGMENTS.sub(" ", line.strip())) for line in lines]
    plain = [w for w, line in zip(compact, lines, strict=True) if not _GAP.search(line.strip())]
    full = max(plain or compact or [0])
    filled = [w >= RIGHT_MARGIN * full for w in compact]
    spread = [f for f, line in zip(filled, lines, strict=True) if _columns(line.strip())]
    running = sum(
        f and bool(_LOST_CELLS.search(line)) for f, line in zip(filled, lines, strict=True)
    ) >= RUNNING or (len(spread) >= MIN_WRAPPED and sum(spread) >= FILLED_ROWS * len(spread))
    widths = [
        w if running or not _columns(line.strip()) else 0 for w, line in zip(compact, lines, strict=True)
    ]
    near = sum(w >= RIGHT_MARGIN * full for w in widths)
    if full < 40 or near < MIN_WRAPPED or near < 0.3 * sum(w >= 20 for w in widths):
        return list(lines)
    # the page's left margin (a layout extraction indents every line) is no space between words
    margin = min((len(line) - len(line.lstrip()) for line in lines if line.strip()), default=0)
    out: list[str] = []
    joining = passed = False
    for line, width in zip((line[margin:] for line in lines), widths, strict=True):
        text = line.strip()
        if joining and not text:
            passed = True
            continue
        if joining and _PAGE_NUMBER.fullmatch(text) and (passed or line[:CENTRED].isspace()):
            continue  # the page number under a page whose last line runs on to the next page
        passed = False
        cut = (
            bool(out)
            and _CJK_END.search(out[-1]) is not None
            and _CJK_START.match(text) is not None
            and _ANY_FIGURE.search(text) is not None  # a table's header row after a paragraph stays apart
        )
        if joining and (running or cut or not _columns(text)):
            # a break at a space keeps it ("92 " / "20 49" are figures apart); else Chinese and figures join
            spaced = line[:1].isspace() or out[-1][-1:].isspace()
            tight = not spaced and JOIN_TIGHT.match(text[:1]) and JOIN_TIGHT.match(out[-1].rstrip()[-1:])
            out[-1] = out[-1].rstrip() + ("" if tight else " ") + line.lstrip()
        else:
            out.append(line)
        joining = bool(text) and width >= RIGHT_MARGIN * full
    return out


def _is_cell_row(line: str) -> bool:
    """A row of the readers' flat table form (``cell | cell |``), not prose with a stray "|" (OCR reads a
    vertical stroke as one)."""
    stripped = line.rstrip()
    return stripped.endswith("|") or stripped.count("|") >= 3


def _one_cell(line: str) -> str | None:
    """The text of a row of one cell, or None for a row of cells. A page's layout frame that a PDF's table finder
    or a converter took for a table gives its running text as such rows ("…一、总体情况2023年，… |",
    "五、存在的主要问题及整改措施（一）… |"): they are cut at their headings (and a long one at the format's labels)
    like any line, and left whole when they hold none."""
    body = line.rstrip()
    if not body.endswith("|"):
        return None
    body = body[:-1].strip()
    return body if body and "|" not in body else None


_BODY = re.compile(r"[。；;|\d]")


def _heading_cuts(line: str) -> list[int]:
    """A shorter line is cut before each heading it holds, and after the heading's title when a body follows
    (a sentence, figures, table cells) — "一、优化主动公开目录", an item of a list, stays whole."""
    found = headings.candidates(line)
    cuts: list[int] = []
    for n, (start, end, _) in enumerate(found):
        stop = found[n + 1][0] if n + 1 < len(found) else len(line)
        cuts.append(start)
        if _BODY.search(line, end, stop):
            cuts.append(end)
    return cuts


_NUMERAL_END = re.compile(r"(?:^|\s)([一二三四五六])\s*[、.．]\s*$")


def _numerals_rejoined(lines: Sequence[str]) -> list[str]:
    """A part's heading cut by a line wrap right after its numeral ("…000000000000000 五、" / "存在的主要问题及改进情况
    （一）…"): the numeral is moved to the start of the next line when that line starts with the part's title."""
    out = list(lines)
    patterns = _heading_patterns()
    for n in range(len(out) - 1):
        found = _NUMERAL_END.search(out[n])
        if found is None:
            continue
        numeral = found.group(1)
        joined = numeral + "、" + out[n + 1].lstrip()
        if any(p.match(joined) for p in patterns):  # each pattern starts with its own numeral
            out[n] = out[n][: found.start()].rstrip()
            out[n + 1] = joined
    return out


def recover_breaks(lines: Sequence[str], fmt: str) -> list[str]:
    """The lines with breaks put back: a long line (LONG_LINE) at the format's headings and labels, a shorter one
    at the headings it holds ("发布日期：… 一、总体情况 本单位… 二、主动公开政府信息情况", a page's layout table
    converted to one Markdown line). Table rows in the flat form stay whole."""
    if fmt not in defs.FORMATS:
        return list(lines)
    out: list[str] = []
    for line in _numerals_rejoined(lines):
        kept = line
        if _is_cell_row(line):
            prose = _one_cell(line)
            if prose is None:
                out.append(line)
                continue
            line = prose
        cuts = _cuts(line, fmt) if len(line) >= LONG_LINE else _heading_cuts(line)
        if not cuts:
            out.append(kept)
            continue
        ends = sorted(set(cuts) | {0, len(line)})
        pieces = [line[a:b].strip() for a, b in itertools.pairwise(ends)]
        out.extend(p for p in pieces if p)
    return out
