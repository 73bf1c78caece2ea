"""The portal in a real browser (issue 18): axe-core on every public page type (the staff pages used daily, for
every role and at both widths: backoffice/tests/test_staff_pages_browser.py),
长者模式 and reading aloud, printing, the column tree on phones, 表三 at 320 px."""

from __future__ import annotations

import re

import pytest

from gongkai.backoffice.demo import load_demo
from gongkai.catalog.models import Item
from gongkai.catalog.tests.factories import published_item
from gongkai.core.tests.axe import axe_violations, describe
from gongkai.core.tests.browser import wait_until
from gongkai.orgs.models import Organisation
from gongkai.reports.models import Report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Gongkai@Demo2026"  # noqa: S105 (the demo's published password)

# A stand-in for the browser's speech engine (headless Chromium has no voices): it records what would be said.
FAKE_SPEECH = """
window.__spoken = [];
Object.defineProperty(window, "speechSynthesis", { configurable: true, value: {
  speak: function (u) { window.__spoken.push(u.text); setTimeout(function () { if (u.onstart) u.onstart(); if (u.onend) u.onend(); }, 5); },
  cancel: function () {}, getVoices: function () { return []; }
}});
window.__printed = 0;
window.print = function () { window.__printed += 1; };
"""


def _clean(page, url, failures, label=""):
    page.goto(url)
    found = axe_violations(page)
    if found:
        failures.append(f"{label}{url}\n{describe(found)}")


def test_axe_finds_no_violation_on_public_pages(browser, live_server):
    load_demo(password=PASSWORD)
    county = Organisation.objects.get(name="青山县人民政府")
    c = county.code
    item = Item.objects.filter(org=county, status="published").first()
    report = Report.objects.filter(org=county, status="published").order_by("-year").first()
    assert item and report
    base = live_server.url
    public = ["/", f"/gk/{c}/", f"/gk/{c}/zhinan/", f"/gk/{c}/zhidu/", f"/gk/{c}/fdzdgknr/", f"/gk/{c}/xxgk/",
              f"/gk/{c}/xxgk/?item=a20_01", f"/gk/{c}/xxgk/{item.pk}/", f"/gk/{c}/nianbao/",
              f"/gk/{c}/nianbao/{report.year}/", f"/gk/{c}/ysqgk/", f"/ysqgk/{c}/", "/ysqgk/status/",
              "/search/?q=%E8%B4%A2%E6%94%BF", f"/search/?q=%E8%B4%A2%E6%94%BF&org={c}&item=a20_07",
              "/search/?q=%E8%88%AA%E5%A4%A9", "/wuzhangai/", "/admin/login/"]  # fmt: skip
    failures: list[str] = []
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        for path in public:
            _clean(page, base + path, failures)
        # the public form after a failed submit (the error summary, 「错误：」 in the title, the fields marked)
        page.goto(f"{base}/ysqgk/{c}/")
        page.get_by_role("button", name="提交申请").click()
        page.wait_for_selector("#error-summary")
        found = axe_violations(page)
        if found:
            failures.append(f"申请表（提交出错后）\n{describe(found)}")
        # the same public pages in 长者模式 (larger text, other colours: contrast is checked again)
        page.evaluate("localStorage.setItem('gk.elder', '1')")
        for path in public:
            _clean(page, base + path, failures, "长者模式 ")
        page.evaluate("localStorage.removeItem('gk.elder')")
        # on a phone, the column tree is a collapsed 「栏目导航」
        phone = browser.new_context(locale="zh-CN", viewport={"width": 375, "height": 740}).new_page()
        for path in (f"/gk/{c}/xxgk/{item.pk}/", f"/gk/{c}/"):
            _clean(phone, base + path, failures, "手机 ")
        phone.context.close()
    finally:
        context.close()
    assert not failures, "\n\n".join(failures)


def test_report_table3_scrolls_in_its_own_region_at_320_px(browser, live_server):
    load_demo(password=PASSWORD)
    county = Organisation.objects.get(name="青山县人民政府")
    report = Report.objects.filter(org=county, status="published").order_by("-year").first()
    assert report
    context = browser.new_context(locale="zh-CN", viewport={"width": 320, "height": 640})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/gk/{county.code}/nianbao/{report.year}/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        region = page.get_by_role("region", name=re.compile("表三"))
        assert region.evaluate("el => el.scrollWidth > el.clientWidth")
        # the region is reachable with the keyboard, so it can be scrolled without a mouse
        assert region.get_attribute("tabindex") == "0"
        # and the chart's figures are in a table behind it
        page.get_by_text("查看图表数据").first.click()
        assert page.get_by_role("table", name="每月收到申请（件）").is_visible()
    finally:
        context.close()


