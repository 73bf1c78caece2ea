"""The demo county's two consecutive reports are published and have zero findings."""

import datetime as dt

import pytest

from gongkai.orgs.models import OrgKind
from gongkai.orgs.tests.factories import OrganisationFactory
from gongkai.reports.demo import load_demo
from gongkai.reports.models import Report, ReportStatus
from gongkai.reports.selectors import document_findings
from gongkai.reports.services import frozen_document

pytestmark = pytest.mark.django_db


def test_demo_reports_have_zero_findings_and_load_once():
    # given the demo county
    county = OrganisationFactory(name="青山县人民政府", kind=OrgKind.GOVERNMENT)
    # when the demo is loaded (twice)
    lines = load_demo(orgs={"county": county}, today=dt.date(2026, 11, 22))
    again = load_demo(orgs={"county": county}, today=dt.date(2026, 11, 22))
    # then both years are published, carry over into each other, and have no findings at all
    reports = list(Report.objects.filter(org=county).order_by("year"))
    assert [(r.year, r.status) for r in reports] == [
        (2024, ReportStatus.PUBLISHED),
        (2025, ReportStatus.PUBLISHED),
    ]
    for report in reports:
        assert document_findings(county, frozen_document(report), published_on=report.published_on) == []
    carried_out_2024 = reports[0].data["table3"]["rows"]["四、结转下年度继续办理"]
    assert carried_out_2024[-1] == 1
    assert reports[1].data["table3"]["rows"]["二、上年结转政府信息公开申请数量"] == carried_out_2024
    assert all("0 个问题" in line for line in lines) and "已存在" in again[0]
