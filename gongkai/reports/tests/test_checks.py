"""Tests for the report checks: seed 001 is clean, every broken input gives exactly the expected findings."""

import copy
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.reports import definitions as d
from gongkai.reports.checks import CODES, check_document, errors

SEED_001 = json.loads((Path(__file__).parent / "fixtures" / "seed_001.json").read_text())
R1 = "三、本年度办理结果/（一）予以公开"


def seed():
    return copy.deepcopy(SEED_001)


def codes(findings):
    return sorted(f.code for f in findings)


def test_seed_001_has_no_findings():
    # given the golden seed (洛江区 2020, consistent 2019-format report)
    # when it is checked / then nothing is found
    assert check_document(seed(), published_on=date(2021, 1, 29)) == []


def test_every_finding_code_is_documented():
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    for code in CODES:
        assert f"`{code}`" in readme


def _set(doc, row, column, value):
    doc["table3"]["rows"][row][doc["table3"]["columns"].index(column)] = value


@pytest.mark.parametrize(
    ("break_it", "expected"),
    [
        # a blank cell is not 0: reported once, and the rules over it are not evaluated
        (lambda doc: _set(doc, R1, "自然人", None), ["cell_blank"]),
        (lambda doc: _set(doc, R1, "自然人", "/"), ["cell_not_number"]),
        (lambda doc: _set(doc, d.CARRIED_OUT, "商业企业", -1), ["cell_negative"]),
        (lambda doc: _set(doc, d.CARRIED_OUT, "商业企业", 0.5), ["cell_not_integer"]),
        # one wrong leaf breaks its row total and its column's （七）总计
        (lambda doc: _set(doc, R1, "自然人", 5), ["table3_results_total", "table3_row_total"]),
        # a wrong 总计 of 一 breaks its row, the identity and the text's "受理政府信息公开申请9件"
        (
            lambda doc: _set(doc, d.RECEIVED, "总计", 10),
            ["table3_identity", "table3_row_total", "text_table_mismatch"],
        ),
        (lambda doc: doc["table4"]["行政复议"].update({"总计": 2}), ["table4_total"]),
        (lambda doc: doc["table3"]["rows"].pop(d.CARRIED_IN), ["row_missing"]),
        (lambda doc: doc.update(table4=None), ["table_missing"]),
        (lambda doc: doc["sections"].pop("五"), ["section_missing"]),
        (lambda doc: doc.update(year=2021), ["format_wrong_for_year"]),
        (lambda doc: doc.update(year=None), ["year_missing"]),
        (lambda doc: doc.update(format="2023"), ["format_unknown"]),
        (
            lambda doc: doc["sections"].update({"一": "全年共收到政府信息公开申请12件。"}),
            ["text_table_mismatch"],
        ),
        (lambda doc: doc["sections"].update({"四": "被申请行政复议二件。"}), ["text_table_mismatch"]),
        (
            lambda doc: doc["table2"]["第二十条第（一）项"]["规章"].update({"本年新制作数量": -2}),
            ["cell_negative"],
        ),
    ],
)
def test_broken_inputs_give_exactly_the_expected_findings(break_it, expected):
    # given the clean seed with one defect
    doc = seed()
    break_it(doc)
    # when checked / then exactly the expected codes are found
    assert codes(check_document(doc)) == expected


def test_finding_names_its_cells():
    doc = seed()
    _set(doc, R1, "自然人", None)
    (finding,) = check_document(doc)
    assert finding.cells == (f"table3:{R1}:自然人",)
    assert "表三" in finding.message and "自然人" in finding.message


def test_2019_rows_in_a_2021_report_are_reported():
    # given seed 001 relabelled as a 2021 report on 2021
    doc = seed()
    doc.update(year=2021, format="2021")
    found = codes(check_document(doc))
    # then the three （六） sub-rows are missing and the single （六）其他处理 row is unexpected
    assert found.count("row_missing") == 3
    assert found.count("row_unexpected") == 1
    assert "format_wrong_for_year" not in found


