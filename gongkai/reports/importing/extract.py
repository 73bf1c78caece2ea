"""Extraction: the flat text of one report → canonical JSON (sections 一–六, 表二/表三/表四) via definitions.

Labels are matched to the format's row keys by similarity (spaces, brackets, "，" for "、", truncation and
OCR noise tolerated); values keep their meaning: blank → null, "/" stays text. When a row's digits are run
together, every split into the right number of cells is tried and the one the format's sum rules accept is
kept; more than one acceptable split is reported.

Modules, one per seam: `extract_sections` (headings 一–六), `extract_match` (labels → row keys),
`extract_fit` (values → cells, digit-run splitting), `extract_rules` (choosing by sum rules, findings),
`extract_table2` / `extract_table3` / `extract_table4`; this module cuts the cell stream into the three
tables' regions and assembles the result. Their public names stay importable from here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from gongkai.reports import definitions as defs
from gongkai.reports.checks.findings import Finding

from .breaks import recover_breaks
from .extract_fit import MAX_CELL_DIGITS, MAX_SPLIT_CANDIDATES, MAX_SPLIT_WORK, value_candidates
from .extract_match import MATCH_THRESHOLD, join_split_labels, label_score, ratio
from .extract_rowcheck import ITEM_START
from .extract_rules import Read, finding
from .extract_sections import find_parts, find_sections, heading_of, numbering_note, part_texts, section_texts
from .extract_stated import stated_figures
from .extract_table2 import read_table2
from .extract_table3 import read_table3
from .extract_table4 import read_table4
from .normalise import label_key
from .tokens import Token, tokenize

__all__ = [
    "Extraction",
    "extract",
    "table_tokens",
    "finding",
    "Read",
    "heading_of",
    "find_sections",
    "section_texts",
    "MATCH_THRESHOLD",
    "ratio",
    "MAX_CELL_DIGITS",
    "MAX_SPLIT_CANDIDATES",
    "MAX_SPLIT_WORK",
    "value_candidates",
    "read_table2",
    "read_table3",
    "read_table4",
]


@dataclass
class Extraction:
    """What was read: the canonical tables and sections, plus reading findings (``checks.Finding``)."""

    sections: dict[str, str]
    table2: dict[str, Any] | None
    table3: dict[str, Any] | None
    table4: dict[str, Any] | None
    findings: list[Finding] = field(default_factory=list)


# --------------------------------------------------------------------------- whole report


def table_tokens(lines: Sequence[str], start: int, end: int) -> list[Token]:
    return tokenize(list(lines[start:end]), start_line=start)


def extract(lines: Sequence[str], fmt: str) -> Extraction:
    """Sections and tables of one report's lines, in the format `fmt` ("2019"/"2021"/"pre2019")."""
    lines = recover_breaks(lines, fmt)
    if fmt not in defs.FORMATS:
        sections = section_texts(lines, find_sections(lines))
        return Extraction(sections=sections, table2=None, table3=None, table4=None)
    parts = find_parts(lines)
    sections = part_texts(lines, parts)
    findings: list[Finding] = []
    note = numbering_note(parts)
    if note is not None:
        findings.append(finding("import_section_numbering", "warning", *note))
    tokens = join_split_labels(tokenize(list(lines)), fmt)
    doc: dict[str, Any] = {"table2": None, "table3": None, "table4": None}
    # 表三 first: its row labels bound the other two tables.
    t3_tokens, t2_tokens, t4_tokens = _regions(tokens, fmt)
    findings += read_table2(t2_tokens, fmt, doc, stated_figures(sections.get("一", ""), fmt))
    findings += read_table3(t3_tokens, fmt, doc)
    findings += read_table4(t4_tokens, fmt, doc)
    return Extraction(sections, doc["table2"], doc["table3"], doc["table4"], findings)


@lru_cache(maxsize=1)
def _table3_header_keys() -> frozenset[str]:
    """The first header cells of 表三 (the identity note, 申请人情况, 自然人), as label keys."""
    first_rows = defs.TABLE3_HEADER[:2]
    return frozenset(label_key(cell.text) for row in first_rows for cell in row[:2])


@lru_cache(maxsize=1)
def _table3_header_text() -> str:
    """Every header cell of 表三 as one label key: a piece of a header cell is a substring of it."""
    return "|".join(label_key(cell.text) for row in defs.TABLE3_HEADER for cell in row)


def _regions(tokens: Sequence[Token], fmt: str) -> tuple[list[Token], list[Token], list[Token]]:
    """Cut the stream into the parts holding 表二, 表三 and 表四 by their anchor labels."""
    received = label_key(defs.RECEIVED)
    carried_out = label_key(defs.CARRIED_OUT)
    t3_start = next(
        (
            i
            for i, t in enumerate(tokens)
            if not t.is_value and label_score(label_key(t.text), (received,)) >= 0.8
        ),
        None,
    )
    if t3_start is None:  # an excerpt or a PDF page without the first rows: look for rows anywhere
        return list(tokens), list(tokens), list(tokens)
    # Back up over the header cells (申请人情况 / 自然人 …) so they stay out of 表二.
    header_start = t3_start
    for i in range(t3_start - 1, max(-1, t3_start - 40), -1):
        if label_key(tokens[i].text) in _table3_header_keys():
            header_start = i
    t3_end = next(
        (
            i + 1
            for i in range(t3_start, len(tokens))
            if not tokens[i].is_value and label_score(label_key(tokens[i].text), (carried_out,)) >= 0.8
        ),
        len(tokens),
    )
    # The values of 四、结转下年度继续办理 follow its label — maybe after a header row of placeholders and the
    # label again (a Markdown table per row): a few label cells are passed over, not 表四's own.
    # A repeated header of 表三 broken over lines ("商业企" / "业" …: pdfminer) is passed over whatever its length.
    ahead, passed = t3_end, 0
    while ahead < len(tokens) and passed < 12 and not tokens[ahead].is_value:
        key = label_key(tokens[ahead].text)
        if key.startswith(label_key(defs.TABLE4.groups[0])):
            break
        passed += 0 if key and key in _table3_header_text() else 1
        ahead += 1
    if ahead < len(tokens) and tokens[ahead].is_value:
        t3_end = ahead
    while t3_end < len(tokens) and tokens[t3_end].is_value:
        t3_end += 1
    # the table's total column read apart after its last row ("总计" and its figures: extract_totals) is 表三's
    total = label_key(defs.FORMATS[fmt].table3_columns[-1])
    if t3_end + 1 < len(tokens) and label_key(tokens[t3_end].text) == total and tokens[t3_end + 1].is_value:
        t3_end += 1
        while t3_end < len(tokens) and tokens[t3_end].is_value:
            t3_end += 1
    # a chart's caption printed among the last rows' columns (pdfminer: "… 0 0 办理结果（件） 0 0 …") does not end
    # the table: a run of figures after one caption that is no heading nor item, at least a row wide, is 表三's
    width = len(defs.FORMATS[fmt].table3_columns)
    run = t3_end + 1
    while run < len(tokens) and tokens[run].is_value:
        run += 1
    if (
        t3_end
        and tokens[t3_end - 1].is_value
        and run - t3_end - 1 >= width
        and not heading_of(tokens[t3_end].text, strict=False)
        and not ITEM_START.match(label_key(tokens[t3_end].text))
        and not label_key(tokens[t3_end].text).startswith(label_key(defs.TABLE4.groups[0]))
    ):
        t3_end = run
    return list(tokens[header_start:t3_end]), list(tokens[:header_start]), list(tokens[t3_end:])
