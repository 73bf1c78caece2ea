"""Tests for the typed report document: one way to address, read and write a cell of the canonical JSON."""

import copy

import pytest

from gongkai.reports import definitions as d
from gongkai.reports.document import ReportDocument

R1 = "三、本年度办理结果/（一）予以公开"


def test_cells_are_read_and_written_in_place_by_ref_or_key():
    # given an empty 2021 document
    doc = ReportDocument(d.empty_document("某局", 2022, "2021", "self"))
    # when cells are written by CellRef and by the findings' cell key
    doc.set(d.CellRef("table3", R1, "商业企业"), 3)
    doc.set("table4:行政诉讼/复议后起诉:结果纠正", 2)
    doc.set("table2:第二十条第（一）项/规章:本年制发件数", 5)
    # then the canonical JSON holds them where report-json.md puts them
    assert doc.data["table3"]["rows"][R1] == [0, 3, 0, 0, 0, 0, 0]
    assert doc.data["table4"]["行政诉讼/复议后起诉"]["结果纠正"] == 2
    assert doc.data["table2"]["第二十条第（一）项"]["规章"]["本年制发件数"] == 5
    assert doc.cell(f"table3:{R1}:商业企业") == 3
    assert doc.total(d.RECEIVED) == 0


def test_absent_cells_raise_on_cell_and_default_on_get():
    doc = ReportDocument(copy.deepcopy(d.empty_document("某局", 2020, "2019", "self")))
    missing = d.CellRef("table3", "不存在的行", "总计")
    with pytest.raises(KeyError):
        doc.cell(missing)
    assert doc.get(missing, "—") == "—"
    doc.data["table4"] = {"行政复议": "无"}  # malformed
    assert doc.get("table4:行政复议:总计") is None
    assert ReportDocument({"table3": None}).rows() == {}


@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_iteration_gives_every_cell_of_the_format(fmt):
    spec = d.FORMATS[fmt]
    doc = ReportDocument(d.empty_document("某局", 2022, fmt, "self"))
    refs = list(doc)
    assert refs == spec.table2_layout.cells() + spec.table3_cells() + spec.table4_layout.cells()
    assert all(doc.cell(ref) == 0 for ref in refs)
    assert list(ReportDocument(d.empty_document("某局", 2015, "pre2019", "unknown"))) == []


def test_cell_keys_round_trip():
    ref = d.CellRef("table2", "第二十条第（八）项/行政事业性收费", "本年收费金额（单位：万元）")
    assert d.CellRef.parse(ref.key) == ref