@pytest.mark.parametrize(
    ("text", "mismatch"),
    [
        ("本年度“部分公开”0件。", False),
        ("其中“（二）部分公开（区分处理的，只计这一情形，不计其他情形）”2件。", True),
        ("上年结转0件，结转下年度继续办理0件。", False),
        ("上年结转政府信息公开申请1件。", True),
        ("结转下年度3件。", True),
        ("依申请公开信息答复情况中“予以公开”六件。", False),
        ("被提起行政诉讼1起。", False),
        ("被提起行政诉讼2起。", True),
    ],
)
def test_text_claims(text, mismatch):
    doc = seed()
    doc["sections"]["三"] = text
    assert codes(check_document(doc)) == (["text_table_mismatch"] if mismatch else [])


def test_traditional_text_is_read():
    doc = seed()
    doc["sections"]["一"] = "2020年，全區受理政府信息公開申請8件。"
    (finding,) = check_document(doc)
    assert finding.code == "text_table_mismatch"
    assert "table3:一、本年新收政府信息公开申请数量:总计" in finding.cells


@pytest.mark.parametrize(
    ("published_on", "org_level", "late"),
    [
        (date(2021, 1, 31), "department", False),
        (date(2021, 2, 1), "department", True),
        (date(2021, 3, 31), "government", False),
        (date(2021, 4, 1), "government", True),
        (date(2021, 3, 31), None, False),  # unknown kind: the later deadline
        (date(2021, 4, 1), None, True),
    ],
)
def test_publication_deadline(published_on, org_level, late):
    doc = seed()
    if org_level == "government":
        doc["sections"]["一"] += "工作考核、社会评议和责任追究结果情况：无。"
    found = codes(check_document(doc, published_on=published_on, org_level=org_level))
    assert found == (["published_late"] if late else [])


def test_government_report_must_cover_assessment():
    assert codes(check_document(seed(), org_level="government")) == ["assessment_missing"]


class TestAcrossYears:
    def previous(self, carried_out):
        prev = d.empty_document("洛江区人民政府", 2019, "2019", "self")
        rows = prev["table3"]["rows"]
        rows[d.RECEIVED] = [carried_out, 0, 0, 0, 0, 0, carried_out]
        rows[d.CARRIED_OUT] = [carried_out, 0, 0, 0, 0, 0, carried_out]
        prev["sections"] = {"五": "去年的问题是人员不足。"}
        return prev

    def test_matching_carry_over(self):
        assert check_document(seed(), previous=self.previous(0)) == []

    def test_mismatched_carry_over_names_both_cells(self):
        found = check_document(seed(), previous=self.previous(2))
        assert codes(found) == ["carry_over_mismatch", "carry_over_mismatch"]  # 自然人 and 总计
        assert found[0].cells == (f"table3:{d.CARRIED_IN}:自然人", f"previous:table3:{d.CARRIED_OUT}:自然人")

    def test_previous_of_the_wrong_year(self):
        prev = self.previous(2)
        prev["year"] = 2017
        assert codes(check_document(seed(), previous=prev)) == ["previous_year_mismatch"]

    def test_pre2019_previous_has_nothing_to_match(self):
        prev = d.empty_document("洛江区人民政府", 2018, "pre2019", "unknown")
        assert check_document(seed() | {"year": 2019}, previous=prev) == []

    def test_copied_section_five(self):
        prev = self.previous(0)
        prev["sections"]["五"] = seed()["sections"]["五"].replace("2020", "2019").replace("2021", "2020")
        assert codes(check_document(seed(), previous=prev)) == ["section_copied"]


def test_not_a_report_is_only_noted():
    found = check_document({"kind": "not_a_report", "table3": None})
    assert [(f.code, f.severity) for f in found] == [("not_a_report", "info")]


def test_malformed_document_does_not_crash():
    doc = seed()
    doc["table3"]["rows"][R1] = [1, 2]  # short row
    doc["table4"] = {"行政复议": "无"}
    doc["sections"] = None
    found = check_document(doc)
    assert errors(found)
    assert "cell_missing" in codes(found)


# --- properties ------------------------------------------------------------------------------------------

# per party column, per end state (an outcome row or 结转下年度), the number of new and carried-in applications
_ENDS = st.sampled_from(["carried_out", *d.OUTCOME_CODES])
_COLUMN = st.dictionaries(_ENDS, st.tuples(st.integers(0, 30), st.integers(0, 5)), max_size=6)


