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


def test_a_batch_check_job_shows_its_progress_then_the_result(page, live_server, org_tree, luojiang):
    """The job's page polls its progress (jobs.js, no library) and shows the result when the job ends."""
    from django.core.files.base import ContentFile

    from gongkai.core.jobs.service import run_job
    from gongkai.core.models import Job, JobStatus
    from gongkai.reports.importing.jobs import REPORT_CHECK

    from . import synth
    from .conftest import seed as seed_file

    clerk = staff(Role.CLERK, org_tree["own"], username="rcjob")
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("用户名").fill(clerk.username)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    # Given a batch of three reports waiting for a worker (queued, as with a broker)
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("000.txt", seed_file("000").read_bytes())
        archive.writestr("001.txt", seed_file("004").read_bytes())
        archive.writestr("002.html", synth.to_html(luojiang))
    job = Job(
        kind=REPORT_CHECK, actor=clerk, params={"names": ["甲.txt", "乙.txt", "丙.html"], "output": "page"}
    )
    job.input.save("input.zip", ContentFile(buffer.getvalue()))
    # When the clerk opens the job's page, it shows the bar at 0 %
    page.goto(f"{live_server.url}/admin/jobs/{job.pk}/")
    bar = page.locator("progress#job-progress")
    assert bar.get_attribute("value") == "0"
    assert page.locator("#job-status").inner_text() == "排队中"
    # and follows the worker's progress without a reload
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, progress=40, message="已检查 1/3：甲.txt")
    page.locator("#job-message").filter(has_text="已检查 1/3：甲.txt").wait_for()
    assert (
        page.locator("#job-percent").inner_text() == "40"
        and page.locator("#job-status").inner_text() == "进行中"
    )
    # Then, when the job ends, the page turns into the result with the uploaded names
    run_job(job.pk)
    page.get_by_role("heading", name="年度报告检查结果").wait_for()
    body = page.locator("main").inner_text()
    assert "甲.txt" in body and "乙.txt" in body and "缺少表三。" in body


def test_clicking_a_findings_cell_shows_it_in_the_published_text(
    page, live_server, org_tree, luojiang, tmp_path
):
    """Issue 20: the check page shows where a finding's cell stands in the report, without leaving the page."""
    from . import synth

    clerk = staff(Role.CLERK, org_tree["own"], username="rcsource")
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("用户名").fill(clerk.username)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    # Given a report whose 表四 行政复议 总计 is one too high
    import copy

    wrong = copy.deepcopy(luojiang)  # the fixture's tables are shared constants
    wrong["table4"]["行政复议"]["总计"] += 1
    report = tmp_path / "洛江区.txt"
    report.write_text(synth.to_text(wrong), encoding="utf-8")
    page.goto(f"{live_server.url}/admin/report-check/")
    page.get_by_label("报告文件").set_input_files([str(report)])
    page.get_by_role("button", name="检查").click()
    page.get_by_role("heading", name="年度报告检查结果").wait_for()
    # When the reviewer clicks the 原文位置 of that cell
    page.locator("a.cell-source-link", has_text="总计").first.click()
    # Then the passage appears below the finding with the figure marked, and the page did not change
    mark = page.locator(".cell-source-panel mark").first
    mark.wait_for()
    assert mark.inner_text().replace(" ", "") == str(wrong["table4"]["行政复议"]["总计"])
    assert page.get_by_role("heading", name="年度报告检查结果").is_visible()
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        mark.scroll_into_view_if_needed()
        page.screenshot(path=str(tmp_path / f"cell-source-{width}.png"))
