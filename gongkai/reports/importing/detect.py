"""Detection on one report's text: unit, year (masked → None), format, and whether it is a statutory report."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from gongkai.reports import definitions as defs

from .normalise import label_key

_YEAR = r"((?:19|20)\d{2}|20\d\*|201\*|20\*\*|\d{2}\*\*|[二〇零一]{4})"
_TITLE = re.compile(
    r"(?P<before>[^\s,，。:：]{0,40}?)\s*" + _YEAR + r"\s*年度?\s*(?P<after>[^\s,，。]{0,40}?)\s*"
    r"(?:政府)?(?:信息公开|政务公开)(?:工作)?(?:年度报告|年报|工作报告)"
)
_PERIOD = re.compile(r"(?:统计期限|起止时间|统计时间|期间)[^。\n]{0,12}?((?:19|20)\d{2})年1月1日")
_INDEX_NO = re.compile(r"索\s*引\s*号[\s:：|]*([0-9A-Za-z\-]{6,20})\s*/\s*(?:19|20)\d{2}")
_PUBLISHER = re.compile(r"(?:发布机构|发文机关|发布单位)[\s:：|]*([\u3400-\u9fff（）()]{2,30})")
_NOT_REPORT_TITLE = re.compile(
    r"(工作总结|工作要点|工作计划|实施方案|工作方案|通知|意见|办法|规定|制度|格式|函)$"
)
_CHINESE_YEAR = str.maketrans("〇零一二三四五六七八九", "00123456789")


@lru_cache(maxsize=1)
def _format_cues() -> dict[str, frozenset[str]]:
    """Labels that only one format has (statutory-rules §3.2): 表二 items, columns and rows, 表三 rows."""
    words: dict[str, set[str]] = {}
    for code, spec in defs.FORMATS.items():
        found: set[str] = set()
        for block in spec.table2_layout.blocks:
            found.add(block.item)
            found.update(c.label for c in block.columns)
            found.update(block.rows)
        found.update(part for r in spec.table3_rows for part in r.key.split("/"))
        words[code] = {label_key(w) for w in found if len(label_key(w)) >= 4}
    cues: dict[str, frozenset[str]] = {}
    for code, own in words.items():
        others = set().union(*(w for c, w in words.items() if c != code))
        # A cue must not occur inside the other format's labels (规范性文件 ⊂ 行政规范性文件).
        cues[code] = frozenset(w for w in own if not any(w in other for other in others))
    return cues


@dataclass
class Detected:
    """What the heading lines and the body say about the document."""

    unit: str | None
    year: int | None
    year_masked: bool
    title: str | None
    kind: str  # "annual_report" | "not_a_report"
    format: str
    unit_code: str | None
    scope: str = "unknown"


def _title_lines(lines: Sequence[str], limit: int = 40) -> list[str]:
    """Short lines near the top, adjacent short lines also joined (titles wrap over two lines)."""
    short = [line.strip() for line in lines[:limit] if 0 < len(line.strip()) <= 60 and "|" not in line]
    joined = [a + b for a, b in itertools.pairwise(short) if len(a) + len(b) <= 70]
    return short + joined


def _year_value(raw: str) -> int | None:
    if "*" in raw:
        return None
    raw = raw.translate(_CHINESE_YEAR)
    return int(raw) if raw.isdigit() and len(raw) == 4 else None


def detect_title(lines: Sequence[str]) -> tuple[str | None, str | None, int | None, bool]:
    """(title, unit, year, masked) from the title-like lines naming a 信息公开 annual report.

    The first such line gives the title and year; the unit comes from the first one that names it
    (covers print "2020年度" on one line and the unit on the next, or repeat the title with the unit).
    """
    title: str | None = None
    unit: str | None = None
    year: int | None = None
    masked = False
    for line in _title_lines(lines):
        for match in _TITLE.finditer(line):
            found_unit = _unit_of(match)
            if title is None:
                title = line
                year = _year_value(match.group(2))
                masked = year is None
            if found_unit:
                unit = found_unit
                break
        if unit:
            break
    if title is not None:
        return title, unit, year, masked
    # A body sentence such as "现公布洛江区2020年政府信息公开工作年度报告".
    for line in lines[:15]:
        body_match = _TITLE.search(line)
        if body_match:
            before = re.split(r"[,，。:：《》\s]|现公布|公布", body_match.group("before"))[-1]
            year = _year_value(body_match.group(2))
            return None, (before or body_match.group("after")).strip("的 ") or None, year, year is None
    return None, None, None, False


def _unit_of(match: re.Match[str]) -> str | None:
    before = re.sub(r"^(?:扩展阅读|附件\d*|关于|现公布|.*?[:：])", "", match.group("before"))
    return (before or match.group("after")).strip("的 ") or None


def detect_year(lines: Sequence[str], title_year: int | None, masked: bool) -> tuple[int | None, bool]:
    if title_year is not None:
        return title_year, False
    if masked:
        return None, True
    head = "\n".join(lines[:60])
    match = _PERIOD.search(head)
    if match:
        return int(match.group(1)), False
    if re.search(r"(?:19|20)\d\*年", head):
        return None, True
    counts: dict[int, int] = {}
    for year in re.findall(r"((?:19|20)\d{2})年", head):
        counts[int(year)] = counts.get(int(year), 0) + 1
    if counts:
        return max(counts, key=lambda y: counts[y]), False
    return None, False


def _cells_joined_key(text: str) -> str:
    """The label key of the text with table cell lines removed: a label a converter cut over two cells
    ("|一、本年新收政|府信息公开申请数量|") reads whole."""
    return label_key(text.replace("|", ""))


def detect_format(text: str, year: int | None) -> str:
    """pre2019 / 2019 / 2021 from the table vocabulary (statutory-rules.md §3.2); the year decides ties."""
    key = _cells_joined_key(text)
    cues = _format_cues()
    has_2019 = sum(cue in key for cue in cues["2019"])
    has_2021 = sum(cue in key for cue in cues["2021"])
    has_table3 = label_key(defs.RECEIVED) in key or label_key("本年度办理结果") in key
    if has_2021 > has_2019:
        return "2021"
    if has_2019 > has_2021:
        return "2019"
    if year is not None:
        return defs.format_for_year(year)
    if has_table3:
        return "2021"
    return defs.PRE2019


def detect_kind(lines: Sequence[str], title: str | None, text: str) -> str:
    """A statutory annual report, or another document (a 工作总结, a 工作要点, a notice)."""
    if title:
        # "关于做好2021年政府信息公开工作年度报告编制发布工作的通知" names a report but is a notice.
        return (
            "not_a_report" if _NOT_REPORT_TITLE.search(re.sub(r"[\s》」』”]", "", title)) else "annual_report"
        )
    for line in _title_lines(lines, limit=15):
        compact = re.sub(r"\s", "", line)
        if _NOT_REPORT_TITLE.search(compact) and ("公开" in compact or "政务" in compact):
            return "not_a_report"
    key = _cells_joined_key(text)
    if label_key(defs.RECEIVED) in key or "年度报告" in key:
        return "annual_report"
    return "not_a_report"


def detect(lines: Sequence[str]) -> Detected:
    """Everything detect_* finds, for one report's lines."""
    text = "\n".join(lines)
    title, unit, title_year, masked = detect_title(lines)
    year, masked = detect_year(lines, title_year, masked)
    fmt = detect_format(text, year)
    kind = detect_kind(lines, title, text)
    head = "\n".join(lines[:40])
    code_match = _INDEX_NO.search(head)
    if unit is None and (publisher := _PUBLISHER.search(head)):  # the page's metadata table names the unit
        unit = publisher.group(1)
    return Detected(
        unit=unit,
        year=year,
        year_masked=masked,
        title=title,
        kind=kind,
        format=fmt,
        unit_code=code_match.group(1) if code_match else None,
    )
