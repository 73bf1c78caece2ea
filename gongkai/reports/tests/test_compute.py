"""Tests for computing a report from the records (counting rules of the contract; seed 001 golden test)."""

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from gongkai.applications.tests.factories import ApplicationFactory, RemedyCaseFactory
from gongkai.applications.vocab import ApplicantType, RemedyKind, RemedyResult
from gongkai.core.actors import SYSTEM_TEST
from gongkai.orgs.tests.factories import OrganisationFactory
from gongkai.reports import definitions as d
from gongkai.reports.checks import check_document, errors
from gongkai.reports.compute import CATALOGUE_SOURCE, compute_report
from gongkai.reports.services import import_figures
from gongkai.reports.tests.factories import Table2FigureFactory, seed_001_figures_csv, seed_001_records

pytestmark = pytest.mark.django_db
SEED_001 = json.loads((Path(__file__).parent / "fixtures" / "seed_001.json").read_text())
Y = 2021


def total(doc, row):
    return doc["table3"]["rows"][row][-1]


def test_seed_001_reproduced_from_records_and_figures():
    # given 洛江区's 2020 records (9 applications, 1 lawsuit) and its 表二 figures imported from a file
    org = OrganisationFactory(name="洛江区人民政府")
    seed_001_records(org)
    result = import_figures(actor=SYSTEM_TEST, org=org, data=seed_001_figures_csv(), filename="表二.csv")
    assert result.ok, result.errors
    # when the 2019-format report on 2020 is computed
    doc = compute_report(org, 2020, fmt="2019").doc
    # then its tables are exactly seed 001's
    assert doc["table3"] == SEED_001["table3"]
    assert doc["table4"] == SEED_001["table4"]
    assert doc["table2"] == SEED_001["table2"]
    assert (doc["year"], doc["format"], doc["scope"], doc["unit_code"]) == (2020, "2019", "self", org.code)


@pytest.mark.parametrize(
    ("received", "closed", "outcome", "expected"),
    [
        # (received_on, closed_on, outcome) → the rows of the 2021 report it counts in
        (
            dt.date(Y, 3, 1),
            dt.date(Y, 3, 20),
            "1",
            {d.RECEIVED, "三、本年度办理结果/（一）予以公开", d.RESULTS_TOTAL},
        ),
        (dt.date(Y, 12, 20), None, "", {d.RECEIVED, d.CARRIED_OUT}),
        (dt.date(Y, 12, 20), dt.date(Y + 1, 1, 5), "1", {d.RECEIVED, d.CARRIED_OUT}),
        (
            dt.date(Y - 1, 12, 20),
            dt.date(Y, 1, 1),
            "4.2",
            {d.CARRIED_IN, "三、本年度办理结果/（四）无法提供/2.没有现成信息需要另行制作", d.RESULTS_TOTAL},
        ),
        (dt.date(Y - 1, 12, 20), None, "", {d.CARRIED_IN, d.CARRIED_OUT}),
        (dt.date(Y - 1, 12, 20), dt.date(Y - 1, 12, 31), "1", set()),
        (dt.date(Y + 1, 1, 1), None, "", set()),
        (
            dt.date(Y, 5, 1),
            dt.date(Y, 12, 31),
            "6.2",
            {d.RECEIVED, d.FORMATS["2021"].outcome_rows["6.2"], d.RESULTS_TOTAL},
        ),
    ],
)
def test_counting_rules(received, closed, outcome, expected):
    # given one application of a 商业企业
    org = OrganisationFactory()
    ApplicationFactory(
        org=org,
        received_on=received,
        closed_on=closed,
        outcome=outcome,
        applicant_type=ApplicantType.COMMERCIAL,
    )
    # when the report on Y is computed
    rows = compute_report(org, Y).doc["table3"]["rows"]
    # then it counts once in exactly the expected rows, in the 商业企业 and 总计 columns
    counted = {key for key, values in rows.items() if values == [0, 1, 0, 0, 0, 0, 1]}
    assert counted == expected
    assert all(values == [0] * 7 for key, values in rows.items() if key not in expected)


def test_2019_format_collapses_other_outcomes():
    org = OrganisationFactory()
    for code in ("6.1", "6.2", "6.3"):
        ApplicationFactory(
            org=org, received_on=dt.date(2020, 2, 3), closed_on=dt.date(2020, 3, 3), outcome=code
        )
    doc = compute_report(org, 2020).doc
    assert doc["format"] == "2019"
    assert total(doc, d.OTHER_2019) == 3


