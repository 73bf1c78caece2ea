"""Back-office pages: login, two-factor, dashboard, org-scoped lists, audit browser, user management."""

from __future__ import annotations

import pytest
from django_otp.oath import totp

from gongkai.accounts.services import totp_device_confirm, totp_device_start
from gongkai.core.actors import SYSTEM_TEST
from gongkai.core.models import AuditEntry
from gongkai.orgs.models import Membership, Organisation, Role
from gongkai.orgs.tests.factories import TEST_PASSWORD, OrganisationFactory, staff

pytestmark = pytest.mark.django_db


def _login(client, user):
    return client.post("/admin/login/", {"username": user.username, "password": TEST_PASSWORD})


def test_login_page_is_served(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert "工作人员登录" in response.content.decode()


def test_login_records_an_audit_row_with_ip(client, org_tree):
    clerk = staff(Role.CLERK, org_tree["own"])
    response = client.post(
        "/admin/login/", {"username": clerk.username, "password": TEST_PASSWORD}, REMOTE_ADDR="10.1.2.3"
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.filter(action="login").latest("id")
    assert entry.actor_name == clerk.username and entry.ip == "10.1.2.3"


def test_wrong_password_message_in_chinese(client, org_tree):
    clerk = staff(Role.CLERK, org_tree["own"])
    response = client.post("/admin/login/", {"username": clerk.username, "password": "nope"})
    assert "用户名或密码错误" in response.content.decode()


def test_lockout_after_five_failures_even_with_right_password(client, org_tree):
    clerk = staff(Role.CLERK, org_tree["own"])
    for _ in range(5):
        client.post("/admin/login/", {"username": clerk.username, "password": "Wrong#Pass123"})
    response = _login(client, clerk)
    assert response.status_code == 429
    assert "账户已锁定" in response.content.decode()


def test_anonymous_is_sent_to_login(client):
    response = client.get("/admin/orgs/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_user_with_device_must_enter_code(client, org_tree):
    clerk = staff(Role.CLERK, org_tree["own"])
    device = totp_device_start(user=clerk)
    # enrol with the previous time step's code (accepted within the drift tolerance) so that the
    # current step's code is still unused: django-otp refuses a code from an already used step
    assert totp_device_confirm(user=clerk, device=device, token=f"{totp(device.bin_key, drift=-1):06d}")
    response = _login(client, clerk)
    assert response["Location"].startswith("/admin/login/verify/")
    assert client.get("/admin/").status_code == 302  # not logged in yet
    wrong = client.post("/admin/login/verify/", {"token": "000000" if totp(device.bin_key) else "111111"})
    assert "验证码错误" in wrong.content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # django-otp throttles the device after a failure; time passes
    ok = client.post("/admin/login/verify/", {"token": f"{totp(device.bin_key):06d}"})
    assert ok.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_system_admin_without_device_is_sent_to_enrol(client, org_tree):
    admin = staff(Role.SYSTEM_ADMIN, org_tree["parent"])
    _login(client, admin)
    response = client.get("/admin/orgs/")
    assert response.status_code == 302 and response["Location"] == "/admin/account/2fa/"
    page = client.get("/admin/account/2fa/").content.decode()
    assert "<svg" in page and "系统管理员必须启用双因素认证" in page


def test_org_list_is_scoped(client, org_tree):
    clerk = staff(Role.CLERK, org_tree["child"])
    client.force_login(clerk)
    html = client.get("/admin/orgs/").content.decode()
    assert "测试县财政局" in html
    assert "测试县人民政府" not in html and "邻县人民政府" not in html


def test_clerk_cannot_edit_organisation(client, org_tree):
    clerk = staff(Role.CLERK, org_tree["own"])
    client.force_login(clerk)
    assert client.get(f"/admin/orgs/{org_tree['own'].pk}/edit/").status_code == 403


def test_office_admin_edits_child_org_and_it_is_audited(client, org_tree):
    admin = staff(Role.OFFICE_ADMIN, org_tree["own"])
    client.force_login(admin)
    child = org_tree["child"]
    form = client.get(f"/admin/orgs/{child.pk}/edit/")
    assert form.status_code == 200
    data = {
        "name": child.name, "short_name": child.short_name, "code": child.code, "parent": org_tree["own"].pk,
        "level": child.level, "kind": child.kind, "sort_order": 0, "is_active": "on",
        "phone": "0579-99999999", "postcode": "339900", "four_eyes": "on", "extension_approval": "system",
    }  # fmt: skip
    response = client.post(f"/admin/orgs/{child.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    child.refresh_from_db()
    assert child.phone == "0579-99999999"
    entry = AuditEntry.objects.filter(object_type="orgs.organisation", object_id=str(child.pk)).latest("id")
    assert entry.changes["phone"][1] == "0579-99999999" and entry.actor_name == admin.username


def test_office_admin_gets_chinese_error_for_bad_code(client, org_tree):
    admin = staff(Role.OFFICE_ADMIN, org_tree["own"])
    client.force_login(admin)
    data = {"name": "新机构", "code": "12345678-0", "parent": org_tree["own"].pk, "level": "county",
            "kind": "department", "sort_order": 0}  # fmt: skip
    response = client.post("/admin/orgs/new/", data)
    assert response.status_code == 200
    assert "校验码错误" in response.content.decode()
    assert not Organisation.objects.filter(name="新机构").exists()


def test_deleting_org_with_children_is_refused_with_message(client, org_tree):
    admin = staff(Role.OFFICE_ADMIN, org_tree["parent"])
    client.force_login(admin)
    response = client.post(f"/admin/orgs/{org_tree['own'].pk}/delete/", follow=True)
    assert "仍有下级机构" in response.content.decode()
    assert Organisation.objects.filter(pk=org_tree["own"].pk).exists()


def test_audit_browser_is_scoped_and_filters(client, org_tree):
    from gongkai.orgs.services import org_update

    org_update(actor=SYSTEM_TEST, org=org_tree["child"], phone="1")
    org_update(actor=SYSTEM_TEST, org=org_tree["sibling"], phone="2")
    clerk = staff(Role.CLERK, org_tree["child"])
    client.force_login(clerk)
    html = client.get("/admin/audit/").content.decode()
    assert org_tree["child"].name in html and org_tree["sibling"].name not in html
    bad = client.get("/admin/audit/", {"date_from": "2026-02-01", "date_to": "2026-01-01"}).content.decode()
    assert "起始日期不能晚于截止日期" in bad


def test_dashboard_shows_roles(client, org_tree):
    clerk = staff(Role.CLERK, org_tree["own"])
    client.force_login(clerk)
    html = client.get("/admin/").content.decode()
    assert "测试县人民政府：经办人" in html


def test_office_admin_creates_user_with_role(client, org_tree):
    admin = staff(Role.OFFICE_ADMIN, org_tree["own"])
    client.force_login(admin)
    response = client.post(
        "/admin/users/new/",
        {"username": "newclerk", "full_name": "新经办", "org": org_tree["child"].pk, "role": Role.CLERK,
         "password": "Strong#Pass2026"},
    )  # fmt: skip
    assert response.status_code == 302
    assert Membership.objects.filter(
        user__username="newclerk", org=org_tree["child"], role=Role.CLERK
    ).exists()
    weak = client.post(
        "/admin/users/new/",
        {
            "username": "weak",
            "full_name": "弱",
            "org": org_tree["child"].pk,
            "role": Role.CLERK,
            "password": "abc",
        },
    )
    assert "10" in weak.content.decode() and not Membership.objects.filter(user__username="weak").exists()


def test_office_admin_cannot_grant_system_admin(client, org_tree):
    admin = staff(Role.OFFICE_ADMIN, org_tree["own"])
    client.force_login(admin)
    html = client.get("/admin/users/new/").content.decode()
    assert "系统管理员" not in html.split("<select", 2)[-1].split("</select>")[0]


def test_user_list_is_scoped(client, org_tree):
    staff(Role.CLERK, org_tree["sibling"], username="far_away")
    staff(Role.CLERK, org_tree["child"], username="close_by")
    admin = staff(Role.OFFICE_ADMIN, org_tree["own"])
    client.force_login(admin)
    html = client.get("/admin/users/").content.decode()
    assert "close_by" in html and "far_away" not in html


def test_demo_loads_idempotently(db):
    from gongkai.backoffice.demo import DEMO_USERS, load_demo

    first = load_demo(password="Demo#Pass2026x")
    count = Organisation.objects.count()
    second = load_demo(password="Demo#Pass2026x")
    assert Organisation.objects.count() == count >= 18
    assert len(first.logins) == len(second.logins) == len(DEMO_USERS)
    assert {r for _, _, r, _ in first.logins} == {label for _, label in Role.choices}
    assert OrganisationFactory._meta.model.objects.filter(kind="department").count() >= 10
    assert Organisation.objects.filter(level="township").count() >= 5
