"""Real browser journey (issue 18, defect 2): a clerk types paragraphs and a table into a catalogue item's 正文 and
into a report section with the rich-text editor, and sees them in the published HTML and in the PDF — under the
real CSP, with no violation reported by the browser."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pdfplumber
import pytest
from axe_playwright_python.sync_playwright import Axe

from gongkai.catalog import workflow as catalog_workflow
from gongkai.catalog.models import Item
from gongkai.core.actors import SYSTEM_TEST
from gongkai.orgs.models import Role
from gongkai.orgs.tests.factories import TEST_PASSWORD, staff
from gongkai.reports import workflow as report_workflow
from gongkai.reports.models import Report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"  # as conftest.py: screenshots to look at

# Collects what the browser refuses under the CSP (an inline style or script, a foreign origin).
WATCH_CSP = """window.__csp = []; document.addEventListener("securitypolicyviolation",
  function (e) { window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline")); });"""


def _login(page, live_server, username):
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/admin/$"))


def _type_paragraphs_and_table(page, editor, toolbar, paragraphs, rows):
    """Type paragraphs (Enter between them), then a table through the toolbar (Tab moves to the next cell)."""
    editor.click()
    for text in paragraphs:
        page.keyboard.type(text)
        page.keyboard.press("Enter")
    toolbar.get_by_role("button", name="插入表格").click()
    cells = [cell for row in rows for cell in row]
    for i, text in enumerate(cells):
        if i:
            page.keyboard.press("Tab")
        page.keyboard.type(text)
    # the table has three rows of three cells: drop the empty last row, as a clerk would
    page.keyboard.press("ArrowDown")
    toolbar.get_by_role("button", name="删除行").click()


def _shots(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-1280.png"), full_page=True)
    page.set_viewport_size({"width": 375, "height": 800})
    page.screenshot(path=str(ARTIFACTS / f"{name}-375.png"), full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    page.set_viewport_size({"width": 1280, "height": 900})
    return overflow


def _has_line(lines: list[str], expected: str) -> bool:
    """A line of the PDF's text is exactly ``expected``. Chromium's PDF text layer names some ideographs by the
    radical that shares their glyph in the font (⼀ U+2F00 for 一, ⺠ U+2EA0 for 民): such a character stands for
    the ideograph in its place."""
    pattern = "".join(f"[{re.escape(c)}\u2e80-\u2fdf]" for c in expected)
    return any(re.fullmatch(pattern, line) for line in lines)


def _axe_violations(page) -> list[str]:
    """axe-core's findings of any impact on the page as it is (editor mounted, content typed)."""
    return [f"{v['id']} ({v['impact']}): {v['help']}" for v in Axe().run(page).response["violations"]]


def _pdf_lines(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        text = "\n".join(p.extract_text() or "" for p in pdf.pages)
    return [line.replace(" ", "") for line in text.splitlines()]


def test_clerk_types_paragraphs_and_a_table_into_an_item_and_a_report(page, live_server, org_tree):
    org = org_tree["own"]
    staff(Role.CLERK, org, username="editor1")
    page.add_init_script(WATCH_CSP)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    _login(page, live_server, "editor1")
    _catalogue_item(page, live_server, org)
    _report_section(page, live_server, org)
    # And no script failed on any page
    assert errors == []


def _catalogue_item(page, live_server, org):
    # Given a clerk drafting a catalogue item: two paragraphs, a table and a bold line typed in the editor
    page.goto(f"{live_server.url}/admin/catalog/new/")
    page.locator(".rte-content").wait_for()
    page.get_by_label("名称").fill("青山县2026年惠民补贴发放情况")
    body = page.get_by_role("textbox", name="正文")
    toolbar = page.get_by_role("toolbar", name="格式工具栏")
    _type_paragraphs_and_table(
        page,
        body,
        toolbar,
        ["第一段：补贴已按时足额发放。", "第二段：发放明细如下表。"],
        [["项目", "户数", "金额"], ["耕地地力补贴", "1200", "96万元"]],
    )
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    toolbar.get_by_role("button", name="加粗").click()
    assert toolbar.get_by_role("button", name="加粗").get_attribute("aria-pressed") == "true"
    page.keyboard.type("监督电话：12345。")
    overflow = _shots(page, "editor-catalogue")
    assert overflow <= 0  # the editor and its toolbar fit a phone
    assert page.evaluate("window.__csp") == []  # the editor writes no inline style or script
    assert _axe_violations(page) == []
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_url(re.compile(r"/admin/catalog/\d+/$"))
    item = Item.objects.get()
    assert item.body.startswith(
        "<p>第一段：补贴已按时足额发放。</p><p>第二段：发放明细如下表。</p><table><thead>"
    )
    for step in ("submit", "secrecy_pass", "publish"):
        item = catalog_workflow.item_transition(actor=SYSTEM_TEST, item=item, step=step)

    # Then the published page has the paragraphs and the table, and so has the page printed to PDF
    page.goto(f"{live_server.url}/gk/{org.code}/xxgk/{item.pk}/")
    doc_body = page.locator(".doc-body")
    assert doc_body.locator("p").nth(0).inner_text() == "第一段：补贴已按时足额发放。"
    assert doc_body.locator("p").nth(1).inner_text() == "第二段：发放明细如下表。"
    assert doc_body.locator("table th").all_inner_texts() == ["项目", "户数", "金额"]
    assert doc_body.locator("table td").all_inner_texts() == ["耕地地力补贴", "1200", "96万元"]
    assert doc_body.locator("strong").inner_text() == "监督电话：12345。"
    lines = _pdf_lines(page.pdf(format="A4"))
    assert _has_line(lines, "第一段：补贴已按时足额发放。") and _has_line(
        lines, "第二段：发放明细如下表。"
    ), lines
    assert _has_line(lines, "耕地地力补贴120096万元"), lines


def _report_section(page, live_server, org):
    # Given the clerk's report for 2022: paragraphs and a table in 一, and the generated paragraph for 三
    page.goto(f"{live_server.url}/admin/reports/new/")
    page.get_by_label("机构").select_option(label=org.name)
    page.get_by_label("报告年度").fill("2022")
    page.get_by_role("button", name="保存").click()
    page.get_by_role("link", name="编辑正文").click()
    page.locator(".rte-content").first.wait_for()
    section = page.locator(".report-section-field").nth(0)
    _type_paragraphs_and_table(
        page,
        section.get_by_role("textbox", name="一、总体情况"),
        section.get_by_role("toolbar"),
        ["本年度，本机关认真贯彻落实《条例》。", "全年主动公开政府信息情况见下表。"],
        [["类别", "条数", "备注"], ["政策文件", "35", "均已公开"]],
    )
    page.locator("button[data-insert-into='三']").click()  # inserted in the editor, as a paragraph
    # once: a second click would put a second copy in
    assert page.locator("button[data-insert-into='三']").is_disabled()
    third = page.get_by_role("textbox", name="三、收到和处理政府信息公开申请情况")
    assert third.locator("p").first.inner_text().startswith("2022年，共收到政府信息公开申请0件")
    assert "<p>" not in third.inner_text()
    overflow = _shots(page, "editor-report-section")
    assert overflow <= 0
    assert page.evaluate("window.__csp") == []
    assert _axe_violations(page) == []
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_url(re.compile(r"/admin/reports/\d+/$"))
    report = Report.objects.get()
    assert report.sections["三"].startswith("<p>2022年，共收到政府信息公开申请0件")
    for step in (report_workflow.report_submit, report_workflow.report_approve):
        report = step(actor=SYSTEM_TEST, report=report)
    report_workflow.report_publish(actor=SYSTEM_TEST, report=report, published_on=dt.date(2023, 1, 18))

    # Then the public report has them as paragraphs and a table, and its PDF has them line by line
    page.goto(f"{live_server.url}/gk/{org.code}/nianbao/2022/")
    first = page.locator("#section-一")
    assert first.locator("p").nth(0).inner_text() == "本年度，本机关认真贯彻落实《条例》。"
    assert first.locator("p").nth(1).inner_text() == "全年主动公开政府信息情况见下表。"
    assert first.locator("table th").all_inner_texts() == ["类别", "条数", "备注"]
    response = page.request.get(f"{live_server.url}/gk/{org.code}/nianbao/2022/report.pdf")
    assert response.ok
    lines = _pdf_lines(response.body())
    assert _has_line(lines, "本年度，本机关认真贯彻落实《条例》。"), lines
    assert _has_line(lines, "全年主动公开政府信息情况见下表。") and _has_line(lines, "政策文件35均已公开"), (
        lines
    )
    html = page.request.get(f"{live_server.url}/gk/{org.code}/nianbao/2022/report.html").text()
    assert "<p>本年度，本机关认真贯彻落实《条例》。</p>" in html and '<th scope="col">类别</th>' in html
    assert page.evaluate("window.__csp") == []  # the browser refused nothing under the CSP


def test_figures_form_offers_only_the_indicators_of_the_chosen_project_in_the_years_format(
    page, live_server, org_tree
):
    org = org_tree["own"]
    staff(Role.CLERK, org, username="figures1")
    page.add_init_script(WATCH_CSP)
    _login(page, live_server, "figures1")
    page.goto(f"{live_server.url}/admin/reports/figures/")
    form = page.locator("form[data-table2-form]")
    year, project, indicator = form.get_by_label("年度"), form.get_by_label("项目"), form.get_by_label("指标")

    def options(select):
        return select.locator("option").all_inner_texts()

    # On arrival (last year, 2021 format) the first 项目 and its first indicator are chosen
    assert project.evaluate("s => s.selectedOptions[0].textContent") == "第二十条第（一）项 规章"
    assert indicator.evaluate("s => s.selectedOptions[0].textContent") == "本年制发件数"
    # Given a 2025 figure (2021 format): 行政许可 has one indicator, and no 2019-only 项目 is offered
    year.fill("2025")
    project.select_option(label="第二十条第（五）项 行政许可")
    assert options(indicator) == ["本年处理决定数量"]
    assert "第二十条第（五）项 其他对外管理服务事项" not in options(project)
    assert form.get_by_text("2025年度适用2021年格式。").is_visible()
    # When the year is 2020 (2019 format), the same 项目 offers the 2019 indicators, in the format's order
    year.fill("2020")
    assert options(indicator) == ["上一年项目数量", "本年增/减", "处理决定数量"]
    assert options(project)[:2] == ["第二十条第（一）项 规章", "第二十条第（一）项 规范性文件"]
    # And a 2021-format 项目 gives its own indicators
    year.fill("2024")
    project.select_option(label="第二十条第（八）项 行政事业性收费")
    assert options(indicator) == ["本年收费金额（单位：万元）"]
    # When the clerk saves a figure, it is stored under the chosen cell
    form.get_by_label("机构").select_option(label=org.name)
    form.get_by_label("数值").fill("12.5")
    form.get_by_label("数据来源").fill("县财政局")
    page.get_by_role("button", name="保存").first.click()
    assert page.get_by_text("表二数据已保存。").is_visible()
    assert page.evaluate("window.__csp") == []
    assert _axe_violations(page) == []
    overflow = _shots(page, "table2-figures-form")
    assert overflow <= 0


def test_links_are_checked_in_chinese_and_the_textarea_works_without_javascript(
    browser, page, live_server, org_tree
):
    org = org_tree["own"]
    staff(Role.CLERK, org, username="editor2")
    _login(page, live_server, "editor2")
    page.goto(f"{live_server.url}/admin/catalog/new/")
    page.locator(".rte-content").wait_for()
    page.get_by_label("名称").fill("链接测试")
    page.get_by_role("textbox", name="正文").click()
    page.keyboard.type("详见中国政府网")
    page.keyboard.press("Shift+Home")
    toolbar = page.get_by_role("toolbar", name="格式工具栏")
    # When the clerk links the selection to an address without a scheme, the panel says why in Chinese
    toolbar.get_by_role("button", name="链接", exact=True).click()
    address = page.get_by_label("链接地址")
    address.fill("www.gov.cn")
    page.get_by_role("button", name="确定").click()
    assert page.get_by_text("链接地址须以 http://、https:// 或 mailto: 开头").is_visible()
    assert address.get_attribute("aria-invalid") == "true"
    address.fill("https://www.gov.cn/")
    address.press("Enter")
    assert toolbar.get_by_role("button", name="链接", exact=True).get_attribute("aria-pressed") == "true"
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_url(re.compile(r"/admin/catalog/\d+/$"))
    item = Item.objects.get()
    assert item.body == '<p><a href="https://www.gov.cn/" rel="noopener noreferrer">详见中国政府网</a></p>'

    # Given a clerk whose browser runs no JavaScript: the textarea is the editor, lines become paragraphs
    context = browser.new_context(locale="zh-CN", java_script_enabled=False)
    try:
        plain = context.new_page()
        _login(plain, live_server, "editor2")
        plain.goto(f"{live_server.url}/admin/catalog/new/")
        plain.get_by_label("名称").fill("无脚本测试")
        plain.get_by_label("正文").fill("第一段：a < b 的情形。\n第二段。")
        plain.get_by_role("button", name="保存草稿").click()
        plain.wait_for_url(re.compile(r"/admin/catalog/\d+/$"))
        item = Item.objects.get(title="无脚本测试")
        assert item.body == "<p>第一段：a &lt; b 的情形。</p><p>第二段。</p>"
        # and editing it again shows lines of text, not tags
        plain.goto(f"{live_server.url}/admin/catalog/{item.pk}/edit/")
        assert plain.get_by_label("正文").input_value() == "第一段：a < b 的情形。\n第二段。"
    finally:
        context.close()
