"""Extraction, sections: the six parts of 第五十条 (一–六) of a report and the text under each.

A heading is a short line 「numeral、title」. In the 2019/2021 formats each heading is placed by its title
(`headings.part_of`: the statutory wordings, then key words), whatever number the unit printed; a heading whose
title names no part takes the part of its number when that part has no heading of its own, and otherwise its
text joins the part above it ("五、当前存在的突出问题" / "六、下一步改进举措" are both part 五). Of the
candidate lines, the chain in document order whose printed numbers increase and whose titles name the most parts
is kept, so the sub-items of a part ("一、…" inside 五) and the 表三 row labels (一、本年新收…) are not headings.
A part printed under another number is reported (`import_section_numbering`, warning), never "missing".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from gongkai.reports import definitions as defs

from .extract_match import ratio
from .headings import NUMERALS, is_table_label, part_of, wording_keys
from .normalise import label_key

_HEADING = re.compile(r"^\s*([一二三四五六七八九十])\s*([、.．,，:：\s]?)\s*(\S.{0,40}?)\s*$")
_SENTENCE = re.compile(r"[。；;！!？?]")


@dataclass(frozen=True)
class Heading:
    """A heading line: the numeral printed, the part (一–六) it opens, its line and title."""

    numeral: str
    part: str | None
    line: int
    title: str
    exact: bool = False


def heading_of(line: str, *, strict: bool) -> tuple[str, str] | None:
    """(numeral, title) when the line is a section heading; strict = the numeral's own statutory heading. A row of
    one cell ("三、收到和处理政府信息公开申请情况 |": a heading a PDF's table finder took into the table below it)
    is read as its cell."""
    if "|" in line:
        body = line.rstrip()
        line = body[:-1].rstrip() if body.endswith("|") else body
        if "|" in line:
            return None
    if len(line) > 48:
        return None
    match = _HEADING.match(line)
    if not match:
        return None
    number, separator, title = match.groups()
    if _SENTENCE.search(title) or title[:1] in "、.．是〇零一二三四五六七八九十要" + (
        "" if separator else "年"
    ):
        return None
    if strict:
        keys = wording_keys().get(number)
        if not keys:
            return None
        key = label_key(title)
        best = max(ratio(key, k) for k in keys)
        if best < 0.7 and not any(key.startswith(k) or k.startswith(key) for k in keys):
            return None
    elif len(title) > 30 or re.search(r"\d{3,}", title):
        return None
    return number, title


def find_sections(lines: Sequence[str], *, strict_only: bool = False) -> list[tuple[str, int]]:
    """(numeral, line index) of the numbered headings in document order, numbers increasing (pre-2019 reports,
    whose parts follow their own list; the formats' parts are found by `find_parts`)."""
    best: list[tuple[str, int]] = []
    for strict in (True,) if strict_only else (True, False):
        found: list[tuple[str, int]] = []
        last = 0
        for i, line in enumerate(lines):
            hit = heading_of(line, strict=strict)
            if not hit:
                continue
            position = NUMERALS.index(hit[0]) + 1
            if position > last:
                found.append((hit[0], i))
                last = position
        if len(found) > len(best):
            best = found
    return best


def find_parts(lines: Sequence[str]) -> list[Heading]:
    """The headings of the six parts (2019/2021 formats), each placed by its title (see the module)."""
    found: list[Heading] = []
    for i, line in enumerate(lines):
        hit = heading_of(line, strict=False)
        if hit is None or is_table_label(*hit):
            continue
        part, exact = part_of(hit[1])
        found.append(Heading(hit[0], part, i, hit[1], exact))
    chain = _best_chain(found)
    claimed = {h.part for h in chain if h.part}
    placed: list[Heading] = []
    for h in chain:
        part = h.part
        if part is None and h.numeral in defs.SECTION_NUMBERS and h.numeral not in claimed:
            part = h.numeral  # an own title under the part's own number ("一、年度工作核心成效")
            claimed.add(part)
        placed.append(Heading(h.numeral, part, h.line, h.title, h.exact))
    return _lost_problems_heading(lines, placed)


# The first sub-heading of 五 (“（一）2024年工作中存在问题的改进情况”, “（一）存在的主要问题”), alone on its line
# or with the part's first sentence run on after a space (text taken from a PDF joins a heading to its paragraph)
_PROBLEMS = re.compile(
    r"^\s*[（(]\s*[一二]\s*[)）]\s*(\S.{0,30}?(?:存在.{0,8}问题|改进情况).{0,12}?)(?:\s|$)"
)


def _lost_problems_heading(lines: Sequence[str], placed: list[Heading]) -> list[Heading]:
    """A 五 whose heading line a converter dropped: its first sub-heading (（一）…存在…问题 / …改进情况) under
    四 (or under 三 or 二 when their headings were lost too: the tables' parts, with no sub-headings of their own),
    opens part 五 (numeral "": reported by ``numbering_note``), never "missing"."""
    parts = [h.part for h in placed]
    before = [p for p in ("四", "三", "二") if p in parts]  # the tables' parts: no sub-heading of their own
    # under 四 (or 三, 二); when no table part's heading stands on a line of its own (each run on into its
    # table), under the last part placed before the tables, after the tables' last words
    at = (
        parts.index(before[0])
        if before
        else max((n for n, h in enumerate(placed) if h.part in ("一", None)), default=-1)
    )
    if "五" in parts or at < 0:
        return placed
    end = placed[at + 1].line if at + 1 < len(placed) else len(lines)
    start = placed[at].line + 1
    if not before:
        last = [i for i in range(placed[at].line, end) if _TABLES_END.search(label_key(lines[i]))]
        if not last:
            return placed
        start = last[-1] + 1
    for i in range(start, end):
        if match := _PROBLEMS.match(lines[i]):
            return [*placed[: at + 1], Heading("", "五", i, match.group(1)), *placed[at + 1 :]]
    return placed


# words of 表四, the last table (its groups, its column words): part 五 comes after them
_TABLES_END = re.compile(r"复议后起诉|未经复议直接起诉|行政诉讼|尚未审结")


def _best_chain(found: list[Heading]) -> list[Heading]:
    """The subsequence with increasing printed numerals whose titles name the most parts (weighted)."""
    if not found:
        return []
    weight = [3 if h.exact else 2 if h.part else 1 for h in found]
    best = list(weight)
    back = [-1] * len(found)
    for j, h in enumerate(found):
        for i in range(j):
            if NUMERALS.index(found[i].numeral) < NUMERALS.index(h.numeral) and best[i] + weight[j] > best[j]:
                best[j], back[j] = best[i] + weight[j], i
    end = max(range(len(found)), key=lambda n: best[n])
    chain = []
    while end >= 0:
        chain.append(found[end])
        end = back[end]
    return chain[::-1]


def section_texts(lines: Sequence[str], headings: list[tuple[str, int]]) -> dict[str, str]:
    """Text under each heading (without table cells) for the six numbered sections."""
    return part_texts(lines, [Heading(n, n, i, "") for n, i in headings])


def part_texts(lines: Sequence[str], headings: Sequence[Heading]) -> dict[str, str]:
    """Text under each part's headings (a part with two headings gets both texts; a heading with nothing under
    it gives ""). Table cells are left out unless the part holds nothing else."""
    sections: dict[str, str] = {}
    current: str | None = None
    for n, h in enumerate(headings):
        end = headings[n + 1].line if n + 1 < len(headings) else len(lines)
        part = h.part if h.part in defs.SECTION_NUMBERS else current  # an extra heading joins the part above
        if part is None:
            continue
        current = part
        # a part found at its first sub-heading (no heading line of its own) starts with that sub-heading's line
        first = h.line if h.numeral == "" else h.line + 1
        body = [line.strip() for line in lines[first:end] if line.strip()]
        prose = [line for line in body if "|" not in line]
        # A section that is only a table keeps the table's flat cells as its text.
        text = "\n".join(prose or body)
        sections[part] = "\n".join(t for t in (sections.get(part, ""), text) if t)
    return sections


def numbering_note(headings: Sequence[Heading]) -> tuple[str, list[str]] | None:
    """A message naming the parts printed under another number or split over several headings, and their keys."""
    by_part: dict[str, list[Heading]] = {}
    for h in headings:
        if h.part in defs.SECTION_NUMBERS:
            by_part.setdefault(h.part, []).append(h)
    odd = {p: hs for p, hs in by_part.items() if len(hs) > 1 or hs[0].numeral != p}
    if not odd:
        return None
    parts = []
    for part in defs.SECTION_NUMBERS:
        if part in odd:
            if [h.numeral for h in odd[part]] == [""]:
                lost = odd[part][0].title
                parts.append(f"第{part}部分“{defs.SECTION_HEADINGS[part]}”未印标题，已从“{lost}”起识别")
                continue
            printed = "、".join(f"“{h.numeral}、{h.title}”" for h in odd[part])
            parts.append(f"第{part}部分“{defs.SECTION_HEADINGS[part]}”印为{printed}")
    message = "正文各部分的编号或标题与格式不同，已按标题和内容识别：" + "；".join(parts) + "。"
    return message, [f"sections:{p}" for p in defs.SECTION_NUMBERS if p in odd]
