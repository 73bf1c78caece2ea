"""Issue 18: the back office used every day, in a real browser on the demo data, as each staff role of the demo
(公开办管理员 gkb, the 县政府办 clerk jbr and reviewer shr, the 财政局 clerk czj, the city's read-only 上级 shiji),
at 1280 px and at 375 px: axe-core finds no violation of any impact (with every step form opened), no page
scrolls sideways on a phone, and an irreversible action asks before it is done."""

from __future__ import annotations

import re

import pytest

from gongkai.accounts.models import User
from gongkai.applications.models import Application, Letter
from gongkai.backoffice.demo import load_demo
from gongkai.catalog.models import Item
from gongkai.core.models import Job
from gongkai.core.tests.axe import axe_violations, describe
from gongkai.orgs.models import Organisation
from gongkai.reports import services as report_services
from gongkai.reports.models import Report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Gongkai@Demo2026"  # noqa: S105 (the demo's published password)
WIDTHS = {"1280": {"width": 1280, "height": 900}, "375": {"width": 375, "height": 740}}


def _login(page, base, username):
    page.context.clear_cookies()
    page.goto(f"{base}/admin/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/admin/$"))


def _pages(county: Organisation) -> dict[str, list[str]]:
    """The daily pages of each role, on the demo's own records (found, not numbered)."""
    office = Organisation.objects.get(name="青山县人民政府办公室")
    finance = Organisation.objects.get(name="青山县财政局")
    jbr, gkb = User.objects.get(username="jbr"), User.objects.get(username="gkb")
    opened = Application.objects.filter(org=county, status="registered").first()
    working = Application.objects.filter(org=office, status="in_progress").first()
    finance_app = Application.objects.filter(org=finance).order_by("-pk").first()
    draft = Letter.objects.filter(application__org=office, issued_at__isnull=True).first()
    issued = Letter.objects.filter(issued_at__isnull=False).first()
    item = Item.objects.filter(org=county, status="published").first()
    published = Report.objects.filter(org=county, status="published").order_by("-year").first()
    assert opened and working and finance_app and draft and issued and item and published
    # a draft report of the 县政府办 (editor, findings) and two background jobs of the 公开办 (progress, failure)
    report = report_services.report_create(actor=jbr, org=office, year=published.year)
    running = Job.objects.create(kind="report_bundle", actor=gkb, org=county, status="running", progress=40,
                                 message="正在生成：青山县财政局")  # fmt: skip
    failed = Job.objects.create(kind="figures_import", actor=gkb, org=county, status="failed",
                                error="第3行：指标不属于该项目。")  # fmt: skip
    daily = ["/admin/", "/admin/applications/inbox/", "/admin/applications/", "/admin/catalog/", "/admin/reports/",
             "/admin/orgs/", "/admin/audit/"]  # fmt: skip
    return {
        "gkb": [
            *daily,
            "/admin/applications/?overdue=1",
            f"/admin/applications/{opened.pk}/",
            f"/admin/applications/{working.pk}/",
            f"/admin/applications/letters/{draft.pk}/",
            f"/admin/applications/letters/{issued.pk}/",
            "/admin/applications/new/",
            "/admin/applications/dashboard/",
            "/admin/applications/remedies/",
            "/admin/applications/ledger/",
            "/admin/notifications/",
            "/admin/archives/",
            f"/admin/catalog/{item.pk}/",
            "/admin/catalog/new/",
            "/admin/catalog/checks/",
            f"/admin/reports/{published.pk}/",
            "/admin/reports/new/",
            "/admin/reports/figures/",
            "/admin/report-check/",
            f"/admin/jobs/{running.pk}/",
            f"/admin/jobs/{failed.pk}/",
            "/admin/workdays/",
            f"/admin/workdays/{published.year + 1}/",
            f"/admin/orgs/{office.pk}/edit/",
            "/admin/users/",
            f"/admin/users/{jbr.pk}/",
            "/admin/account/tokens/",
        ],
        "jbr": [
            *daily,
            f"/admin/applications/{working.pk}/",
            f"/admin/applications/letters/{draft.pk}/",
            f"/admin/reports/{report.pk}/",
            f"/admin/reports/{report.pk}/edit/",
        ],
        "shr": [*daily, f"/admin/applications/{working.pk}/", f"/admin/reports/{report.pk}/"],
        "czj": [*daily, f"/admin/applications/{finance_app.pk}/", "/admin/catalog/new/"],
        "shiji": [*daily, f"/admin/applications/{working.pk}/", f"/admin/reports/{published.pk}/"],
    }


def test_daily_staff_pages_of_every_role_have_no_axe_violation_and_fit_a_phone(browser, live_server):
    load_demo(password=PASSWORD)
    county = Organisation.objects.get(name="青山县人民政府")
    pages = _pages(county)
    base = live_server.url
    failures: list[str] = []
    for width, viewport in WIDTHS.items():
        context = browser.new_context(locale="zh-CN", viewport=viewport)
        page = context.new_page()
        page.set_default_timeout(15000)
        try:
            for username, paths in pages.items():
                _login(page, base, username)
                for path in paths:
                    response = page.goto(base + path)
                    assert response and response.status == 200, (
                        f"{username} {path}：{response and response.status}"
                    )
                    # the step forms are checked too, not only their closed summaries
                    page.evaluate(
                        "document.querySelectorAll('main details').forEach(d => { d.open = true; })"
                    )
                    found = axe_violations(page)
                    if found:
                        failures.append(f"{username} {width}px {path}\n{describe(found)}")
                    scroll = page.evaluate("document.documentElement.scrollWidth")
                    if scroll > viewport["width"]:
                        failures.append(f"{username} {width}px {path}：页面横向溢出 {scroll}px")
        finally:
            context.close()
    assert not failures, "\n\n".join(failures)


def test_irreversible_staff_actions_ask_first_and_empty_lists_say_what_to_do(browser, live_server):
    load_demo(password=PASSWORD)
    base = live_server.url
    context = browser.new_context(locale="zh-CN", viewport=WIDTHS["375"])
    page = context.new_page()
    page.set_default_timeout(15000)
    asked: list[str] = []

    def dismiss(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    try:
        _login(page, base, "gkb")
        # 删除 on the organisation list: a danger button that asks; declining keeps the organisation
        page.goto(f"{base}/admin/orgs/")
        town = Organisation.objects.get(name="青山县城关镇人民政府")
        row = page.locator("tr", has_text=town.code)
        button = row.get_by_role("button", name="删除")
        assert "danger" in (button.get_attribute("class") or "")
        button.click()
        assert asked and "确认删除“青山县城关镇人民政府”" in asked[-1]
        assert page.url == f"{base}/admin/orgs/"
        assert Organisation.objects.filter(pk=town.pk, is_active=True).exists()
        # 撤回 and 废止 of a published item ask too (and are not styled as the way forward)
        item = Item.objects.filter(status="published").first()
        assert item
        page.goto(f"{base}/admin/catalog/{item.pk}/")
        page.get_by_label("撤回意见（必填）").fill("内容有误")
        page.get_by_role("button", name="撤回").click()
        assert "确认撤回这条信息吗" in asked[-1]
        page.get_by_role("button", name="废止").click()
        assert "确认废止这条信息吗" in asked[-1]
        item.refresh_from_db()
        assert item.status == "published"
        # an empty list says what to do next
        page.goto(f"{base}/admin/notifications/")
        empty = page.locator(".empty-state")
        assert "申请人选择电子邮件或短信接收通知后" in empty.inner_text()
    finally:
        context.close()
