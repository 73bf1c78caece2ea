"""A sum error over a cell the importer doubts is a warning (issue 16: no error finding on a consistent report)."""

from __future__ import annotations

from gongkai.reports.checks.findings import Finding
from gongkai.reports.importing.pipeline import doubtful_sums

ROW = "table3:三、本年度办理结果/（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
TOTAL = "table3:三、本年度办理结果/（七）总计:总计"
SUM = {
    "code": "table3_results_total",
    "severity": "error",
    "message": "“总计”列的（七）总计应等于各项办理结果之和：5 ≠ 6。",
    "cells": [TOTAL, f"{ROW}:总计"],
}


def test_a_sum_over_a_cell_read_by_position_is_a_warning_that_says_why():
    # given the importer placed 部分公开's figures by position (a reading warning names the row)
    reading = [Finding("import_row_position", "warning", "…请核对原文。", (ROW,))]
    [found] = doubtful_sums([dict(SUM)], reading)
    # then the sum that does not hold is still flagged on its cells, as a warning that the reading may be the cause
    assert found["severity"] == "warning" and found["cells"] == SUM["cells"]
    assert found["message"].startswith(SUM["message"]) and "读入存疑" in found["message"]


def test_a_sum_over_cells_read_sure_stays_an_error():
    # given reading notes on other cells only (info, or a warning on 表二), and one on a cell named exactly
    other = [
        Finding("import_traditional", "info", "原文为繁体字…", ()),
        Finding("import_split_likely", "warning", "…", ("table2:第二十条第（五）项/行政许可:本年增/减",)),
    ]
    assert doubtful_sums([dict(SUM)], other)[0]["severity"] == "error"
    cell = [Finding("import_ambiguous_split", "warning", "…", (TOTAL,))]
    assert doubtful_sums([dict(SUM)], cell)[0]["severity"] == "warning"
    # and findings that are not sums are left as they are
    blank = {**SUM, "code": "cell_blank"}
    assert doubtful_sums([blank], cell) == [blank]
