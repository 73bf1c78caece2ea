"""A table or part that is in the report but was not read is a warning, not 「缺少…」 (unread_parts)."""

from __future__ import annotations

from gongkai.reports.importing.pipeline import import_bytes
from gongkai.reports.importing.unread_parts import present_not_missing

from . import shapes


def _missing(table: str) -> dict:
    return {"code": "table_missing", "severity": "error", "message": "缺少。", "cells": [table]}


def test_a_table_whose_own_words_are_in_the_text_is_unread_not_missing():
    # given 表二's items and 表四's group headings in the text, their figures scattered beyond reading
    text = "二、主动公开政府信息情况 第二十条第 （一） 项 22 （其中修订 16 件）\n四、… 行政复议 行政诉讼 未经复议直接起诉 复议后起诉"
    found = present_not_missing([_missing("table2"), _missing("table4")], {}, text)
    # then each is a warning that says what was seen, not an error that the report lacks the table
    assert [(f["code"], f["severity"]) for f in found] == [("table_unread", "warning")] * 2
    assert found[0]["message"] == "原文中有表二（如“第二十条第（一）项”），但未能读出其中的数字，请核对原文。"
    assert "表四" in found[1]["message"] and found[1]["cells"] == ["table4"]


def test_a_table_the_text_only_names_in_passing_stays_missing():
    # given a text whose introduction names the parts (their headings' words) but prints no table
    text = "全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、因政府信息公开工作被申请行政复议和提起行政诉讼情况。"
    found = present_not_missing([_missing("table2"), _missing("table3"), _missing("table4")], {}, text)
    # then nothing shows the tables: each stays an error
    assert [(f["code"], f["severity"]) for f in found] == [("table_missing", "error")] * 3


def test_a_part_without_its_heading_whose_table_was_read_is_there():
    # given a consistent report whose 三、收到和处理政府信息公开申请情况 heading was lost (its table is intact)
    doc = shapes.consistent_document(3, "2021")
    text = shapes.render(doc, "lines").replace("\n三、收到和处理政府信息公开申请情况", "", 1)
    [got] = import_bytes(text.encode(), "report.txt")
    assert got["table3"]["rows"] == doc["table3"]["rows"]
    # then the part is not reported missing: a warning says its heading was not found but its table was read
    codes = {f["code"]: f for f in got["findings"]}
    assert "section_missing" not in codes
    note = codes["section_heading_unplaced"]
    assert note["severity"] == "warning" and note["cells"] == ["sections:三"]
    assert "但已读出该部分的表三" in note["message"]
    assert [f for f in got["findings"] if f["severity"] == "error"] == []
