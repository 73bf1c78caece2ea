"""Required contents of a pre-2019 report (2007 条例第三十二条), found by their wording.

statutory-rules.md §4: a report on 2008–2018 covers six items. The checker (checks.py) has no tables to
test for these reports, so the importer reports which items the text does not cover at all.
"""

from __future__ import annotations

import re

from gongkai.reports.checks.findings import Finding

# (item, words any of which shows the item is covered)
PRE2019_ITEMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("主动公开政府信息的情况", ("主动公开",)),
    ("依申请公开政府信息和不予公开政府信息的情况", ("依申请", "政府信息公开申请", "申请公开", "公开申请")),
    ("政府信息公开的收费及减免情况", ("收费", "减免", "费用", "收取", "复制费", "检索费")),
    ("因政府信息公开申请行政复议、提起行政诉讼的情况", ("行政复议", "行政诉讼", "复议", "诉讼")),
    ("政府信息公开工作存在的主要问题及改进情况", ("存在的问题", "存在问题", "主要问题", "不足")),
)


def missing_items(text: str) -> list[str]:
    """The 第三十二条 items the text never mentions (其他需要报告的事项 may be left out)."""
    compact = re.sub(r"\s", "", text)
    return [item for item, words in PRE2019_ITEMS if not any(word in compact for word in words)]


def pre2019_findings(text: str) -> list[Finding]:
    missing = missing_items(text)
    if not missing:
        return []
    return [
        Finding(
            "pre2019_item_missing",
            "error",
            "报告未涉及2007年条例第三十二条要求的内容：" + "；".join(missing) + "。",
            tuple(f"pre2019:{item}" for item in missing),
        )
    ]
