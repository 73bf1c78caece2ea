"""What a new user's screenshots showed on the portal, checked where only a browser shows it: the report charts'
text at least 12 px on a phone and a desktop, the hint 「左右滑动查看完整表格」 above a table that scrolls sideways,
search results' dates on one line, an item's 下载PDF beside its 打印 at the row's end."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.catalog.tests.factories import published_item
from gongkai.core.actors import SYSTEM_TEST
from gongkai.reports import services, workflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
HINT = "左右滑动查看完整表格"

# Each chart text's size as drawn on the screen: its font size times the scale its SVG applies.
CHART_TEXT_PX = """Array.from(document.querySelectorAll("svg.report-chart text")).map(
  t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a)"""


def _published_report(org, year=2022):
    report = services.report_create(actor=SYSTEM_TEST, org=org, year=year)
    report = services.report_update_sections(
        actor=SYSTEM_TEST, report=report, sections={"一": "<p>总体情况。</p>"}
    )
    for step in (workflow.report_submit, workflow.report_approve):
        report = step(actor=SYSTEM_TEST, report=report)
    return workflow.report_publish(actor=SYSTEM_TEST, report=report, published_on=dt.date(year + 1, 1, 20))


def _open(browser, viewport, url):
    context = browser.new_context(locale="zh-CN", viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(url)
    return page


def test_report_charts_keep_12_px_text_and_a_scrolling_table_says_so(browser, live_server, org_tree):
    org = org_tree["own"]
    _published_report(org)
    url = f"{live_server.url}/gk/{org.code}/nianbao/2022/"
    for viewport in (PHONE, DESKTOP):
        page = _open(browser, viewport, url)
        try:
            sizes = page.evaluate(CHART_TEXT_PX)
            assert sizes and min(sizes) >= 12, (viewport, min(sizes or [0]))
            # every sideways-scrolling table has the hint right above it, and only those
            wraps = page.evaluate(
                """Array.from(document.querySelectorAll("main .table-wrap")).map(w => {
                     const hint = w.previousElementSibling;
                     return {scrolls: w.scrollWidth > w.clientWidth + 1,
                             hint: !!hint && hint.classList.contains("scroll-hint") && !hint.hidden
                                   && hint.offsetHeight > 0 ? hint.textContent : null};
                   })"""
            )
            assert wraps, viewport
            assert all(w["hint"] == (HINT if w["scrolls"] else None) for w in wraps), (viewport, wraps)
            if viewport is PHONE:  # 表三 does not fit a phone: its hint shows
                assert any(w["scrolls"] for w in wraps)
                shown = page.locator(".scroll-hint:not([hidden])").first
                assert shown.is_visible() and shown.text_content() == HINT
            # the page itself never scrolls sideways
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        finally:
            page.context.close()


def test_search_dates_stay_on_one_line(browser, live_server, org_tree):
    org = org_tree["own"]
    published_item(org, title="关于印发测试县财政专项资金管理办法实施细则的通知（修订稿）与配套解读材料汇编")
    page = _open(browser, PHONE, f"{live_server.url}/search/?q=%E8%B4%A2%E6%94%BF")
    try:
        dates = page.locator("ol.results .doc-meta time")
        assert dates.count() == 1
        assert dates.first.evaluate("t => getComputedStyle(t).whiteSpace") == "nowrap"
        assert dates.first.evaluate("t => t.getClientRects().length") == 1
    finally:
        page.context.close()


def test_an_items_pdf_link_sits_with_its_print_button(browser, live_server, org_tree):
    org = org_tree["own"]
    item = published_item(org, title="测试县政府信息公开工作制度")
    for viewport in (DESKTOP, PHONE):
        page = _open(browser, viewport, f"{live_server.url}/gk/{org.code}/xxgk/{item.pk}/")
        try:
            row = page.locator(".doc-tools").bounding_box()
            pdf = page.get_by_role("link", name="下载PDF").bounding_box()
            printer = page.get_by_role("button", name="打印").bounding_box()
            assert row and pdf and printer
            # together, the 下载PDF first, at the end of the row (not floating in its middle)
            same_line = abs(pdf["y"] - printer["y"]) < printer["height"]
            assert same_line and 0 <= printer["x"] - (pdf["x"] + pdf["width"]) <= 32, (viewport, pdf, printer)
            assert printer["x"] + printer["width"] >= row["x"] + row["width"] - 2, (viewport, printer, row)
            assert pdf["x"] > row["x"] + row["width"] / 2, (viewport, pdf, row)
        finally:
            page.context.close()