def test_elder_mode_is_switched_in_the_browser_and_remembered(page, live_server, org_tree):
    own = org_tree["own"]
    item = published_item(own, title="测试县城乡居民最低生活保障实施办法")
    page.add_init_script(FAKE_SPEECH)
    url = f"{live_server.url}/gk/{own.code}/"
    page.goto(url)
    served = page.evaluate("url => fetch(url).then(r => r.text())", url)
    switch = page.get_by_role("button", name="长者模式")
    assert switch.is_visible() and switch.get_attribute("aria-pressed") == "false"
    normal_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    # switching on: larger text, high contrast, the large pointer; the switch says it is on
    switch.click()
    assert switch.get_attribute("aria-pressed") == "true"
    assert page.evaluate("document.documentElement.classList.contains('elder')")
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= normal_size * 1.2
    assert "cursor-large.svg" in page.evaluate("getComputedStyle(document.body).cursor")
    assert page.evaluate("getComputedStyle(document.body).color") == "rgb(0, 0, 0)"
    # the toolbar is part of the page, not an overlay on top of it
    assert page.evaluate("getComputedStyle(document.querySelector('.topbar')).position") == "static"
    # remembered by this browser: the next page opens in 长者模式 (before any click)
    page.goto(f"{live_server.url}/gk/{own.code}/xxgk/{item.pk}/")
    assert page.evaluate("document.documentElement.classList.contains('elder')")
    assert page.get_by_role("button", name="长者模式").get_attribute("aria-pressed") == "true"
    # and the server sent the same page as before: the mode lives in the browser only (pages stay cacheable)
    assert page.evaluate("url => fetch(url).then(r => r.text())", url) == served
    # reading aloud: the page's blocks in order, starting with its title
    page.get_by_role("button", name="朗读本页").click()
    wait_until(page, "window.__spoken.length >= 3")
    spoken = page.evaluate("window.__spoken")
    assert spoken[0] == "测试县城乡居民最低生活保障实施办法"
    # 指读 (in 长者模式): what the keyboard reaches is read out
    page.get_by_role("button", name="指读").click()
    page.evaluate("window.__spoken = []")
    page.get_by_role("link", name="无障碍声明").first.focus()
    # (the page may still be reading aloud: a block can be said before the focus is; the focus stops that reading)
    wait_until(page, "window.__spoken.includes('无障碍声明')")
    assert page.evaluate("window.__spoken")[-1] == "无障碍声明"
    # switching off returns to the standard view, also on the next page
    page.get_by_role("button", name="长者模式").click()
    page.goto(url)
    assert not page.evaluate("document.documentElement.classList.contains('elder')")
    assert not page.get_by_role("button", name="指读").is_visible()


def test_print_button_and_printed_page(page, live_server, org_tree):
    own = org_tree["own"]
    item = published_item(own, title="测试县政府信息公开工作制度")
    page.add_init_script(FAKE_SPEECH)
    page.goto(f"{live_server.url}/gk/{own.code}/xxgk/{item.pk}/")
    page.get_by_role("button", name="打印").click()
    assert page.evaluate("window.__printed") == 1
    page.emulate_media(media="print")
    for hidden in (".topbar", "nav.main", ".breadcrumbs", "nav.side", ".masthead .searchbox", "[data-print]"):
        assert page.evaluate(f"getComputedStyle(document.querySelector('{hidden}')).display") == "none", (
            hidden
        )
    assert page.get_by_role("heading", level=1).is_visible()
    assert page.locator(".doc-meta-block").is_visible()


def test_column_tree_is_open_on_a_desktop_and_collapsed_on_a_phone(browser, live_server, org_tree):
    own = org_tree["own"]
    for viewport, opened in (({"width": 1280, "height": 900}, True), ({"width": 375, "height": 740}, False)):
        context = browser.new_context(locale="zh-CN", viewport=viewport)
        page = context.new_page()
        try:
            page.goto(f"{live_server.url}/gk/{own.code}/fdzdgknr/")
            tree = page.get_by_role("navigation", name="栏目导航")
            link = tree.get_by_role("link", name=re.compile("财政预算、决算信息"))
            assert link.is_visible() is opened
            if not opened:
                tree.get_by_text("栏目导航").click()
                assert link.is_visible()
        finally:
            context.close()


def _tab_to(page, element_id, limit=120):
    """Press Tab until the element with ``element_id`` has the focus (keyboard only); the number of presses."""
    for n in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == element_id:
            return n
    raise AssertionError(f"按 {limit} 次 Tab 键仍未到达 #{element_id}")


def test_keyboard_only_application_with_an_error_lands_on_the_announced_summary(page, live_server, org_tree):
    own = org_tree["own"]
    page.goto(f"{live_server.url}/gk/{own.code}/ysqgk/")
    # from the 专栏's 依申请公开 column to the form, by keyboard only
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "跳到正文"
    link = page.get_by_role("link", name="在线提交政府信息公开申请")
    for _ in range(60):
        page.keyboard.press("Tab")
        if link.evaluate("el => el === document.activeElement"):
            break
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # fill the name and a phone number, leave 所需信息 and the 承诺 empty, submit with Enter
    _tab_to(page, "id_name")
    page.keyboard.type("赵六")
    _tab_to(page, "id_phone")
    page.keyboard.type("13700000000")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # what landed: the error summary has the focus, and what a screen reader announces is its heading
    landed = page.evaluate("""() => { const el = document.activeElement;
        const name = document.getElementById(el.getAttribute('aria-labelledby') || '');
        return {id: el.id, name: name ? name.textContent.trim() : '', links: [...el.querySelectorAll('a')].map(a => a.textContent)}; }""")
    assert landed["id"] == "error-summary"
    assert re.fullmatch(r"提交未成功，请修改以下\d处问题", landed["name"])
    assert any("所需信息的名称" in t for t in landed["links"]) and any(
        "承诺" in t or "同意" in t for t in landed["links"]
    )
    assert page.title().startswith("错误：")
    # a link of the summary takes the keyboard to its field, which says it is invalid and why
    for _ in range(len(landed["links"])):
        page.keyboard.press("Tab")
        if "所需信息的名称" in page.evaluate("document.activeElement.textContent"):
            break
    assert page.evaluate("document.activeElement.closest('#error-summary') !== null")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#id_info_title"
    field = page.locator("#id_info_title")
    assert field.get_attribute("aria-invalid") == "true"
    described = field.get_attribute("aria-describedby") or ""
    assert "id_info_title_error" in described and page.locator("#id_info_title_error").inner_text().strip()
