"""A table or part that is in the report but was not read is not "missing" (issue #16, severity a reviewer can act
on).

The check engine sees only the document: a table the importer could not read is null, a part whose heading it
could not find has no text, and both read as errors — 「缺少表二。」, 「缺少“三、…”部分。」 — which blame the report for
the importer's failure. Text converted from a PDF or a garbled Markdown file shows why: the table's own row labels
and column headings are there, its figures scattered beyond reading; a part's heading runs on inside a line, so
it never stands as a heading although its table was read.

Here such an error becomes a warning that says what was seen:
- ``section_empty``: the part's heading is there with nothing under it ("" in ``sections``; the engine cannot tell
  that from a part not written, which a document made on the platform holds as "" too);
- ``table_unread``: the text holds what only that table prints (表二's 第二十条第（…）项 items, 表三's first row label,
  表四's 行政诉讼 group headings), so the table is there; its figures were not read;
- ``section_heading_unplaced``: the part 二/三/四 has no heading of its own, but its table was read (or is shown, as
  above), so the part is there.

The words are taken from the format's definitions, not restated. Words of the report's introduction ("全文包括总
体情况、主动公开政府信息情况、收到和处理…") name the parts, not the tables, so a part is never judged present from
its heading's words alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import Any

from gongkai.reports import definitions as defs

from .extract_rules import TABLE_NAMES, finding
from .normalise import label_key

# the part each table is the body of (a part present exactly when its table is)
PART_OF_TABLE = {"table2": "二", "table3": "三", "table4": "四"}
_TABLE_OF_PART = {part: table for table, part in PART_OF_TABLE.items()}
_ITEM = re.compile(r"第二十条第[（(][一二三四五六七八九十]+[)）]项")


@cache
def _anchors() -> dict[str, tuple[tuple[str, str], ...]]:
    """Per table, the labels only it prints, each with its label key (any one found in the text shows the table
    is there)."""
    items = sorted({block.item for spec in defs.FORMATS.values() for block in spec.table2_layout.blocks})
    suits = [g.split("/", 1)[1] for g in defs.TABLE4_GROUPS if "/" in g]
    words = {
        "table2": [i for i in items if _ITEM.fullmatch(i)],
        "table3": [defs.RECEIVED.split("、", 1)[1]],
        "table4": suits,
    }
    return {table: tuple((label_key(w), w) for w in ws) for table, ws in words.items()}


def _shown(table: str, text_key: str) -> str | None:
    """The first of the table's own labels found in the text, or None."""
    for key, label in _anchors()[table]:
        if key and key in text_key:
            return label
    return None


_MISSING = ("table_missing", "section_missing")


def present_not_missing(
    found: Sequence[dict[str, Any]], doc: dict[str, Any], text: str
) -> list[dict[str, Any]]:
    """The engine's findings with each "missing" error for a table or part the text shows restated (see the
    module); the text is read only when something is reported missing."""
    if not any(f["code"] in _MISSING for f in found):
        return list(found)
    text_key = label_key(text)
    return [_restated(f, doc, text_key) for f in found]


def _restated(f: dict[str, Any], doc: dict[str, Any], text_key: str) -> dict[str, Any]:
    cells = list(f.get("cells") or [])
    if f["code"] not in _MISSING or not cells:
        return f
    if f["code"] == "table_missing":
        table = cells[0]
        words = _shown(table, text_key) if table in _anchors() else None
        if words is None:
            return f
        message = f"原文中有{TABLE_NAMES[table]}（如“{words}”），但未能读出其中的数字，请核对原文。"
        return finding("table_unread", "warning", message, cells).as_dict()
    part = cells[0].split(":", 1)[-1]
    heading = defs.SECTION_HEADINGS[part]
    if (doc.get("sections") or {}).get(part) == "":
        return finding("section_empty", "warning", f"“{heading}”部分只有标题，没有内容。", cells).as_dict()
    table = _TABLE_OF_PART.get(part)
    if table is None:
        return f
    if doc.get(table) is not None:
        seen = "已读出"
    elif _shown(table, text_key) is not None:
        seen = "原文中有"
    else:
        return f
    message = f"未找到单独成行的“{heading}”标题（原文排版或转换所致），但{seen}该部分的{TABLE_NAMES[table]}，请核对原文。"
    return finding("section_heading_unplaced", "warning", message, cells).as_dict()
