"""Generated factual paragraphs for the narrative (counts by channel and outcome, overdue, 信息处理费) and text helpers."""

from __future__ import annotations

import html
import re
from typing import Any

from gongkai.applications import statistics
from gongkai.applications.vocab import Channel
from gongkai.orgs.models import Organisation

from .definitions import (
    CARRIED_IN,
    CARRIED_OUT,
    RECEIVED,
    REMEDY_GROUPS,
    RESULTS,
    RESULTS_TOTAL,
    SECTION_NUMBERS,
    TABLE3_PARTY_COLUMNS,
    TABLE4_TOTAL_COLUMN,
    CellRef,
)
from .document import ReportDocument
from .models import Scope

_TAG = re.compile(r"<[^>]+>")
_BLOCK_END = re.compile(r"</(p|li|h[1-6]|div|tr|blockquote)>|<br\s*/?>", re.IGNORECASE)
_CELL_END = re.compile(r"</t[dh]>", re.IGNORECASE)


def html_to_text(value: str) -> str:
    """Plain text of sanitised rich text (paragraph ends become newlines, a table's cells are cut by tabs)."""
    text = _BLOCK_END.sub("\n", _CELL_END.sub("\t", value or ""))
    text = html.unescape(_TAG.sub("", text))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def holds_paragraph(section_html: str, paragraph: str) -> bool:
    """Whether a section's rich text already holds ``paragraph`` (white space and markup aside): the generated
    paragraph is then not offered again, nor appended twice."""
    if not paragraph:
        return False
    squeeze = re.compile(r"\s+")
    return squeeze.sub("", paragraph) in squeeze.sub("", html_to_text(section_html))


def plain_sections(sections: dict[str, str]) -> dict[str, str]:
    return {n: html_to_text(sections.get(n, "")) for n in SECTION_NUMBERS}


def _total(doc: ReportDocument, row: str) -> int:
    return int(doc.total(row))


def application_paragraph(org: Organisation, year: int, scope: str, doc: dict[str, Any]) -> str:
    """Section 三: received, by applicant type, by channel, by outcome, overdue — all from the records (1 + 2 queries)."""
    if not doc.get("table3"):
        return ""
    tree = scope == Scope.TREE
    by_channel = statistics.received_by_channel(org, year, tree=tree)
    overdue = statistics.replied_late(org, year, tree=tree)
    document = ReportDocument(doc)
    received, carried = _total(document, RECEIVED), _total(document, CARRIED_IN)
    parts = [f"{year}年，共收到政府信息公开申请{received}件，上年结转{carried}件"]
    by_type = [(col, document.cell(CellRef("table3", RECEIVED, col))) for col in TABLE3_PARTY_COLUMNS]
    types = [f"{col}{n}件" for col, n in by_type if n]
    if types:
        parts.append("其中" + "、".join(types))
    channels = [f"{label}{by_channel[value]}件" for value, label in Channel.choices if by_channel.get(value)]
    if channels:
        parts.append("从申请渠道看，" + "、".join(channels))
    outcomes = [
        f"“{key.removeprefix(RESULTS + '/').replace('/', '：')}”{total}件"
        for key in document.rows()
        if key.startswith(RESULTS + "/") and key != RESULTS_TOTAL and (total := document.total(key))
    ]
    closed = _total(document, RESULTS_TOTAL)
    text = "，".join(parts) + "。"
    text += f"本年度办结{closed}件" + ("，其中" + "、".join(outcomes) if outcomes else "") + "。"
    text += f"结转下年度继续办理{_total(document, CARRIED_OUT)}件。"
    text += f"超过法定期限答复{overdue}件。" if overdue else "均在法定期限内答复。"
    return text


def fee_paragraph(org: Organisation, year: int, scope: str) -> str:
    """Section 六: 信息处理费 collected in ``year`` under 国办函〔2020〕109号 (§8 defect 9)."""
    count, total = statistics.fees_paid(org, year, tree=scope == Scope.TREE)
    if not count:
        return f"{year}年，未收取政府信息公开信息处理费。"
    return f"{year}年，依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）收取信息处理费{count}笔，共计{total:.2f}元。"


def remedy_paragraph(doc: dict[str, Any]) -> str:
    """Section 四: 行政复议 and 行政诉讼 totals from 表四."""
    document = ReportDocument(doc)
    review = document.get(CellRef("table4", REMEDY_GROUPS["review"], TABLE4_TOTAL_COLUMN), 0)
    suits = sum(
        document.get(CellRef("table4", REMEDY_GROUPS[kind], TABLE4_TOTAL_COLUMN), 0)
        for kind in ("suit_direct", "suit_after_review")
    )
    return f"本年度因政府信息公开工作被申请行政复议{review}件，被提起行政诉讼{suits}件。"


def generated_paragraphs(org: Organisation, year: int, scope: str, doc: dict[str, Any]) -> dict[str, str]:
    """Paragraphs the clerk may insert, per section number."""
    return {
        "三": application_paragraph(org, year, scope, doc),
        "四": remedy_paragraph(doc),
        "六": fee_paragraph(org, year, scope),
    }
