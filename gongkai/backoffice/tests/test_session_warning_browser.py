"""The warning before the staff session's 30-minute idle timeout (issue 18, WCAG 2.2.1), in a real browser whose
clock the test moves (no waiting): a dialog two minutes before the end offers to stay signed in; staying renews
the session on the server; letting it run out says so and offers to sign in again, keeping the page."""

from __future__ import annotations

import re

import pytest

from gongkai.core.tests.browser import wait_until
from gongkai.orgs.models import Role
from gongkai.orgs.tests.factories import TEST_PASSWORD, staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_idle_warning_offers_to_stay_signed_in_and_says_when_the_session_ended(page, live_server, org_tree):
    staff(Role.CLERK, org_tree["own"], username="jbr8")
    page.clock.install()
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("用户名").fill("jbr8")
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    dialog = page.get_by_role("dialog", name="即将自动退出")
    assert not dialog.is_visible()
    # 27 minutes without a request: nothing yet
    page.clock.run_for("27:00")
    assert not dialog.is_visible()
    # 28 minutes: the warning, with the time left, and the keyboard on 「继续使用」
    page.clock.run_for("01:05")
    assert dialog.is_visible()
    assert re.search(r"还剩 1分5\d秒", dialog.inner_text())
    assert page.evaluate("document.activeElement.textContent") == "继续使用"
    # staying: one request renews the session on the server, the dialog closes
    with page.expect_response(re.compile(r"/admin/session/keepalive/$")) as response:
        page.keyboard.press("Enter")
    assert response.value.status == 204
    wait_until(page, "!document.getElementById('session-warning').open")
    page.clock.run_for("27:00")
    assert not dialog.is_visible()
    # letting it run out: the page stays, the dialog says the session ended and offers to sign in again
    page.clock.run_for("03:05")
    assert dialog.is_visible() and "已因长时间没有操作而自动退出登录" in dialog.inner_text()
    login = dialog.get_by_role("link", name="重新登录")
    assert login.get_attribute("href") == "/admin/login/?next=%2Fadmin%2F"
    assert page.get_by_role("heading", name="工作台", level=1).count() == 1


def test_keepalive_needs_a_session(client, org_tree):
    assert client.get("/admin/session/keepalive/").status_code == 302
    user = staff(Role.CLERK, org_tree["own"], username="jbr7")
    client.force_login(user)
    response = client.get("/admin/session/keepalive/")
    assert response.status_code == 204 and "no-store" in response["Cache-Control"]
    assert client.post("/admin/session/keepalive/").status_code == 405