@st.composite
def consistent_documents(draw):
    """A document built by summing leaves: applications per (column, end state), remedies per (group, result)."""
    fmt = draw(st.sampled_from(["2019", "2021"]))
    year = draw(st.integers(2019, 2020) if fmt == "2019" else st.integers(2021, 2026))
    spec = d.FORMATS[fmt]
    doc = d.empty_document("测试局", year, fmt, "self")
    doc["sections"] = {n: "无。" for n in d.SECTION_NUMBERS}
    rows = doc["table3"]["rows"]
    for i, _column in enumerate(d.TABLE3_PARTY_COLUMNS):
        for end, (new, carried) in draw(_COLUMN).items():
            rows[d.RECEIVED][i] += new
            rows[d.CARRIED_IN][i] += carried
            key = d.CARRIED_OUT if end == "carried_out" else spec.outcome_rows[end]
            rows[key][i] += new + carried
            if end != "carried_out":
                rows[d.RESULTS_TOTAL][i] += new + carried
    for values in rows.values():
        values[-1] = sum(values[:-1])
    for group in d.TABLE4_GROUPS:
        leaves = draw(st.lists(st.integers(0, 9), min_size=4, max_size=4))
        doc["table4"][group] = dict(zip(d.TABLE4_COLUMNS, [*leaves, sum(leaves)], strict=True))
    for block in spec.table2_layout.blocks:
        for row in block.rows:
            for column in block.columns:
                doc["table2"][block.item][row][column.label] = draw(st.integers(0, 10_000))
    return doc


@settings(max_examples=60, deadline=None)
@given(consistent_documents())
def test_consistent_documents_have_no_errors(doc):
    assert errors(check_document(doc)) == []


@settings(max_examples=80, deadline=None)
@given(consistent_documents(), st.data())
def test_perturbing_any_cell_gives_an_error_naming_it(doc, data):
    # given a consistent document and any one cell of 表三/表四
    spec = d.FORMATS[doc["format"]]
    ref = data.draw(st.sampled_from(spec.table3_cells() + spec.table4_layout.cells()))
    # when its value changes (staying a non-negative whole number)
    value = d.cell_value(doc, ref)
    delta = data.draw(st.integers(1, 5))
    new = value - delta if value >= delta and data.draw(st.booleans()) else value + delta
    if ref.table == "table3":
        _set(doc, ref.row, ref.column, new)
    else:
        doc["table4"][ref.row][ref.column] = new
    # then an error names that cell
    assert any(ref.key in f.cells for f in errors(check_document(doc)))


def _single_other(doc):
    """doc (2021) on a local template keeping the single （六）其他处理 row: the sub-rows' sums in it, sub-rows null."""
    from gongkai.reports.definitions import OTHER_2019

    rows = doc["table3"]["rows"]
    subs = [k for k in rows if k.startswith(f"{OTHER_2019}/")]
    single = [sum(rows[k][c] for k in subs) for c in range(len(doc["table3"]["columns"]))]
    new = {}
    for key, values in rows.items():
        if key == subs[0]:
            new[OTHER_2019] = single
        new[key] = [None] * len(values) if key in subs else values
    doc["table3"]["rows"] = new
    return doc


def test_a_2021_report_keeping_the_single_other_row_is_checked_by_that_row():
    # given a consistent 2021 report whose （六）其他处理 is one row (a local template), its sub-rows blank
    from gongkai.reports.definitions import OTHER_2019, RESULTS_TOTAL
    from gongkai.reports.tests.importing.shapes import consistent_document

    doc = _single_other(consistent_document(11, "2021"))
    doc["sections"] = {n: "有内容。" for n in "一二三四五六"}
    found = check_document(doc)
    # then one warning says so, and no error: the blank sub-rows are not blank cells, the sums hold
    assert [f.code for f in found if f.severity == "error"] == []
    [note] = [f for f in found if f.code == "single_other_row"]
    assert note.severity == "warning" and note.cells == (f"table3:{OTHER_2019}",)
    # and a figure of the single row that breaks （七）总计 is an error naming it
    doc["table3"]["rows"][OTHER_2019][0] += 1
    doc["table3"]["rows"][OTHER_2019][-1] += 1
    broken = [f for f in check_document(doc) if f.severity == "error"]
    assert {f.code for f in broken} == {"table3_results_total"}
    assert any(f"table3:{OTHER_2019}:自然人" in f.cells for f in broken)
    assert any(f"table3:{RESULTS_TOTAL}:自然人" in f.cells for f in broken)


