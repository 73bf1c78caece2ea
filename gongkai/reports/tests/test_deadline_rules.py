"""`published_late` uses the organisation's own deadline: 第四十九条 by kind, a local rule, or an override."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path

import pytest

from gongkai.orgs.models import Level, OrgKind
from gongkai.orgs.report_deadlines import org_report_deadline
from gongkai.orgs.tests.factories import OrganisationFactory
from gongkai.reports.checks import check_document
from gongkai.reports.selectors import document_findings, subordinates_overview

SEED_001 = json.loads((Path(__file__).parent / "fixtures" / "seed_001.json").read_text())  # a report on 2020
RULE = "《江川市政府信息公开工作年度报告编制发布规定》"


def late(findings):
    return [f for f in findings if f.code == "published_late"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "level", "override", "published_on", "is_late", "says"),
    [
        # 县级以上人民政府部门: 第四十九条第一款, 1月31日 inclusive
        (OrgKind.DEPARTMENT, Level.COUNTY, "", date(2021, 1, 31), False, ""),
        (
            OrgKind.DEPARTMENT,
            Level.COUNTY,
            "",
            date(2021, 2, 1),
            True,
            "县级以上人民政府部门的发布期限2021年1月31日（依据：第四十九条第一款）",
        ),
        # 县级以上地方人民政府: 第四十九条第二款, 3月31日
        (OrgKind.GOVERNMENT, Level.COUNTY, "", date(2021, 3, 31), False, ""),
        (OrgKind.GOVERNMENT, Level.COUNTY, "", date(2021, 4, 1), True, "（依据：第四十九条第二款）"),
        # a township without a local rule: the date used before, said to be by analogy
        (
            OrgKind.GOVERNMENT,
            Level.TOWNSHIP,
            "",
            date(2021, 4, 1),
            True,
            "（依据：参照第四十九条（未配置本地规定））",
        ),
        # a 派出机构 whose local rule (an override) is later than the default: not late on 2月15日
        (OrgKind.AGENCY, Level.COUNTY, "02-28", date(2021, 2, 15), False, ""),
        (
            OrgKind.AGENCY,
            Level.COUNTY,
            "02-28",
            date(2021, 3, 1),
            True,
            f"派出机构的发布期限2021年2月28日（依据：本地规定：{RULE}）",
        ),
        # a department's stricter local date (an override)
        (OrgKind.DEPARTMENT, Level.COUNTY, "01-20", date(2021, 1, 25), True, f"（依据：本地规定：{RULE}）"),
    ],
)
def test_the_organisations_deadline_drives_published_late(kind, level, override, published_on, is_late, says):
    # Given an organisation of the kind, with or without its own local deadline
    org = OrganisationFactory(
        kind=kind, level=level, report_deadline=override, report_deadline_basis=RULE if override else ""
    )
    doc = copy.deepcopy(SEED_001)
    # When its 2020 report's findings are computed with the publication date
    found = late(document_findings(org, doc, published_on=published_on))
    # Then it is late exactly when published after that deadline, and the message says where the date comes from
    assert bool(found) is is_late
    if is_late:
        assert says in found[0].message
        assert found[0].message.startswith(f"2020年度报告于{published_on.year}年{published_on.month}月")


@pytest.mark.django_db
def test_a_configured_local_rule_for_townships_drives_published_late(settings):
    settings.GONGKAI_REPORT_DEADLINES = {"township": ["02-28", RULE]}
    town = OrganisationFactory(kind=OrgKind.GOVERNMENT, level=Level.TOWNSHIP)
    doc = copy.deepcopy(SEED_001)
    assert late(document_findings(town, doc, published_on=date(2021, 2, 28))) == []
    (finding,) = late(document_findings(town, doc, published_on=date(2021, 3, 1)))
    assert "乡级机构（乡镇、街道）的发布期限2021年2月28日（依据：本地规定：" in finding.message


def test_check_document_takes_the_rule_or_falls_back_to_the_kind():
    doc = copy.deepcopy(SEED_001)
    rule = org_report_deadline(
        OrganisationFactory.build(
            kind=OrgKind.AGENCY, level=Level.COUNTY, report_deadline="03-10", report_deadline_basis=RULE
        ),
        2020,
    )
    assert late(check_document(doc, published_on=date(2021, 3, 10), org_level="agency", deadline=rule)) == []
    assert late(check_document(doc, published_on=date(2021, 3, 10), org_level="agency"))  # 1月31日 by kind


@pytest.mark.django_db
def test_the_overview_shows_each_organisations_deadline_and_its_source(org_tree):
    town = OrganisationFactory(parent=org_tree["own"], kind=OrgKind.GOVERNMENT, level=Level.TOWNSHIP,
                               report_deadline="02-15", report_deadline_basis=RULE)  # fmt: skip
    rows = {r.org.pk: r for r in subordinates_overview(org_tree["own"], 2025, today=date(2026, 2, 20))}
    assert (rows[town.pk].deadline, rows[town.pk].overdue) == (date(2026, 2, 15), True)
    assert rows[town.pk].rule.source_text == f"本地规定：{RULE}"
    assert rows[org_tree["own"].pk].rule.source_text == "第四十九条第二款"
    assert rows[org_tree["child"].pk].rule.source_text == "第四十九条第一款"
