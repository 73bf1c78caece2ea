"""The report pages as a new user met them: the format named by its edition (「2021年版」, never the code), the
year's publication date as the first published version's (a correction keeps it), and a published version that
cannot be edited answered with the project's Chinese 403 page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from gongkai.catalog.tests.factories import published_item
from gongkai.core.actors import SYSTEM_TEST
from gongkai.orgs.models import Role
from gongkai.orgs.tests.factories import staff
from gongkai.reports import services, workflow
from gongkai.reports.definitions import FORMAT_CODES, format_label
from gongkai.reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


def publish(org, year=2022, on=dt.date(2023, 1, 20)):
    report = services.report_create(actor=SYSTEM_TEST, org=org, year=year)
    report = services.report_update_sections(
        actor=SYSTEM_TEST, report=report, sections={"一": "<p>总体情况良好。</p>"}
    )
    for step in (workflow.report_submit, workflow.report_approve):
        report = step(actor=SYSTEM_TEST, report=report)
    return workflow.report_publish(actor=SYSTEM_TEST, report=report, published_on=on)


def correct(report, on=None):
    """A correction (第2版…), published on ``on`` or left in draft."""
    correction = workflow.report_correct(actor=SYSTEM_TEST, report=report, change_note="更正表三")
    if on is None:
        return correction
    for step in (workflow.report_submit, workflow.report_approve):
        correction = step(actor=SYSTEM_TEST, report=correction)
    return workflow.report_publish(actor=SYSTEM_TEST, report=correction, published_on=on)


def test_every_format_code_has_an_edition_label_that_is_not_the_code():
    labels = {code: format_label(code) for code in FORMAT_CODES}
    assert labels == {"pre2019": "2019年以前", "2019": "2019年版", "2021": "2021年版"}
    assert format_label("2030") == "未知格式"


def test_staff_pages_name_the_format_by_its_edition(client, org_tree):
    org = org_tree["own"]
    r2021 = ReportFactory(org=org, year=2022, format="2021")
    ReportFactory(org=org, year=2020, format="2019")
    client.force_login(staff(Role.CLERK, org))
    listing = client.get("/admin/reports/").content.decode()
    assert "<td>2021年版</td>" in listing and "<td>2019年版</td>" in listing
    assert "<td>2021</td>" not in listing and "<td>2019</td>" not in listing
    detail = client.get(f"/admin/reports/{r2021.pk}/").content.decode()
    assert "格式：2021年版" in detail and "格式：2021年 " not in detail


def test_the_year_overview_gives_the_first_publication_date(client, org_tree):
    # given a 2022 report published on 20 January 2023, corrected on 1 February, and a further correction in draft
    org = org_tree["own"]
    first = publish(org, 2022, dt.date(2023, 1, 20))
    second = correct(first, dt.date(2023, 2, 1))
    correct(second)
    client.force_login(staff(Role.OFFICE_ADMIN, org))
    page = client.get("/admin/reports/?year=2022").content.decode()
    row = page.split(f"<tr><td>{org.name}</td>")[1].split("</tr>")[0]
    # then the 年度报告进度 row gives the first publication, and the draft correction does not make it overdue
    assert '<td class="first-published">2023年1月20日</td>' in row
    assert "2023年2月1日" not in row and "已逾期" not in row


def test_the_public_year_list_gives_the_first_publication_date(client, org_tree):
    org = org_tree["own"]
    correct(publish(org, 2022, dt.date(2023, 1, 20)), dt.date(2023, 2, 1))
    column = client.get(f"/gk/{org.code}/nianbao/").content.decode()
    assert (
        '<span class="date">2023-01-20</span> · 第2版（<span class="date">2023-02-01</span>更正）' in column
    )
    home = client.get(f"/gk/{org.code}/").content.decode()
    assert '<time datetime="2023-01-20">2023-01-20</time>' in home


def test_editing_a_published_report_answers_the_chinese_403_page_with_the_way_to_correct(client, org_tree):
    report = publish(org_tree["own"])
    client.force_login(staff(Role.CLERK, org_tree["own"]))
    for method in (client.get, client.post):
        response = method(f"/admin/reports/{report.pk}/edit/")
        html = response.content.decode()
        assert response.status_code == 403 and "403.html" in [t.name for t in response.templates]
        assert "<h1>不能执行此操作（403）</h1>" in html
        assert (
            '<p class="lead" id="refusal">已发布的年度报告不能修改。需要更正的，请在报告页面点击“新建更正版本”'
            in html
        )
        assert '<a href="/admin/">返回工作台</a>' in html and 'lang="zh-CN"' in html


def test_editing_a_published_item_answers_the_chinese_403_page_with_the_way_to_change_it(client, org_tree):
    item = published_item(org_tree["own"], title="测试县政府信息公开工作制度")
    client.force_login(staff(Role.CLERK, org_tree["own"]))
    response = client.get(f"/admin/catalog/{item.pk}/edit/")
    html = response.content.decode()
    assert response.status_code == 403 and "403.html" in [t.name for t in response.templates]
    assert "<h1>不能执行此操作（403）</h1>" in html
    assert "已发布的信息不能直接修改。需要修改的，请由审核人或公开办管理员先“撤回”，再“重新编辑”" in html
    # the reason stands in place of the general sentence about permissions
    assert "您没有权限访问此页面" not in html


def test_a_form_sent_without_its_csrf_token_answers_in_chinese(org_tree):
    report = ReportFactory(org=org_tree["own"], year=2022)
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff(Role.CLERK, org_tree["own"]))
    response = client.post(f"/admin/reports/{report.pk}/edit/", {"一": "<p>改</p>"})
    html = response.content.decode()
    assert response.status_code == 403 and "<h1>提交未成功（403）</h1>" in html and "页面已过期" in html
    assert "Forbidden" not in html and "CSRF" not in html
