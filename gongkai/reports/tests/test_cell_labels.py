"""Findings name their cells in Chinese on the pages (issue 18, defect 6: 「单元格：sections:一」, 「table2」)."""

from __future__ import annotations

from gongkai.reports.checks.findings import cell_label, with_cell_labels


def test_cell_keys_read_as_chinese():
    assert cell_label("sections:一") == "正文第一部分"
    assert cell_label("table2") == "表二"
    assert cell_label("table3:收到申请:自然人") == "表三“收到申请”行“自然人”列"
    assert cell_label("nonsense") == "其他位置"
    # a whole row, as the importer names a row it placed by position
    assert (
        cell_label("table3:三、本年度办理结果/（一）予以公开")
        == "表三“三、本年度办理结果 · （一）予以公开”行"
    )
    assert cell_label("table4:行政复议") == "表四“行政复议”行"
    # a 表二 cell: its item and row read apart, not joined by the key's "/"
    assert (
        cell_label("table2:第二十条第（五）项/行政许可:本年增/减")
        == "表二“第二十条第（五）项 · 行政许可”行“本年增/减”列"
    )
    assert cell_label("table9:x") == "其他位置"


def test_findings_get_labels_beside_their_keys():
    docs = [{"findings": [{"code": "cell_blank", "cells": ["table4:复议:维持"]}]}]
    with_cell_labels(docs)
    assert docs[0]["findings"][0]["cell_labels"] == ["表四“复议”行“维持”列"]
