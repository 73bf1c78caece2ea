"""Cell tokens: the flat text of a report → a stream of label and value cells, plus cell-value parsing."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# A value cell: a count, a signed change, an amount (optionally with its unit), a dash or slash, 无, or blank.
_NUMBER = r"[-+−]?\d[\d,]*(?:\.\d+)?"
UNITS = r"(?:万元|亿元|元|件|个|条|项|次|人次|笔|宗|起|份|%)"
VALUE_RE = re.compile(rf"(?:(?:增加|减少|增|减)?{_NUMBER}{UNITS}?|[/／\\]|[—–\-－─]{{1,2}}|无|)")
# Figures run together at the end of a label ("行政许可20+1737", "政府集中采购156805947.43元"): a sign starts a
# new figure (本年增/减), a unit ends one.
_CURRENCY = re.compile(r"万元|亿元|元")
_FIGURE = re.compile(rf"[-+−]?\d[\d,]*(?:\.\d+)?{UNITS}?")
# Converters and copy-paste leave a "?" or U+FFFD before a figure ("? 0"): the figure is the cell.
_NOISE_PREFIX = re.compile(r"^[?？\ufffd]+\s*(?=\S)")
_CHANGE = re.compile(r"(增加|减少|增|减)\s*(\d[\d,]*)")
_COUNT_UNIT = re.compile(r"([-+−]?\d[\d,]*)\s*(?:件|个|条|项|次|人次)")
_WIDE_THOUSANDS = re.compile(r"(?<=\d)，(?=\d{3}(?!\d))")
_PLAIN_INT = re.compile(r"[-+−]?\d{1,3}(?:,\d{3})+|[-+−]?\d+")
_PLAIN_DEC = re.compile(r"[-+−]?\d[\d,]*\.\d+")
_TRAILING_DIGITS = re.compile(rf"^(.*[^\d\s.,+\-−])((?:[-+−]?\d[\d,]*(?:\.\d+)?{UNITS}?)+)$")
# A Markdown table's header separator ("| --- | :---: |") is no row of the table.
_MD_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
# Column names a converter makes up for a header cell the table left empty: "数据1…数据6", PyMuPDF's "Col2",
# "Column 3", pandas' "Unnamed: 0", "列1", "字段1" — no label of the table.
PLACEHOLDER = re.compile(
    r"(?:(?:数据|列|字段|col(?:umn)?|unnamed|field)[\s:：_-]*\d{1,2}\s*)+", re.IGNORECASE
)


def is_placeholder(text: str) -> bool:
    return PLACEHOLDER.fullmatch(text.strip()) is not None


def is_md_rule(line: str) -> bool:
    return _MD_RULE.match(line.strip()) is not None


@dataclass(frozen=True)
class Token:
    """One cell of the stream: its text, the line it came from, whether it is a value (number/dash/blank)."""

    text: str
    line: int
    is_value: bool


def is_value(text: str) -> bool:
    return VALUE_RE.fullmatch(text.strip()) is not None


def parse_value(text: str) -> Any:
    """A cell's JSON value: None for blank, int/float for a bare number, otherwise the text ("/", "101.5元")."""
    text = text.strip()
    if not text:
        return None
    compact = text.replace("−", "-")
    change = _CHANGE.fullmatch(compact)
    if change:  # 本年增/减 written as 增5 / 减3
        amount = int(change.group(2).replace(",", ""))
        return -amount if change.group(1).startswith("减") else amount
    if _PLAIN_INT.fullmatch(compact):
        return int(compact.replace(",", ""))
    if _PLAIN_DEC.fullmatch(compact):
        return float(compact.replace(",", ""))
    counted = _COUNT_UNIT.fullmatch(compact)
    if counted:  # "12件": a count with its unit is the count (amounts in 元 keep their text, report-json.md)
        return int(counted.group(1).replace(",", "").replace("−", "-"))
    return text


def _amounts_joined(words: list[str]) -> list[str]:
    """An amount's currency unit printed apart from it ("922533.2 元": a converter spacing a cell's runs) joins it,
    as the cell "922533.2元" reads (an amount keeps its unit, report-json.md)."""
    out: list[str] = []
    for word in words:
        if out and _CURRENCY.fullmatch(word) and re.fullmatch(_NUMBER, out[-1]):
            out[-1] += word
        else:
            out.append(word)
    return out


