"""OCR cells in a failing sum: a warning on each cell whose digits OCR may have confused, with the one reading
that makes the sums hold when there is exactly one."""

from __future__ import annotations

from gongkai.reports import definitions as defs
from gongkai.reports.importing.ocr_sums import digit_findings


def _doc(review: dict[str, int]) -> dict:
    zero = dict.fromkeys(defs.TABLE4.columns, 0)
    table4 = {group: dict(zero) for group in defs.TABLE4.groups}
    table4["行政复议"].update(review)
    return {"format": "2021", "year": 2023, "table3": None, "table4": table4}


def _placed(doc: dict) -> dict:
    return {
        f"表四/{group}/{column}": {"page": 1, "bbox": [0, 0, 1, 1], "confidence": 0.95}
        for group, cells in doc["table4"].items()
        for column in cells
    }


def test_a_total_read_8_for_3_is_warned_on_its_cell_with_the_reading_that_fits():
    # given 表四 行政复议 printed 3 + 0 + 0 + 0 = 3, its 总计 misread as 8
    doc = _doc({"结果维持": 3, "总计": 8})
    found = {f.cells[0]: f for f in digit_findings(doc, _placed(doc))}
    # then every cell of the failing sum whose digits have a look-alike is warned on that cell
    assert set(found) == {f"table4:行政复议:{c}" for c in defs.TABLE4.columns}
    assert all(f.code == "import_ocr_digit" and f.severity == "warning" for f in found.values())
    # and the total and the 结果维持 each name the one reading that makes the sum hold
    assert "若为 3，所在合计即相符" in found["table4:行政复议:总计"].message
    assert "若为 8，所在合计即相符" in found["table4:行政复议:结果维持"].message
    # a zero could be an 8 or a 6, but neither makes 3 + 0 + 0 + 0 = 8: no reading offered
    assert "若为" not in found["table4:行政复议:结果纠正"].message


def test_sums_that_hold_and_cells_not_read_by_ocr_give_no_warning():
    doc = _doc({"结果维持": 1, "总计": 1})
    assert digit_findings(doc, _placed(doc)) == []
    broken = _doc({"结果维持": 1, "总计": 7})
    # a text report (cells placed by offset, not on a page) is not OCR: its sums are the checker's alone
    offsets = {key: {"offset": 0} for key in _placed(broken)}
    assert digit_findings(broken, offsets) == []


def test_a_figure_without_a_confusable_digit_is_left_to_the_sum_error():
    # 2 + 4 ≠ 9: 2 and 4 have no look-alike; 9 has none either
    doc = _doc({"结果维持": 2, "结果纠正": 4, "总计": 9})
    cells = {f.cells[0] for f in digit_findings(doc, _placed(doc))}
    assert "table4:行政复议:结果维持" not in cells and "table4:行政复议:总计" not in cells
    assert "table4:行政复议:其他结果" in cells  # a 0 in the failing sum
