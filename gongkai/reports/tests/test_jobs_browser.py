"""Real browser journeys through the new background jobs (issue 19): a 公开办管理员 renders the county's
reports for a year into a zip and downloads it; a clerk imports a 台账 whose bad rows the result page lists.
Without a broker the job runs when the request commits (as in the demo); the job page then shows the result."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from gongkai.orgs.models import Role
from gongkai.orgs.tests.factories import TEST_PASSWORD, staff
from gongkai.reports.tests.test_views import publish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, live_server, username):
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/admin/$"))


def test_an_office_admin_renders_the_county_reports_into_a_zip_and_downloads_it(page, live_server, org_tree):
    county, dept = org_tree["own"], org_tree["child"]
    publish(county, 2022)
    publish(dept, 2022)
    staff(Role.OFFICE_ADMIN, county, username="bundler")
    _login(page, live_server, "bundler")
    # Given the reports page, when the admin asks for the county's reports of 2022 as PDF and Word
    page.goto(f"{live_server.url}/admin/reports/")
    page.get_by_role("link", name="批量生成（本级及下级）").click()
    page.get_by_label("机构（含所属全部机构）").select_option(label=county.name)
    page.get_by_label("报告年度").fill("2022")
    page.get_by_label("Word（DOCX）").check()
    # (eagerly, the request itself renders the four files: seconds on this shared machine, not a page load)
    page.get_by_role("button", name="开始生成").click(no_wait_after=True)
    # then the job's page ends on the result: both organisations, four files, a download
    page.get_by_role("heading", name="年度报告批量生成：结果").wait_for(timeout=180_000)
    body = page.locator("main").inner_text()
    assert county.name in body and dept.name in body and "下载压缩包（4 个文件" in body
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("下载压缩包")).click()
    download = info.value
    assert download.suggested_filename == f"{county.name}2022年度报告汇编.zip"
    with zipfile.ZipFile(io.BytesIO(open(download.path(), "rb").read())) as archive:  # noqa: SIM115
        names = archive.namelist()
    assert len(names) == 5 and "目录.csv" in names and sum(n.endswith(".pdf") for n in names) == 2


def test_a_clerk_imports_a_ledger_and_reads_the_bad_rows(page, live_server, org_tree, tmp_path):
    staff(Role.CLERK, org_tree["own"], username="ledgerclerk")
    bad = tmp_path / "台账.csv"
    bad.write_text(
        "收到日期,申请渠道,申请人类型,申请人,申请内容,办理结果,答复日期\n2026-02-30,当面提交,自然人,张三,甲,予以公开,\n",
        encoding="utf-8",
    )
    _login(page, live_server, "ledgerclerk")
    page.goto(f"{live_server.url}/admin/applications/ledger/")
    page.get_by_label("文件（CSV 或 XLSX）").set_input_files(str(bad))
    page.get_by_role("button", name="导入").click()
    page.get_by_role("heading", name="导入台账：结果").wait_for()
    body = page.locator("main").inner_text()
    assert "未导入任何数据" in body and "日期「2026-02-30」不存在" in body
    page.get_by_role("link", name="再导入一个文件").click()
    page.wait_for_url(re.compile(r"/admin/applications/ledger/$"))
