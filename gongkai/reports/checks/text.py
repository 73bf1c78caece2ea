"""Rules over the text: the six sections of 第五十条, 考核/评议/责任追究, a copied 五, numbers that contradict the tables.

``text_vs_tables`` reads claims such as "共收到政府信息公开申请9件" or "被申请行政复议二件" (Arabic or Chinese
numerals; traditional characters are folded) and compares them with the tables.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from decimal import Decimal

from gongkai.reports.definitions import (
    CARRIED_IN,
    CARRIED_OUT,
    FORMATS,
    RECEIVED,
    REMEDY_GROUPS,
    SECTION_HEADINGS,
    SECTION_NUMBERS,
    TABLE3_TOTAL_COLUMN,
    TABLE4_TOTAL_COLUMN,
    CellRef,
)
from gongkai.reports.document import ReportDocument

from .findings import Findings, number_text

# 第五十条第四项's three subjects, and the wordings reports cover each in ("纳入绩效考评", "接受群众监督", "问责").
ASSESSMENT_WORDS: dict[str, tuple[str, ...]] = {
    "考核": ("考核", "考评", "绩效评估", "测评", "评估考核"),
    "社会评议": ("评议", "社会评价", "群众评价", "满意度", "社会监督", "群众监督", "第三方评估"),
    "责任追究": ("责任追究", "追究责任", "问责", "追责"),
}


def sections(doc: ReportDocument, org_level: str | None, out: Findings) -> None:
    """Each of 一…六 is present and not empty; a government's report covers 考核、评议、责任追究 (第五十条第四项)."""
    texts = doc.sections()
    for number in SECTION_NUMBERS:
        text = texts.get(number)
        if not isinstance(text, str) or not text.strip():
            out.add(
                "section_missing", "error", f"缺少“{SECTION_HEADINGS[number]}”部分。", [f"sections:{number}"]
            )
    if org_level == "government":
        body = "".join(str(v) for v in texts.values() if isinstance(v, str))
        if not all(any(word in body for word in words) for words in ASSESSMENT_WORDS.values()):
            out.add(
                "assessment_missing",
                "warning",
                "政府年报应包括工作考核、社会评议和责任追究结果情况（第五十条第四项）。",
                ["sections:一"],
            )


def copied(doc: ReportDocument, previous: ReportDocument, out: Findings) -> None:
    """五、存在的主要问题及改进情况 at least 90 % similar to last year's (§8 defects 6 and 8)."""
    here = (doc.data.get("sections") or {}).get("五")
    there = (previous.data.get("sections") or {}).get("五")
    if isinstance(here, str) and isinstance(there, str) and here.strip() and there.strip():
        ratio = difflib.SequenceMatcher(None, _squash(here), _squash(there)).ratio()
        if ratio >= 0.9:
            out.add(
                "section_copied",
                "warning",
                f"“五、存在的主要问题及改进情况”与上年报告相似度为{ratio:.0%}，应写明上年问题的改进情况。",
                ["sections:五", "previous:sections:五"],
            )


def text_vs_tables(doc: ReportDocument, usable: dict[CellRef, Decimal], out: Findings) -> None:
    """A number the text states (_CLAIMS) must equal the table cells it names (one of its readings)."""
    texts = doc.data.get("sections")
    if not isinstance(texts, dict):
        return
    for number, raw in texts.items():
        if not isinstance(raw, str):
            continue
        text = _normalise_text(raw)
        for claim in _CLAIMS:
            for match in claim.pattern.finditer(text):
                stated = _parse_number(match.group("n"))
                if stated is None:
                    continue
                options = [list(refs) for refs in claim.totals]
                if not all(r in usable for refs in options for r in refs):
                    continue
                totals = [sum((usable[r] for r in refs), Decimal(0)) for refs in options]
                if Decimal(stated) not in totals:
                    out.add(
                        "text_table_mismatch",
                        "warning",
                        f"第{number}部分写明“{match.group(0)}”，表格中为{number_text(totals[0])}。",
                        [f"sections:{number}", *(r.key for r in options[0])],
                    )


@dataclass(frozen=True)
class _Claim:
    pattern: re.Pattern[str]
    totals: tuple[tuple[CellRef, ...], ...]  # acceptable readings of the stated number


def _t3(row: str) -> CellRef:
    return CellRef("table3", row, TABLE3_TOTAL_COLUMN)


def _t4(kind: str) -> CellRef:
    return CellRef("table4", REMEDY_GROUPS[kind], TABLE4_TOTAL_COLUMN)


_ROWS = FORMATS["2021"].outcome_rows  # 予以公开 and 部分公开 have the same row in both formats
_AND = r"(?:和|及|与|、|以及)"
_N = r"(?P<n>\d+|[零〇一二两三四五六七八九十百]+)"
_CLAIMS: tuple[_Claim, ...] = (
    _Claim(
        re.compile(
            r"(?:收到|受理|新收|接收)[^。；，,]{0,12}?政府信息公开申请(?:共计|共|合计)?"
            + _N
            + r"(?:件|个|份)"
        ),
        ((_t3(RECEIVED),), (_t3(RECEIVED), _t3(CARRIED_IN))),
    ),
    # "予以公开及部分公开208件": the number is their sum, not either's
    _Claim(
        re.compile(
            r"予以公开[”\"」』]?"
            + _AND
            + r"[“\"「『]?部分公开[”\"」』]?(?:的)?(?:共|合计|共计)?"
            + _N
            + r"件"
        ),
        ((_t3(_ROWS["1"]), _t3(_ROWS["2"])),),
    ),
    _Claim(re.compile(r"予以公开[”\"」』]?(?:的)?(?:共)?" + _N + r"件"), ((_t3(_ROWS["1"]),),)),
    _Claim(
        re.compile(
            r"(?<!公开[和及与、])(?<![和及与、][“\"「『])部分公开(?:（[^）]*）)?[”\"」』]?(?:的)?(?:共)?"
            + _N
            + r"件"
        ),
        ((_t3(_ROWS["2"]),),),
    ),
    _Claim(re.compile(r"上年结转(?:政府信息公开申请)?(?:共)?" + _N + r"件"), ((_t3(CARRIED_IN),),)),
    _Claim(re.compile(r"结转下年度(?:继续办理)?(?:共)?" + _N + r"件"), ((_t3(CARRIED_OUT),),)),
    _Claim(re.compile(r"(?:被)?申请行政复议(?:共)?" + _N + r"(?:件|起|宗)"), ((_t4("review"),),)),
    _Claim(
        re.compile(r"(?:被)?提起行政诉讼(?:共)?" + _N + r"(?:件|起|宗)"),
        ((_t4("suit_direct"), _t4("suit_after_review")),),
    ),
)

# Traditional → simplified for the few characters the claims use (imported reports are sometimes traditional).
_TRAD = str.maketrans("請開複議訟訴處總計於與結轉", "请开复议讼诉处总计于与结转")
_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


def _normalise_text(text: str) -> str:
    return re.sub(r"\s+", "", text.translate(_TRAD))


def _parse_number(token: str) -> int | None:
    """Arabic digits, or Chinese numerals up to 999 (e.g. 九, 十二, 一百零五)."""
    if token.isdigit():
        return int(token)
    total, current = 0, 0
    for ch in token:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


def _squash(text: str) -> str:
    return re.sub(r"[\s\d年]+", "", text)
