"""Keyboard only through the public form with a deliberate error (issue 18, accessibility): the error summary
takes the focus and links to the field; the date and file widgets speak Chinese."""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_keyboard_submit_with_an_error_lands_on_the_summary(page, live_server, org_tree):
    page.goto(f"{live_server.url}/ysqgk/{org_tree['own'].code}/")
    # the browser's 「Choose Files」 is replaced by a Chinese label that names the chosen file
    picker = page.locator(".file-picker")
    assert picker.locator("label").inner_text() == "选择文件"
    assert picker.locator(".file-names").inner_text() == "未选择文件"
    page.set_input_files("#id_attachments", files=[{"name": "身份证.pdf", "mimeType": "application/pdf",
                                                    "buffer": b"%PDF-1.4\n%%EOF\n"}])  # fmt: skip
    assert "身份证.pdf" in picker.locator(".file-names").inner_text()
    # the honeypot is never reached with the Tab key
    for _ in range(40):
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") != "id_website"
    # fill only the name, leave 所需信息 and the consent empty, submit with the keyboard
    page.focus("#id_name")
    page.keyboard.type("赵六")
    page.focus("#id_phone")
    page.keyboard.type("13700000000")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_selector("#error-summary")
    assert page.title().startswith("错误：")
    assert page.evaluate("document.activeElement.id") == "error-summary"
    # the summary links to the field, and following the link puts the keyboard in it
    link = page.locator("#error-summary a", has_text=re.compile("所需信息的名称"))
    link.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#id_info_title"


def test_date_inputs_are_chinese_with_a_picker(page, live_server, org_tree):
    from gongkai.orgs.models import Role
    from gongkai.orgs.tests.factories import TEST_PASSWORD, staff

    staff(Role.CLERK, org_tree["own"], username="jbr9")
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("用户名").fill("jbr9")
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    page.goto(f"{live_server.url}/admin/workdays/")
    field = page.locator("input.date-input").first
    assert field.get_attribute("type") == "text" and field.get_attribute("pattern")
    page.get_by_role("button", name="选择日期").first.click()
    panel = page.get_by_role("dialog", name="选择日期")
    assert re.search(r"\d{4}年\d{1,2}月", panel.inner_text()) and "一" in panel.inner_text()
    panel.get_by_role("button", name=re.compile(r"年\d+月15日$")).click()
    assert re.fullmatch(r"\d{4}-\d{2}-15", field.input_value())
