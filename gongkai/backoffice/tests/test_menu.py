"""The back-office menu comes from the role policy (issue 18, defect 8): no link answers 403 or 404."""

from __future__ import annotations

import lxml.html
import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.orgs.models import Role
from gongkai.orgs.tests.factories import staff

pytestmark = pytest.mark.django_db


def _menu(client) -> dict[str, str]:
    """The main menu's links and the user's own account links beside the name in the header."""
    tree = lxml.html.fromstring(client.get("/admin/").content.decode())
    links = tree.xpath("//nav[@aria-label='后台导航']//a") + tree.xpath(
        "//header//nav[@aria-label='我的账户']//a"
    )
    return {a.text_content().strip(): a.get("href") for a in links}


@pytest.mark.parametrize("role", [r for r in Role if r != Role.SYSTEM_ADMIN])
def test_every_menu_link_opens_for_each_role(client, org_tree, role):
    user = staff(role, org_tree["own"])
    client.force_login(user)
    menu = _menu(client)
    for label, href in menu.items():
        assert client.get(href).status_code == 200, f"{Role(role).label}：{label}"
    assert ("用户管理" in menu) is (role == Role.OFFICE_ADMIN)


def test_clerk_is_not_offered_user_management_but_admin_is(client, org_tree):
    client.force_login(staff(Role.CLERK, org_tree["own"]))
    assert "用户管理" not in _menu(client)
    admin = staff(Role.SYSTEM_ADMIN, org_tree["parent"])
    device = TOTPDevice.objects.create(user=admin, name="测试", confirmed=True)
    client.force_login(admin)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    menu = _menu(client)
    assert "用户管理" in menu and client.get(menu["用户管理"]).status_code == 200


def test_own_account_pages_sit_beside_the_name_not_in_the_main_menu(client, org_tree):
    client.force_login(staff(Role.CLERK, org_tree["own"]))
    tree = lxml.html.fromstring(client.get("/admin/").content.decode())
    main = [a.text_content().strip() for a in tree.xpath("//nav[@aria-label='后台导航']//a")]
    account = [a.text_content().strip() for a in tree.xpath("//nav[@aria-label='我的账户']//a")]
    assert account == ["双因素认证", "修改密码", "API 令牌"] and not set(account) & set(main)
    assert (
        tree.xpath("//nav[@aria-label='我的账户']//form[@id='logout-form']//button")[0].text_content()
        == "退出"
    )