def _figures(cell: str) -> bool:
    """A cell of figures only: one, or several to a cell ("71 3": markitdown writes each printed line of a PDF as
    its own Markdown table, with the figures of neighbouring columns in one cell) — no label."""
    return is_value(cell) or all(is_value(w) for w in cell.split())


def _split_run(text: str, line: int, out: list[Token], *, header: bool = False) -> None:
    """A cell or line without separators: words that are values stay apart; other words form one label.

    In a header row (``header``) nothing is cut off a label: "数据1" is a placeholder column name, not a label
    with a figure glued to it."""
    words = _amounts_joined(text.split())
    if not words:
        return
    if header and _figures(text):
        # a row of figures above a Markdown rule (markitdown writes each printed line of a PDF as its own table,
        # several figures to a cell: "| 71 3 | 0 0 |") is no header: its figures are values
        out.extend(Token(w, line, True) for w in words)
        return
    tail: list[str] = []
    while words and is_value(words[-1]) and not header:
        tail.append(words.pop())
    if words and not header:
        # "（七）总计7000029": a label with digits glued to its end.
        match = _TRAILING_DIGITS.match(words[-1])
        if match and re.search(r"[\u3400-\u9fff“”\"）)]", match.group(1)[-1]):
            words[-1] = match.group(1)
            tail.extend(reversed(_FIGURE.findall(match.group(2))))
    if words:
        label = words[0]
        for word in words[1:]:
            # Join CJK words without a space (labels lose their internal spaces); keep latin spacing.
            sep = (
                ""
                if re.match(r"[\u3400-\u9fff（(“]", word) or re.search(r"[\u3400-\u9fff）)”]$", label)
                else " "
            )
            label += sep + word
        out.append(Token(label, line, False))
    out.extend(Token(value, line, True) for value in reversed(tail))


_CAPTION = re.compile(r"^(表[一二三四五六七八九][：:、.．]?\s*\S*?情况)\s+(\S.*)$")


def _merged_spans(
    cells: list[str], spans: list[tuple[int, int]], header: bool, heads: list[list[str]]
) -> list[tuple[int, int]]:
    """Merged cells as converters write them, in place (``cells`` is changed): a header row (labels only: the
    Markdown header, or three labels or more) loses its empty cells (the rest of a merged cell left blank) and its
    placeholder names ("Col3"), and its runs of one label repeated over columns are remembered; in the rows below,
    the cells under such a run that repeat one figure, or leave all but the first empty, are that one figure (a
    merged value cell). A run that an earlier header row of the table (``heads``, which this row joins) splits into
    columns of their own is no merged cell: a converter filling the cell below a merged one copies its left
    neighbour ("其他 | 其他" under "… | 总计"), and the figures under it are two columns. Returns the runs for the
    next row."""
    raw = ["" if is_placeholder(c) else c.strip() for c in cells]
    labels = [c for c in raw if c and not is_value(c)]
    if len(labels) == len([c for c in raw if c]) and labels and (header or len(labels) >= 3):
        runs, start = [], 0
        for n in range(1, len(raw) + 1):
            if n == len(raw) or not raw[n] or raw[n] != raw[start]:
                if n - start > 1 and raw[start] and not _split_above(heads, start, n):
                    runs.append((start, n))
                start = n
        heads.append(raw)
        cells[:] = [c for c, r in zip(cells, raw, strict=True) if r]
        return runs
    for start, end in reversed(spans):
        run = raw[start:end]
        if end <= len(raw) and is_value(run[0]) and all(v in (run[0], "") for v in run[1:]):
            del cells[start + 1 : end]
    return spans


def _split_above(heads: list[list[str]], start: int, end: int) -> bool:
    """Whether a header row above gives the columns start…end-1 headers of their own (two different labels)."""
    return any(len({c for c in row[start:end] if c}) > 1 for row in heads)


def _markdown_rows(lines: list[str]) -> set[int]:
    """The rows of Markdown pipe tables (positions in ``lines``): runs of lines opening with "|" that hold a header
    rule ("|---|---|"). Their first "|" is the table's left border whatever the first cell holds, so "||0|0|" is a
    blank cell and two figures (PyMuPDF writes "|" with no space), not two blank cells."""
    rows: set[int] = set()
    run: list[int] = []
    ruled = False
    for n, line in enumerate([*lines, ""]):
        text = line.strip()
        if text.startswith("|"):
            run.append(n)
            ruled = ruled or is_md_rule(text)
            continue
        if ruled:
            rows.update(run)
        run, ruled = [], False
    return rows


