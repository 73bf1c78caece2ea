"""Section headings as data: the wordings reports print the six parts of 第五十条 under, and their key words.

One vocabulary for the two places that look for headings: `breaks` (cutting text whose line breaks were lost)
and `extract_sections` (finding the parts). A heading is recognised by its title, whatever its number: units
number their parts in their own order ("五、信息处理费收取情况", "七、其他需说明事项"), and the number printed is
checked against the statutory one apart (a numbering warning, never "missing").
"""

from __future__ import annotations

import re
from functools import lru_cache

from gongkai.reports import definitions as defs

from .extract_match import label_score, ratio
from .normalise import label_key

NUMERALS = "一二三四五六七八九十"

# Wordings of the statutory headings seen in published reports (besides definitions.SECTION_HEADING_VARIANTS).
WORDINGS: dict[str, tuple[str, ...]] = {
    "一": ("总体情况", "概述", "基本情况", "工作概况", "总体工作情况"),
    "二": ("主动公开政府信息情况", "主动公开情况", "政府信息主动公开情况"),
    "三": ("收到和处理政府信息公开申请情况", "收到和处理政府信息公开申请的情况", "依申请公开情况"),
    "四": (
        "政府信息公开行政复议、行政诉讼情况",
        "因政府信息公开工作被申请行政复议、提起行政诉讼情况",
        "因政府信息公开申请行政复议、提起行政诉讼的情况",
        "政府信息公开行政复议、行政诉讼的情况",
    ),
    "五": (
        "存在的主要问题及改进情况",
        "政府信息公开工作存在的主要问题及改进情况",
        "存在问题及改进情况",
        "存在的主要问题及改进措施",
        "存在问题及改进措施",
    ),
    "六": ("其他需要报告的事项", "其他需要报告的事情"),
}

# Words that name a part in any wording (checked in this order: 四's 行政复议 before 三's 申请). A title naming
# none of them is placed by its number when that part has no heading of its own.
KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("四", ("行政复议", "行政诉讼")),
    ("二", ("主动公开",)),
    ("三", ("依申请公开", "收到和处理", "公开申请")),
    ("五", ("问题", "改进", "不足", "整改")),
    ("六", ("其他需要报告", "其他需", "其他事项", "信息处理费", "其他")),
    ("一", ("总体情况", "概述", "概况", "基本情况", "总体")),
)
TITLE_ENDINGS = ("情况", "举措", "措施", "事项", "方向", "计划")  # the words a heading's title ends with


@lru_cache(maxsize=1)
def wording_keys() -> dict[str, tuple[str, ...]]:
    """Every wording of each part, as label keys (statutory first)."""
    out: dict[str, tuple[str, ...]] = {}
    for number in defs.SECTION_NUMBERS:
        statutory = [v.split("、", 1)[1] for v in defs.SECTION_HEADING_VARIANTS.get(number, ())]
        words = dict.fromkeys(label_key(w) for w in (*statutory, *WORDINGS.get(number, ())))
        out[number] = tuple(words)
    return out


@lru_cache(maxsize=1)
def _table_labels() -> tuple[str, ...]:
    """表三 row labels that begin with a numeral like a heading (一、本年新收… 四、结转下年度继续办理)."""
    labels = {
        label_key(cell.text)
        for spec in defs.FORMATS.values()
        for row in spec.table3_rows
        for cell in row.label_cells
        if cell.text[:1] in NUMERALS
    }
    return tuple(sorted(labels))


def is_table_label(numeral: str, title: str) -> bool:
    """Whether 「numeral、title」 is a 表三 row label rather than a heading."""
    key = label_key(f"{numeral}、{title}")
    return label_score(key, _table_labels()) >= 0.8 or any(
        t.startswith(key) and len(key) >= 6 for t in _table_labels()
    )


def part_of(title: str) -> tuple[str | None, bool]:
    """(the part a heading's title names, whether it is one of that part's known wordings)."""
    key = label_key(title)
    if not key:
        return None, False
    for number, wordings in wording_keys().items():
        if any(key == w or ratio(key, w) >= 0.8 or (len(key) >= 4 and w.startswith(key)) for w in wordings):
            return number, True
    for number, words in KEYWORDS:
        if any(word in key for word in words):
            return number, False
    return None, False


_CANDIDATE = re.compile(rf"(?<![（(第{NUMERALS}])([{NUMERALS}])\s*[、.．]\s*(?![是要])")
_FIRST_ITEM = re.compile(r"[（(]一[）)]|1\s*[.．、]")


def candidates(line: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
    """Headings inside a long line: (start, end of the title, part) for each 「numeral、title」 whose title names
    a part within its first 16 characters and is not a 表三 row label."""
    end = len(line) if end is None else end
    out = []
    for match in _CANDIDATE.finditer(line, start, end):
        head = line[match.end() : match.end() + 16]
        title = re.split(r"[\s。；;！!？?，,：:\d（(]", head, maxsplit=1)[0]
        if len(title) < 2 or is_table_label(match.group(1), title):
            continue
        number, exact = part_of(title)
        if number is not None:
            out.append((match.start(), match.end() + _title_end(title, number, exact), number))
        elif _FIRST_ITEM.match(head, len(title)) and match.group(1) in defs.SECTION_NUMBERS:
            # an own title followed at once by its first item ("一、年度工作核心成效（一）…"): placed by number
            out.append((match.start(), match.end() + len(title), match.group(1)))
    return out


def _title_end(title: str, number: str, exact: bool) -> int:
    """Where a heading's title ends inside the run-on text that follows it."""
    if exact:
        for wording in sorted(WORDINGS.get(number, ()), key=len, reverse=True):
            if title.startswith(wording):
                return len(wording)
    ends = [
        title.find(word) + len(word)
        for n, words in KEYWORDS
        if n == number
        for word in words
        if word in title
    ]
    key_end = min(ends, default=0)
    ending = min(
        (
            title.find(e, key_end) + len(e)
            for e in TITLE_ENDINGS
            if 0 <= title.find(e, key_end) <= key_end + 4
        ),
        default=key_end,
    )
    return ending
