"""Issue 18, defect 1: the demo's portal pages and the staff pages used daily fit a 375 px phone.

One real browser on the demo data: no page scrolls sideways (`scrollWidth <= 375`), the catalogue list of 20
items stays short (it was 8,135 px tall: a flex basis of 320 px turned into height in a column flexbox) and
every item's title, date and 索引号 is on screen. The annual report's 表三 scrolls inside its own region.
"""

from __future__ import annotations

import re

import pytest

from gongkai.applications.models import Application
from gongkai.backoffice.demo import load_demo
from gongkai.catalog.models import Item
from gongkai.orgs.models import Organisation
from gongkai.reports.models import Report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 740}
PASSWORD = "Gongkai@Demo2026"  # noqa: S105 (the demo's published password)


def _fits(page, url):
    page.goto(url)
    width = page.evaluate("document.documentElement.scrollWidth")
    height = page.evaluate("document.documentElement.scrollHeight")
    assert width <= PHONE["width"], f"{url} 在手机上横向溢出：{width}px"
    return height


def _login(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/admin/$"))


def test_demo_portal_and_daily_staff_pages_fit_a_phone(browser, live_server):
    load_demo(password=PASSWORD)
    county = Organisation.objects.get(name="青山县人民政府")
    code = county.code
    item = Item.objects.filter(org=county, status="published").first()
    report = Report.objects.filter(org=county, status="published").order_by("-year").first()
    application = Application.objects.filter(org__path__startswith=county.path).first()
    assert item and report and application
    context = browser.new_context(locale="zh-CN", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15000)
    base = live_server.url
    try:
        # The catalogue list with 20 items: short, and every item's title, date and 索引号 on screen
        height = _fits(page, f"{base}/gk/{code}/xxgk/")
        assert height < 5000, f"目录列表高 {height}px"
        rows = page.locator(".doc-list li")
        assert rows.count() == 20
        for i in range(rows.count()):
            for part in ("a", "time", ".doc-no"):
                box = rows.nth(i).locator(part).bounding_box()
                assert (
                    box and box["width"] > 0 and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
                )
            assert "索引号：" in rows.nth(i).inner_text()
        assert _fits(page, f"{base}/gk/{code}/fdzdgknr/") < 6000
        for path in ("/", f"/gk/{code}/", f"/gk/{code}/zhidu/", f"/gk/{code}/zhinan/", f"/gk/{code}/ysqgk/",
                     f"/gk/{code}/nianbao/", f"/gk/{code}/xxgk/{item.pk}/", f"/ysqgk/{code}/",
                     "/search/?q=%E9%9D%92%E5%B1%B1"):  # fmt: skip
            _fits(page, base + path)
        # The annual report: the page keeps the phone's width, 表三 scrolls inside its own region
        _fits(page, f"{base}/gk/{code}/nianbao/{report.year}/")
        region = page.get_by_role("region", name=re.compile("表三"))
        assert region.evaluate("el => el.scrollWidth > el.clientWidth")
        # The staff pages used every day (a 公开办 administrator sees the most)
        _login(page, live_server, "gkb")
        for path in ("/admin/", "/admin/applications/", f"/admin/applications/{application.pk}/",
                     "/admin/applications/dashboard/", "/admin/applications/remedies/",
                     "/admin/applications/ledger/", "/admin/catalog/", f"/admin/catalog/{item.pk}/",
                     "/admin/catalog/new/", "/admin/reports/", f"/admin/reports/{report.pk}/",
                     "/admin/workdays/", "/admin/orgs/", "/admin/audit/"):  # fmt: skip
            _fits(page, base + path)
        # A data table on a phone is one card per row, each value labelled with its column
        page.goto(f"{base}/admin/applications/")
        first = page.locator("main table tbody tr").first.locator("td").first
        assert first.get_attribute("data-label") == "申请编号"
        # An overdue card carries the mark on the whole card (issue 18, defect 5), not a bar beside its first line
        page.goto(f"{base}/admin/applications/?overdue=on")
        card = page.locator("main table tbody tr.is-overdue").first
        style = card.evaluate(
            "el => { const s = getComputedStyle(el); return [s.borderLeftWidth, s.borderTopColor]; }"
        )
        assert style == ["6px", "rgb(164, 14, 38)"], style
        assert card.locator(".badge-overdue").is_visible()
    finally:
        context.close()