def test_a_check_decides_the_single_other_row_once(monkeypatch):
    # given a 2021 report on the single （六）其他处理 row, and a count of how often the document is asked
    from gongkai.reports.document import ReportDocument
    from gongkai.reports.tests.importing.shapes import consistent_document

    asked = 0
    single_other = ReportDocument.single_other

    def counting(self):
        nonlocal asked
        asked += 1
        return single_other(self)

    monkeypatch.setattr(ReportDocument, "single_other", counting)
    doc = _single_other(consistent_document(11, "2021"))
    # when it is checked (structure, cells, blank cells and sums all depend on the answer)
    found = check_document(doc)
    # then the answer was computed once and used by every rule
    assert asked == 1 and "single_other_row" in codes(found)


def test_a_sum_rule_is_judged_in_one_place():
    # given the rule 总计 = the six applicant columns of one row
    rule = d.FORMATS["2021"].rules()[0]
    values = dict.fromkeys(rule.right, 2)
    values[rule.left[0]] = 12
    # then it holds, fails when a figure changes, and is not judged without every figure
    assert rule.sides(values.get) == (12, 12) and rule.holds(values.get) is True
    assert rule.holds({**values, rule.right[0]: 3}.get) is False
    assert rule.holds({**values, rule.right[0]: None}.get) is None
    assert rule.holds(lambda ref: Decimal("1.5") if ref in rule.right else Decimal(9)) is True


def test_a_blank_cell_is_a_warning_when_the_sums_still_hold_with_it_as_0():
    # given seed 001 (consistent) with a 0 left blank, and another report with a figure left blank
    doc = seed()
    _set(doc, "二、上年结转政府信息公开申请数量", "科研机构", None)  # it was 0
    [finding] = check_document(doc)
    # then the 0 left blank is a warning that it should be 0 — the figures still add up
    assert (finding.code, finding.severity) == ("cell_blank", "warning")
    assert "应填 0" in finding.message
    # and a blank where a figure belongs (the sums fail with it as 0) stays an error
    doc = seed()
    _set(doc, R1, "自然人", None)  # it was 4
    assert [(f.code, f.severity) for f in check_document(doc)] == [("cell_blank", "error")]


def test_the_blank_zeros_of_a_row_are_one_warning_naming_each_cell():
    # given seed 001 with the 0s of a row's legal-person columns left blank (a unit that fills only 自然人)
    doc = seed()
    row = "二、上年结转政府信息公开申请数量"
    blank = ["商业企业", "科研机构", "社会公益组织"]
    for column in blank:
        _set(doc, row, column, None)
    [finding] = check_document(doc)
    # then one warning names the row's blank cells (not one warning a cell), each column in the message
    assert (finding.code, finding.severity) == ("cell_blank", "warning")
    assert finding.cells == tuple(f"table3:{row}:{c}" for c in blank)
    assert finding.message == (
        f"表三“{row}”行“商业企业”“科研机构”“社会公益组织”列为空，应填 0（按 0 计合计仍然成立）。"
    )


@pytest.mark.parametrize(
    "text",
    [
        "将政务公开纳入绩效考评，主动接受群众监督，对失职人员严肃问责。",
        "开展工作考核、社会评议，落实责任追究制度。",
    ],
)
def test_assessment_is_covered_in_any_wording(text):
    doc = seed()
    doc["sections"]["一"] = text
    assert "assessment_missing" not in codes(check_document(doc, org_level="government"))


@pytest.mark.parametrize(
    ("text", "mismatch"),
    [
        ("其中予以公开及部分公开6件。", False),  # 予以公开 6 + 部分公开 0
        ("“予以公开”和“部分公开”共7件。", True),
        ("其中予以公开及部分公开0件。", True),
    ],
)
def test_a_number_the_text_gives_for_two_rows_is_their_sum(text, mismatch):
    doc = seed()
    doc["sections"]["三"] = text
    found = check_document(doc)
    assert codes(found) == (["text_table_mismatch"] if mismatch else [])
    if mismatch:
        assert f"table3:{R1}:总计" in found[0].cells
