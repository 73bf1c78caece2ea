"""Splitting a file that holds several reports (e.g. a page that appends "扩展阅读" with another report)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .extract import ratio
from .normalise import label_key

_FIRST_HEADING = re.compile(r"^\s*一\s*[、.．,，:：\s]?\s*(\S{2,12})\s*$")
_OPENING_TITLES = [
    label_key(t) for t in ("概述", "总体情况", "基本情况", "基本做法", "工作概述", "概况", "总体概述")
]
_REPORT_TITLE = re.compile(r"(年度报告|年报)")
LOOKBACK = 40


def _is_opening(line: str) -> bool:
    if "|" in line:
        return False
    match = _FIRST_HEADING.match(line)
    if not match:
        return False
    key = label_key(match.group(1))
    return any(key.startswith(t) or ratio(key, t) >= 0.75 for t in _OPENING_TITLES)


def split_reports(lines: Sequence[str]) -> list[int]:
    """Line indexes where each report starts (always [0, ...]).

    A new report starts where the section numbering restarts at 一（概述/总体情况…） and a report title
    (…年度报告) stands between the previous report's opening and the restart; the cut is made at the first
    such title line, so the title and cover lines belong to the new report.
    """
    openings = [i for i, line in enumerate(lines) if _is_opening(line)]
    starts = [0]
    previous = openings[0] if openings else 0
    for opening in openings[1:]:
        window_start = max(previous + 1, opening - LOOKBACK)
        titles = [
            i
            for i in range(window_start, opening)
            if len(lines[i].strip()) <= 60 and "|" not in lines[i] and _REPORT_TITLE.search(lines[i])
        ]
        if titles:
            starts.append(titles[0])
            previous = opening
    return starts
