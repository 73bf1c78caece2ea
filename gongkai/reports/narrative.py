"""Generated factual paragraphs for the narrative (counts by channel and outcome, overdue, 信息处理费) and text helpers."""

from __future__ import annotations

import html
import re
from typing import Any

from gongkai.applications import statistics
from gongkai.applications.vocab import Channel
from gongkai.orgs.models import Organisation

from .definitions import RECEIVED, RESULTS, RESULTS_TOTAL, SECTION_NUMBERS, TABLE3_COLUMNS
from .models import Scope

_TAG = re.compile(r"<[^>]+>")
_BLOCK_END = re.compile(r"</(p|li|h[1-6]|div|tr|blockquote)>|<br\s*/?>", re.IGNORECASE)


def html_to_text(value: str) -> str:
    """Plain text of sanitised rich text (paragraph ends become newlines)."""
    text = _BLOCK_END.sub("\n", value or "")
    text = html.unescape(_TAG.sub("", text))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def plain_sections(sections: dict[str, str]) -> dict[str, str]:
    return {n: html_to_text(sections.get(n, "")) for n in SECTION_NUMBERS}


def _total(doc: dict[str, Any], row: str) -> int:
    return int(doc["table3"]["rows"][row][-1])


def application_paragraph(org: Organisation, year: int, scope: str, doc: dict[str, Any]) -> str:
    """Section 三: received, by applicant type, by channel, by outcome, overdue — all from the records (1 + 2 queries)."""
    if not doc.get("table3"):
        return ""
    tree = scope == Scope.TREE
    by_channel = statistics.received_by_channel(org, year, tree=tree)
    overdue = statistics.replied_late(org, year, tree=tree)
    rows = doc["table3"]["rows"]
    received, carried = _total(doc, RECEIVED), int(rows["二、上年结转政府信息公开申请数量"][-1])
    parts = [f"{year}年，共收到政府信息公开申请{received}件，上年结转{carried}件"]
    types = [f"{col}{rows[RECEIVED][i]}件" for i, col in enumerate(TABLE3_COLUMNS[:-1]) if rows[RECEIVED][i]]
    if types:
        parts.append("其中" + "、".join(types))
    channels = [f"{label}{by_channel[value]}件" for value, label in Channel.choices if by_channel.get(value)]
    if channels:
        parts.append("从申请渠道看，" + "、".join(channels))
    outcomes = [
        f"“{key.removeprefix(RESULTS + '/').replace('/', '：')}”{values[-1]}件"
        for key, values in rows.items()
        if key.startswith(RESULTS + "/") and key != RESULTS_TOTAL and values[-1]
    ]
    closed = _total(doc, RESULTS_TOTAL)
    text = "，".join(parts) + "。"
    text += f"本年度办结{closed}件" + ("，其中" + "、".join(outcomes) if outcomes else "") + "。"
    text += f"结转下年度继续办理{int(rows['四、结转下年度继续办理'][-1])}件。"
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
    t4 = doc.get("table4") or {}
    review = t4.get("行政复议", {}).get("总计", 0)
    suits = sum(t4.get(g, {}).get("总计", 0) for g in ("行政诉讼/未经复议直接起诉", "行政诉讼/复议后起诉"))
    return f"本年度因政府信息公开工作被申请行政复议{review}件，被提起行政诉讼{suits}件。"


def generated_paragraphs(org: Organisation, year: int, scope: str, doc: dict[str, Any]) -> dict[str, str]:
    """Paragraphs the clerk may insert, per section number."""
    return {
        "三": application_paragraph(org, year, scope, doc),
        "四": remedy_paragraph(doc),
        "六": fee_paragraph(org, year, scope),
    }
