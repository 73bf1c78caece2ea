"""The staff 登记回执 page in a real browser: its A4 layout comes from a static stylesheet, so the CSP
(style-src 'self') blocks nothing and the layout applies (red-team finding F6)."""

from __future__ import annotations

import re

import pytest

from gongkai.orgs.tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_receipt_page_is_laid_out_without_a_csp_violation(page, live_server, register, office):
    application = register("2026-03-02")
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("用户名").fill(office["clerk"].username)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    console.clear()
    page.goto(f"{live_server.url}/admin/applications/{application.pk}/receipt.html")
    heading = page.get_by_role("heading", name="政府信息公开申请登记回执")
    assert heading.evaluate("h => getComputedStyle(h).textAlign") == "center"
    assert page.locator("dl.facts").evaluate("d => getComputedStyle(d).display") == "grid"
    assert not [m for m in console if "Content Security Policy" in m], console
