"""Real browser journey: a clerk uploads two published reports and reads the findings."""

from __future__ import annotations

import re

import pytest

from gongkai.orgs.models import Role
from gongkai.orgs.tests.factories import TEST_PASSWORD, staff

from .conftest import seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clerk_uploads_reports_and_sees_summary_and_findings(page, live_server, org_tree):
    # Given a clerk logged in
    clerk = staff(Role.CLERK, org_tree["own"], username="rcclerk")
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("用户名").fill(clerk.username)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    # When they open the report check page and upload seeds 000 and 004
    page.goto(f"{live_server.url}/admin/report-check/")
    page.get_by_label("报告文件").set_input_files([str(seed("000")), str(seed("004"))])
    page.get_by_role("button", name="检查").click()
    # Then the summary lists three reports and the missing tables are shown as errors
    page.get_by_role("heading", name="年度报告检查结果").wait_for()
    rows = page.locator("table").first.locator("tbody tr")
    assert rows.count() == 3
    body = page.locator("main").inner_text()
    assert "缺少表三。" in body
    assert "绵阳科技城科教创业园区管委会" in body
    assert "报告年度被遮蔽" in body
