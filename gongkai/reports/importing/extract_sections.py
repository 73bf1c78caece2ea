"""Extraction, sections: the six numbered headings (一–六) of a report and the text under each."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from gongkai.reports import definitions as defs

from .extract_match import ratio
from .normalise import label_key

_NUMERALS = "一二三四五六七八九十"
_HEADING = re.compile(r"^\s*([一二三四五六七八九十])\s*[、.．,，:：\s]?\s*(\S.{0,40}?)\s*$")
_SENTENCE = re.compile(r"[。；;！!？?]")


@lru_cache(maxsize=1)
def _heading_keys() -> dict[str, list[str]]:
    keys: dict[str, list[str]] = {}
    for number, variants in defs.SECTION_HEADING_VARIANTS.items():
        keys[number] = [label_key(v.split("、", 1)[1]) for v in variants]
    # Common wordings of the same headings in published reports.
    extra = {
        "一": ["概述", "总体情况", "基本情况"],
        "二": ["主动公开政府信息情况", "主动公开情况", "政府信息主动公开情况"],
        "三": ["收到和处理政府信息公开申请情况", "收到和处理政府信息公开申请的情况", "依申请公开情况"],
        "四": ["政府信息公开行政复议、行政诉讼情况", "因政府信息公开工作被申请行政复议、提起行政诉讼情况"],
        "五": ["存在的主要问题及改进情况", "存在的主要问题及改进措施", "存在问题及改进措施"],
        "六": ["其他需要报告的事项", "其他需要报告的事情"],
    }
    for number, words in extra.items():
        keys[number].extend(label_key(w) for w in words)
    return keys


def heading_of(line: str, *, strict: bool) -> tuple[str, str] | None:
    """(numeral, title) when the line is a section heading; strict = one of the six statutory headings."""
    if "|" in line or len(line) > 48:
        return None
    match = _HEADING.match(line)
    if not match:
        return None
    number, title = match.group(1), match.group(2)
    if _SENTENCE.search(title) or title[:1] in "、.．是〇零一二三四五六七八九十年要":
        return None
    if strict:
        if number not in _heading_keys():
            return None
        key = label_key(title)
        best = max(ratio(key, k) for k in _heading_keys()[number])
        if best < 0.7 and not any(key.startswith(k) or k.startswith(key) for k in _heading_keys()[number]):
            return None
    elif len(title) > 30 or re.search(r"\d{3,}", title):
        return None
    return number, title


def find_sections(lines: Sequence[str], *, strict_only: bool = False) -> list[tuple[str, int]]:
    """(numeral, line index) of the section headings, in document order, numbers increasing.

    The 表三 row labels 一、本年新收… also start with a numeral; they are cells (`|`) or not headings of
    the statutory list, and a heading must come after the previous one's number.
    """
    found: list[tuple[str, int]] = []
    best: list[tuple[str, int]] = []
    for strict in (True,) if strict_only else (True, False):
        found, last = [], 0
        for i, line in enumerate(lines):
            hit = heading_of(line, strict=strict)
            if not hit:
                continue
            position = _NUMERALS.index(hit[0]) + 1
            if position > last:
                found.append((hit[0], i))
                last = position
        if len(found) > len(best):
            best = found
    return best


def section_texts(lines: Sequence[str], headings: list[tuple[str, int]]) -> dict[str, str]:
    """Text under each heading (without table cells) for the six numbered sections."""
    sections: dict[str, str] = {}
    for n, (number, start) in enumerate(headings):
        end = headings[n + 1][1] if n + 1 < len(headings) else len(lines)
        if number not in defs.SECTION_NUMBERS:
            continue
        body = [line.strip() for line in lines[start + 1 : end] if line.strip()]
        prose = [line for line in body if "|" not in line]
        # A section that is only a table keeps the table's flat cells as its text.
        sections[number] = "\n".join(prose or body)
    return sections