def _placeholders_joined(tokens: list[Token]) -> list[Token]:
    """A placeholder column name cut from its number by a PDF's text layer ("数据" / "1", "数" / "据" / "2" — a
    Markdown conversion's header 数据1…数据6 printed and read back) is one label, not a figure after a label."""
    out: list[Token] = []
    for token in tokens:
        text = token.text.strip()
        if token.is_value and len(text) == 1 and text in "123456789" and out and not out[-1].is_value:
            last = out[-1].text.strip()
            split = (
                last == "据" and len(out) > 1 and not out[-2].is_value and out[-2].text.strip().endswith("数")
            )
            if last.endswith("数据") or split:
                line = out.pop().line
                if split:
                    out.pop()
                out.append(Token(f"数据{text}", line, False))
                continue
        out.append(token)
    return out


def _row_cells(cells: list[str], line: int, out: list[Token], header: bool) -> None:
    """The tokens of one table row's cells. With several figures to a cell the cells are no columns, so an empty
    one is no blank figure."""
    packed = any(c.strip() and not is_value(c) and _figures(c) for c in cells)
    for cell in cells:
        cell = _WIDE_THOUSANDS.sub(",", _NOISE_PREFIX.sub("", cell.strip()))
        if not cell:
            if not packed:
                out.append(Token("", line, True))
        elif is_value(cell):
            out.append(Token(cell, line, True))
        else:
            _split_run(cell, line, out, header=header)


def tokenize(lines: list[str], start_line: int = 0) -> list[Token]:
    """Cells of every line: `a | b |` gives two cells, `|` one blank cell, other lines are split into runs."""
    out: list[Token] = []
    spans: list[tuple[int, int]] = []
    heads: list[list[str]] = []  # the header rows of the table being read (reset after it)
    bordered = _markdown_rows(lines)
    for i, line in enumerate(lines, start=start_line):
        if _MD_RULE.match(line.strip()):
            continue
        # A Markdown table's header row (the row above its "| --- |" rule): column names, or placeholders
        # ("类别 | 数据1 | … | 总计") some converters write when the source table had no header of its own.
        header = i - start_line + 1 < len(lines) and bool(_MD_RULE.match(lines[i - start_line + 1].strip()))
        if "|" in line:
            stripped = line.strip()
            border = i - start_line in bordered or re.match(r"^\|\s*[^|\s]", stripped)
            if border and stripped.startswith("|") and stripped.endswith("|"):
                stripped = stripped[1:]  # Markdown: "| a | b |" is the row "a | b |"
            cells = stripped.replace("\\|", "｜").split("|")  # an escaped pipe is text
            if not cells[-1].strip():
                cells.pop()
            if header:
                heads = []  # a Markdown header row starts a table
                if not any(c.strip() and not is_placeholder(c) for c in cells):
                    spans = []  # an empty or made-up header (markdownify's "|  |  |", "|Col1|Col2|"): no row
                    continue
            spans = _merged_spans(cells, spans, header, heads)
            if not cells:
                continue
            # A table's caption converted into its first cell ("表四：政府信息公开行政复议、行政诉讼情况 行政复议"):
            # the caption apart from the header it stands before.
            if caption := _CAPTION.match(cells[0].strip()):
                cells[:1] = [caption.group(1), caption.group(2)]
            # A merged label cell repeated over the columns it spans (converters copy it into each):
            # one label, not a label read twice.
            cells = [
                c for n, c in enumerate(cells) if n == 0 or _figures(c) or c.strip() != cells[n - 1].strip()
            ]
            # "| | 2.其他法律…禁止公开 | …": empty cells before the first label stand under merged label
            # cells (rowspan), they are not blank figures of the row above.
            first_label = next((n for n, c in enumerate(cells) if c.strip() and not _figures(c)), None)
            if first_label:
                cells = cells[first_label:]
            _row_cells(cells, i, out, header)
            continue
        spans, heads = [], []  # a line outside a table ends its merged columns
        if caption := _CAPTION.match(line.strip()):
            _split_run(caption.group(1), i, out)
            _split_run(_WIDE_THOUSANDS.sub(",", caption.group(2)), i, out)
        else:
            _split_run(_WIDE_THOUSANDS.sub(",", line.strip()), i, out)
    return _placeholders_joined(out) if any("据" in line for line in lines) else out
