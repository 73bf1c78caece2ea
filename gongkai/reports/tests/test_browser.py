"""Real browser journey: a clerk drafts and submits, a reviewer publishes, the public reads it at its stable URL."""

from __future__ import annotations

import re

import pytest

from gongkai.applications.tests.factories import ApplicationFactory
from gongkai.orgs.models import Role
from gongkai.orgs.tests.factories import TEST_PASSWORD, staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, live_server, username):
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/admin/$"))


def _logout(page):
    page.get_by_role("button", name="退出").click()


def test_report_from_draft_to_portal(page, live_server, org_tree):
    import datetime as dt

    org = org_tree["own"]
    ApplicationFactory(org=org, received_on=dt.date(2022, 4, 6), replied=True)
    staff(Role.CLERK, org, username="rclerk")
    staff(Role.REVIEWER, org, username="rreviewer")
    # Given a clerk who creates the 2022 report and inserts the generated paragraph for 三
    _login(page, live_server, "rclerk")
    page.goto(f"{live_server.url}/admin/reports/new/")
    page.get_by_label("机构").select_option(label=org.name)
    page.get_by_label("报告年度").fill("2022")
    page.get_by_role("button", name="保存").click()
    page.get_by_role("link", name="编辑正文").click()
    page.locator(".rte-content").first.wait_for()  # the editors replace the textareas once their script ran
    for number, heading in (
        ("一", "一、总体情况"),
        ("二", "二、主动公开政府信息情况"),
        ("五", "五、存在的主要问题及改进情况"),
    ):
        page.get_by_label(heading).fill(f"第{number}部分的内容。")
    page.locator("button[name=insert][value='三']").click()
    page.locator("button[name=insert][value='四']").click()
    page.locator("button[name=insert][value='六']").click()
    page.get_by_role("button", name="保存", exact=True).click()
    page.get_by_role("button", name="提交审核").click()
    assert page.get_by_text("已提交审核").first.is_visible()
    _logout(page)
    # When the reviewer approves and publishes
    _login(page, live_server, "rreviewer")
    page.goto(f"{live_server.url}/admin/reports/")
    page.get_by_role("link", name="2022").click()
    page.get_by_role("button", name="审核通过").click()
    page.get_by_label("发布日期").fill("2023-01-18")
    page.once("dialog", lambda dialog: dialog.accept())  # publishing asks first (data-confirm)
    page.get_by_role("button", name="发布").click()
    # Then the public 年报 column lists it and its stable URL shows the official tables
    page.goto(f"{live_server.url}/gk/{org.code}/nianbao/")
    page.get_by_role("link", name=re.compile("2022年政府信息公开工作年度报告")).click()
    assert page.url.endswith(f"/gk/{org.code}/nianbao/2022/")
    body = page.locator("main").inner_text()
    assert "共收到政府信息公开申请1件" in body
    assert "三、本年度办理结果" in body and "结转下年度继续办理" in body
    assert page.locator("svg.report-chart").count() == 2
