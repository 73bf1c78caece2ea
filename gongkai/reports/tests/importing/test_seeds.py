"""The five seeds: the behaviour the issue asks for, file by file."""

from __future__ import annotations

import pytest

from gongkai.reports import definitions as defs
from gongkai.reports.importing.pipeline import import_path

from .conftest import seed
from .seed_001_expected import TABLE2, TABLE3_ROWS, TABLE4


def _codes(doc, severity=None):
    return {f["code"] for f in doc["findings"] if severity is None or f["severity"] == severity}


def test_000_yangxin_tables_missing_is_reported():
    # given 阳新县's 2020 report whose 表二/三/四 were lost (only the headings 二 and 五 remain)
    # when it is imported
    [doc] = import_path(seed("000"))
    # then it is a 2020 report in the 2019 format, and every missing table is an error naming the table
    assert (doc["kind"], doc["year"], doc["format"]) == ("annual_report", 2020, "2019")
    assert doc["unit"] == "阳新县人民政府"
    assert doc["table2"] is None and doc["table3"] is None and doc["table4"] is None
    missing = [f for f in doc["findings"] if f["code"] == "table_missing"]
    assert {c for f in missing for c in f["cells"]} == {"table2", "table3", "table4"}
    assert all(f["severity"] == "error" for f in missing)
    assert doc["sections"]["一"].startswith("2020年,全县政务公开工作")


def test_001_luojiang_every_cell_exact_and_no_error():
    # given 洛江区's 2020 report: traditional characters with pinyin noise, tables flattened to `|` cells
    # when it is imported
    [doc] = import_path(seed("001"))
    # then every cell of 表二/表三/表四 is exactly the published figure
    assert doc["table2"] == TABLE2
    assert doc["table3"]["columns"] == list(defs.TABLE3_COLUMNS)
    assert doc["table3"]["rows"] == TABLE3_ROWS
    assert list(doc["table3"]["rows"]) == list(defs.FORMATS["2019"].table3_row_keys)
    assert doc["table4"] == TABLE4
    # and the report is consistent: no error-level finding
    assert _codes(doc, "error") == set()
    assert (doc["year"], doc["format"], doc["unit"]) == (2020, "2019", "洛江区人民政府")
    # and the text was converted to simplified characters without the converter's pinyin
    text = "".join(doc["sections"].values())
    assert "洛江区以习近平新时代中国特色社会主义思想为指导" in doc["sections"]["一"]
    assert "有序推进基层政务公开工作标准化规范化" in doc["sections"]["一"]
    assert "(jìn)" not in text and "區" not in text
    assert {"import_traditional", "import_converter_noise"} <= _codes(doc, "info")
    assert set(doc["sections"]) == set(defs.SECTION_NUMBERS)


def test_002_weishi_pre2019_with_required_parts_missing():
    [doc] = import_path(seed("002"))
    assert (doc["kind"], doc["year"], doc["format"]) == ("annual_report", 2016, "pre2019")
    assert doc["unit"] == "尉氏县人民政府"
    assert doc["table2"] is None and doc["table3"] is None
    [missing] = [f for f in doc["findings"] if f["code"] == "pre2019_item_missing"]
    assert missing["severity"] == "error"
    assert "pre2019:依申请公开政府信息和不予公开政府信息的情况" in missing["cells"]
    assert "pre2019:因政府信息公开申请行政复议、提起行政诉讼的情况" in missing["cells"]


def test_003_cangzhou_work_summary_is_not_a_report():
    [doc] = import_path(seed("003"))
    assert doc["kind"] == "not_a_report"
    assert _codes(doc) == {"not_a_report"}
    assert _codes(doc, "error") == set()


def test_004_two_old_reports_in_one_file_with_masked_year():
    # given a page holding 安乐乡's report and, after "扩展阅读", 绵阳科技城科教创业园区管委会's
    docs = import_path(seed("004"))
    # then two reports, each with its own source offset, unit, unknown year and a finding about the mask
    assert len(docs) == 2
    first, second = docs
    assert first["unit"] == "安乐乡人民政府"
    assert second["unit"] == "绵阳科技城科教创业园区管委会"
    assert first["source"]["offset"] == 0 < second["source"]["offset"]
    for doc in docs:
        assert doc["kind"] == "annual_report"
        assert doc["year"] is None
        assert doc["format"] == "pre2019"
        assert "import_year_masked" in _codes(doc, "warning")
    assert "扩展阅读" not in "".join(first["sections"].values())
    assert second["sections"]["一"].startswith("201*年,科创区")


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_every_seed_document_has_source_and_schema(prefix):
    for doc in import_path(seed(prefix)):
        assert doc["schema"] == defs.SCHEMA
        assert doc["source"]["file"].endswith(".txt")
        assert isinstance(doc["source"]["offset"], int)
        assert all(set(f) == {"code", "severity", "message", "cells"} for f in doc["findings"])