@pytest.mark.parametrize(
    ("filed", "result", "closed", "column"),
    [
        (dt.date(Y, 2, 1), RemedyResult.UPHELD, dt.date(Y, 5, 1), "结果维持"),
        (dt.date(Y, 2, 1), RemedyResult.OTHER, dt.date(Y, 5, 1), "其他结果"),
        (dt.date(Y, 2, 1), RemedyResult.PENDING, None, "尚未审结"),
        (dt.date(Y, 11, 1), RemedyResult.CORRECTED, dt.date(Y + 1, 2, 1), "尚未审结"),  # decided after 31 Dec
        (dt.date(Y - 1, 11, 1), RemedyResult.CORRECTED, dt.date(Y, 2, 1), None),  # filed the year before
    ],
)
def test_table4_counts_cases_filed_in_the_year_by_result_at_year_end(filed, result, closed, column):
    org = OrganisationFactory()
    RemedyCaseFactory(
        org=org, kind=RemedyKind.SUIT_AFTER_REVIEW, filed_on=filed, result=result, closed_on=closed
    )
    t4 = compute_report(org, Y).doc["table4"]
    expected = {c: (1 if c in (column, "总计") and column else 0) for c in d.TABLE4_COLUMNS}
    assert t4["行政诉讼/复议后起诉"] == expected
    assert t4["行政复议"]["总计"] == 0


def test_tree_scope_sums_descendants(org_tree):
    # given applications in the parent, its child and a sibling
    for org in (org_tree["own"], org_tree["child"], org_tree["sibling"]):
        ApplicationFactory(org=org, received_on=dt.date(Y, 4, 1))
    # then self counts one, tree counts own + child
    assert total(compute_report(org_tree["own"], Y).doc, d.RECEIVED) == 1
    assert total(compute_report(org_tree["own"], Y, scope="tree").doc, d.RECEIVED) == 2


def test_tree_scope_sums_figures(org_tree):
    Table2FigureFactory(org=org_tree["own"], value=Decimal(3))
    Table2FigureFactory(org=org_tree["child"], value=Decimal(4))
    t2 = compute_report(org_tree["own"], 2020, scope="tree").doc["table2"]
    assert t2["第二十条第（五）项"]["行政许可"]["处理决定数量"] == 7


def test_missing_figures_are_blank_not_zero():
    doc = compute_report(OrganisationFactory(), 2020).doc
    assert doc["table2"]["第二十条第（五）项"]["行政许可"]["处理决定数量"] is None


def test_catalogue_fills_2021_regulations_unless_entered(monkeypatch):
    # given a catalogue provider that counts 规章 / 行政规范性文件
    from gongkai.reports import compute

    calls = []

    def provider(org_ids, year):
        calls.append((org_ids, year))
        return {"第二十条第（一）项": {"规章": {"本年制发件数": 2, "本年废止件数": 0, "现行有效件数": 5}}}

    monkeypatch.setitem(compute.CATALOGUE_PROVIDERS, "2021", provider)
    org = OrganisationFactory()
    result = compute_report(org, Y)
    assert result.doc["table2"]["第二十条第（一）项"]["规章"]["现行有效件数"] == 5
    assert result.sources["table2:第二十条第（一）项/规章:现行有效件数"] == CATALOGUE_SOURCE
    assert calls == [([org.pk], Y)]
    # when the office enters the block by hand, its figures win
    Table2FigureFactory(
        org=org, year=Y, item="第二十条第（一）项", row="规章", column="现行有效件数", value=Decimal(6)
    )
    again = compute_report(org, Y)
    assert again.doc["table2"]["第二十条第（一）项"]["规章"]["现行有效件数"] == 6
    assert again.sources["table2:第二十条第（一）项/规章:现行有效件数"] == "审批局统计"


def test_real_catalogue_selector_is_wired():
    # the catalog app's selector answers for an organisation without items: zeros, from the catalogue
    result = compute_report(OrganisationFactory(), Y)
    assert result.doc["table2"]["第二十条第（一）项"]["行政规范性文件"] == {
        "本年制发件数": 0,
        "本年废止件数": 0,
        "现行有效件数": 0,
    }


@pytest.mark.parametrize("size", [2, 40])
def test_query_count_does_not_grow_with_records(size, django_assert_num_queries):
    # given many applications, remedies and figures
    org = OrganisationFactory()
    for i in range(size):
        ApplicationFactory(
            org=org, received_on=dt.date(2020, 1 + i % 12, 1), replied=True, outcome=d.OUTCOME_CODES[i % 21]
        )
        RemedyCaseFactory(org=org, filed_on=dt.date(2020, 5, 1))
    Table2FigureFactory(org=org)
    # when the 2019-format report is computed / then three queries: 表三, 表四, 表二
    with django_assert_num_queries(3):
        doc = compute_report(org, 2020, sections={n: "无。" for n in d.SECTION_NUMBERS}).doc
    assert total(doc, d.RECEIVED) == size
    assert errors(check_document(doc)) == []
