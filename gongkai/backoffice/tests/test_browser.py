"""Real browser journeys for the foundation: login, lockout, org-scoped visibility, the 指南 page."""

from __future__ import annotations

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.orgs.models import Role
from gongkai.orgs.tests.factories import TEST_PASSWORD, OrganisationFactory, staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, live_server, username, password=TEST_PASSWORD):
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_clerk_logs_in_and_sees_only_own_organisation(page, live_server, org_tree):
    # Given a clerk of the county government and an office admin of the same county
    clerk = staff(Role.CLERK, org_tree["own"], username="clerk1")
    # When the clerk logs in and opens the organisation list
    _login(page, live_server, clerk.username)
    page.wait_for_url(re.compile(r"/admin/$"))
    assert page.get_by_role("heading", name="工作台").is_visible()
    page.get_by_role("navigation", name="后台导航").get_by_role("link", name="机构管理").click()
    # Then only the county itself is listed: not its department, not the sibling county, not the city
    body = page.locator("main").inner_text()
    assert "测试县人民政府" in body
    assert "测试县财政局" not in body
    assert "邻县人民政府" not in body
    assert "测试市人民政府" not in body


def test_office_admin_sees_subtree(page, live_server, org_tree):
    admin = staff(Role.OFFICE_ADMIN, org_tree["own"], username="gkb1")
    _login(page, live_server, admin.username)
    page.wait_for_url(re.compile(r"/admin/$"))
    page.goto(f"{live_server.url}/admin/orgs/")
    body = page.locator("main").inner_text()
    assert "测试县人民政府" in body and "测试县财政局" in body
    assert "邻县人民政府" not in body


def test_five_failed_logins_lock_the_account(page, live_server, org_tree):
    # Given a clerk
    clerk = staff(Role.CLERK, org_tree["own"], username="clerk2")
    # When the password is wrong four times, each attempt says so
    for _ in range(4):
        _login(page, live_server, clerk.username, "Wrong#Password1")
        assert page.get_by_text("用户名或密码错误").is_visible()
    # And the fifth wrong attempt locks the account
    _login(page, live_server, clerk.username, "Wrong#Password1")
    assert page.get_by_role("heading", name="账户已锁定").is_visible()
    # Then even the right password is refused while the lock lasts
    _login(page, live_server, clerk.username)
    assert page.get_by_role("heading", name="账户已锁定").is_visible()


def test_system_admin_must_enrol_totp_then_logs_in_with_code(page, live_server, org_tree):
    # Given a system admin without a second factor
    admin = staff(Role.SYSTEM_ADMIN, org_tree["parent"], username="root1")
    # When they log in, they are sent to enrol an authenticator before anything else
    _login(page, live_server, admin.username)
    page.wait_for_url(re.compile(r"/admin/account/2fa/"))
    assert page.get_by_text("系统管理员必须启用双因素认证").is_visible()
    page.goto(f"{live_server.url}/admin/orgs/")
    page.wait_for_url(re.compile(r"/admin/account/2fa/"))
    # And entering the current code from the authenticator confirms it
    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    # (the previous time step's code, within tolerance, so the current one is still unused for the login)
    page.get_by_label("动态验证码").fill(f"{totp(device.bin_key, drift=-1):06d}")
    page.get_by_role("button", name="确认绑定").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    # Then the next login asks for the code after the password
    page.get_by_role("button", name="退出").click()
    _login(page, live_server, admin.username)
    page.wait_for_url(re.compile(r"/admin/login/verify/"))
    page.get_by_label("动态验证码").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="验证").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    page.goto(f"{live_server.url}/admin/orgs/")
    assert "邻县人民政府" in page.locator("main").inner_text()


def test_guide_page_shows_the_organisations_own_data(page, live_server, org_tree):
    # Given a county department with its 公开工作机构 details
    org = OrganisationFactory(
        name="测试县教育局", parent=org_tree["own"], address="测试县文化路8号", phone="0579-12345678",
        office_hours="工作日 8:30-17:30", review_body="测试县人民政府", court="测试县人民法院",
    )  # fmt: skip
    # When a visitor opens the portal and follows the 专栏 navigation to the 指南
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="测试县教育局").click()
    page.get_by_role("navigation", name="政府信息公开专栏").get_by_role(
        "link", name="政府信息公开指南"
    ).click()
    # Then the guide is generated from that organisation's data
    assert page.get_by_role("heading", name="测试县教育局政府信息公开指南").is_visible()
    text = page.locator("article").inner_text()
    for expected in (
        "测试县文化路8号",
        "0579-12345678",
        "工作日 8:30-17:30",
        "测试县人民政府",
        "测试县人民法院",
    ):
        assert expected in text
    assert "20 个工作日" in text
    assert org.code in page.url
