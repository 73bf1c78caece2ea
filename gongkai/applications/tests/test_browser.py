"""Browser journeys: a citizen applies online and checks status; a clerk handles 补正, extension and a 部分公开
reply and downloads the letter; an overdue case shows on the dashboard."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from gongkai.applications.models import Application, Status
from gongkai.catalog.tests.factories import pdf_with_text
from gongkai.orgs.models import ExtensionApproval, Organisation, Role
from gongkai.orgs.tests.factories import TEST_PASSWORD, staff
from gongkai.workdays.arithmetic import add_workdays, invalidate

from .conftest import applicant, request_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _calendar():
    invalidate()  # transactional tests flush the calendar tables
    yield
    invalidate()


def _login(page, live_server, username):
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/admin/$"))


def test_citizen_submits_online_and_checks_status(page, live_server, org_tree):
    org = org_tree["child"]
    # given the department's 依申请公开 column, the citizen follows the link to the online form
    page.goto(f"{live_server.url}/gk/{org.code}/ysqgk/")
    page.get_by_role("link", name="在线提交政府信息公开申请").click()
    # when the form is filled and submitted
    page.get_by_label("申请人类型").select_option("natural")
    page.get_by_label("姓名或名称").fill("赵六")
    page.locator("#id_id_type").select_option("resident_id")
    page.locator("#id_id_number").fill("11010519491231002X")
    page.get_by_label("联系电话").fill("13700000000")
    page.get_by_label("电子邮箱").fill("z@example.org")
    page.get_by_label("所需信息的名称").fill("某小区规划许可证")
    page.get_by_label("获取信息的方式").select_option("email")
    page.get_by_label("本人承诺所填信息真实有效").check()
    page.get_by_role("button", name="提交申请").click()
    # then the tracking code and secret are shown once
    page.wait_for_url(re.compile(r"/done/$"))
    code = page.locator("#tracking-code").inner_text().strip()
    secret = page.locator("#secret").inner_text().strip()
    assert Application.objects.get().tracking_code == code
    # and the status page (its address is on the 回执) shows the application with them
    page.locator("a.url", has_text="/ysqgk/status/").click()
    page.get_by_label("申请编号").fill(code)
    page.get_by_label("查询码").fill(secret)
    page.get_by_role("button", name="查询").click()
    assert page.locator("#public-status").inner_text() == "已登记"


def test_clerk_correction_extension_partial_reply_and_letter(page, live_server, office):
    from gongkai.applications.services.intake import application_register

    today = timezone.localdate()
    clerk = office["clerk"]
    # 双人审核 with 上传审批单: the clerk extends with the head's signed approval sheet
    Organisation.objects.filter(pk=office["org"].pk).update(extension_approval=ExtensionApproval.UPLOAD)
    a = application_register(
        actor=clerk, org=office["org"], channel="in_person", applicant=applicant(), request=request_data(),
        submitted_on=add_workdays(today, -3),
    )  # fmt: skip
    _login(page, live_server, clerk.username)
    page.goto(f"{live_server.url}/admin/applications/{a.pk}/")
    # 补正 requested …
    page.locator("summary", has_text="告知补正").click()
    page.locator("#id_correction-items").fill("请写明项目名称和作出时间")
    page.locator("#id_correction-until").fill((today + dt.timedelta(days=15)).isoformat())
    page.get_by_role("button", name="告知补正").click()
    assert page.locator("#status").inner_text() == "待补正"
    # … received …
    page.locator("summary", has_text="收到补正").click()
    page.get_by_role("button", name="收到补正").click()
    assert page.locator("#status").inner_text() == "办理中"
    due_before = page.locator("#reply-due").inner_text()
    # … extended with the head's approval …
    page.locator("summary", has_text="延期答复").click()
    page.locator("#id_extend-days").fill("10")
    page.locator("#id_extend-approved_by").fill("李主任")
    page.locator("#id_extend-approval_file").set_input_files(
        files=[{"name": "延期审批单.pdf", "mimeType": "application/pdf", "buffer": pdf_with_text("2026")}]
    )
    page.locator("#id_extend-reason").fill("需要检索多个科室的档案")
    page.get_by_role("button", name="延期答复").click()
    assert page.locator("#reply-due").inner_text() > due_before
    # … replied 部分公开
    page.locator("summary", has_text=re.compile(r"^答复$")).click()
    page.locator("#id_reply-outcome").select_option("2")
    page.locator("#id_reply-summary").fill("第3页涉及个人隐私，已作区分处理。")
    page.get_by_label("保护第三方合法权益（第十五条）").check()
    page.get_by_role("button", name="答复", exact=True).click()
    assert page.locator("#status").inner_text() == "已答复"
    assert "部分公开" in page.locator("#outcome").inner_text()
    # then the 答复告知书 downloads as DOCX
    page.get_by_role("link", name="政府信息公开申请答复告知书").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="下载 DOCX").click()
    assert download.value.suggested_filename.endswith(".docx")
    a.refresh_from_db()
    assert a.status == Status.REPLIED and a.outcome == "2"
    assert list(a.events.values_list("kind", flat=True)) == [
        "received", "correction_requested", "correction_received", "extended", "answered",
    ]  # fmt: skip


def test_overdue_case_on_dashboard(page, live_server, org_tree):
    from gongkai.applications.services.intake import application_register

    org = org_tree["child"]
    clerk = staff(Role.CLERK, org, username="clerk_overdue")
    a = application_register(
        actor=clerk, org=org, channel="in_person", applicant=applicant(), request=request_data(),
        submitted_on=add_workdays(timezone.localdate(), -25),
    )  # fmt: skip
    _login(page, live_server, clerk.username)
    page.goto(f"{live_server.url}/admin/applications/dashboard/")
    overdue = page.locator("tr.overdue")
    assert overdue.count() == 1 and a.tracking_code in overdue.inner_text()
