"""Regression tests for the account findings of the security review: C1 (an office admin taking over or
disabling the 系统管理员), L4 (API tokens: expiry, revocation, TOTP) and L6 (second-factor throttling)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.accounts import second_factor
from gongkai.accounts.models import ApiToken, User
from gongkai.accounts.services import (
    api_token_create,
    api_token_revoke,
    api_token_user,
    totp_device_confirm,
    totp_device_start,
    totp_devices_clear,
    user_set_password,
    user_update,
)
from gongkai.core.models import AuditEntry
from gongkai.orgs.models import Membership, Role
from gongkai.orgs.permissions import may_manage_user
from gongkai.orgs.services import membership_grant, membership_revoke, org_update
from gongkai.orgs.tests.factories import TEST_PASSWORD, staff

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Gongkai#2026x"


def _enrol(user: User) -> TOTPDevice:
    device = totp_device_start(user=user)
    assert totp_device_confirm(user=user, device=device, token=f"{totp(device.bin_key, drift=-1):06d}")
    return device


# --- C1: ranks ----------------------------------------------------------------------------------------


# fmt: off
MANAGE = [
    # manager role at "own"  target role   target org  may manage?
    (Role.SYSTEM_ADMIN,      Role.SYSTEM_ADMIN,  "own",     True),   # peers, the last one protected by the services
    (Role.OFFICE_ADMIN,      Role.SYSTEM_ADMIN,  "own",     False),
    (Role.OFFICE_ADMIN,      Role.SYSTEM_ADMIN,  "child",   False),
    (Role.OFFICE_ADMIN,      Role.OFFICE_ADMIN,  "own",     False),
    (Role.OFFICE_ADMIN,      Role.OFFICE_ADMIN,  "parent",  False),
    (Role.OFFICE_ADMIN,      Role.OFFICE_ADMIN,  "child",   True),   # a county office manages its departments' offices
    (Role.OFFICE_ADMIN,      Role.CLERK,         "own",     True),
    (Role.OFFICE_ADMIN,      Role.CLERK,         "child",   True),
    (Role.OFFICE_ADMIN,      Role.CLERK,         "sibling", False),
    (Role.OFFICE_ADMIN,      Role.SUPERVISOR,    "parent",  False),
    (Role.CLERK,             Role.CLERK,         "own",     False),
    (Role.SUPERVISOR,        Role.CLERK,         "child",   False),
]
# fmt: on


@pytest.mark.parametrize(("manager_role", "target_role", "where", "expected"), MANAGE)
def test_c1_rank_rule(org_tree, manager_role, target_role, where, expected):
    manager = staff(manager_role, org_tree["own"])
    target = staff(target_role, org_tree[where])
    assert may_manage_user(manager, target) is expected


def test_c1_a_user_with_one_higher_role_is_out_of_reach(org_tree):
    # given a clerk who is also an office admin of the same county
    gkb = staff(Role.OFFICE_ADMIN, org_tree["own"])
    both = staff(Role.CLERK, org_tree["own"])
    Membership.objects.create(user=both, org=org_tree["own"], role=Role.OFFICE_ADMIN)
    # then the clerk role alone does not make them manageable
    assert not may_manage_user(gkb, both)


def test_c1_office_admin_cannot_reset_system_admin_password_service(org_tree):
    admin = staff(Role.SYSTEM_ADMIN, org_tree["own"])
    gkb = staff(Role.OFFICE_ADMIN, org_tree["own"])
    with pytest.raises(PermissionDenied):
        user_set_password(actor=gkb, user=admin, password=NEW_PASSWORD)
    admin.refresh_from_db()
    assert admin.check_password(TEST_PASSWORD)


def test_c1_office_admin_cannot_deactivate_system_admin_service(org_tree):
    admin = staff(Role.SYSTEM_ADMIN, org_tree["own"])
    gkb = staff(Role.OFFICE_ADMIN, org_tree["own"])
    with pytest.raises(PermissionDenied):
        user_update(actor=gkb, user=admin, is_active=False)
    admin.refresh_from_db()
    assert admin.is_active


def test_c1_office_admin_cannot_strip_or_demote_another_office_admin(org_tree):
    gkb = staff(Role.OFFICE_ADMIN, org_tree["own"])
    peer = staff(Role.OFFICE_ADMIN, org_tree["own"])
    with pytest.raises(PermissionDenied):
        membership_revoke(actor=gkb, membership=peer.memberships.get())
    with pytest.raises(PermissionDenied):
        membership_grant(actor=gkb, user=peer, org=org_tree["child"], role=Role.CLERK)
    assert peer.memberships.count() == 1


def test_c1_nobody_gives_the_system_admin_a_role_to_reach_them(org_tree):
    admin = staff(Role.SYSTEM_ADMIN, org_tree["own"])
    gkb = staff(Role.OFFICE_ADMIN, org_tree["own"])
    with pytest.raises(PermissionDenied):
        membership_grant(actor=gkb, user=admin, org=org_tree["own"], role=Role.CLERK)


@pytest.mark.parametrize("path", ["self-deactivation", "revoke", "org-closed"])
def test_c1_last_system_admin_survives_every_path(org_tree, path):
    # given the only system admin
    admin = staff(Role.SYSTEM_ADMIN, org_tree["own"])
    # when any path would leave no active system admin / then it is refused and nothing changes
    with pytest.raises(ValidationError, match="最后一名系统管理员"):
        if path == "self-deactivation":
            user_update(actor=admin, user=admin, is_active=False)
        elif path == "revoke":
            membership_revoke(actor=admin, membership=admin.memberships.get())
        else:
            org_update(actor=admin, org=org_tree["own"], is_active=False)
    admin.refresh_from_db()
    org_tree["own"].refresh_from_db()
    assert admin.is_active and org_tree["own"].is_active and admin.memberships.count() == 1


def test_c1_a_second_admin_may_be_deactivated(org_tree):
    admin = staff(Role.SYSTEM_ADMIN, org_tree["own"])
    other = staff(Role.SYSTEM_ADMIN, org_tree["parent"])
    user_update(actor=admin, user=other, is_active=False)
    other.refresh_from_db()
    assert not other.is_active


def test_c1_password_reset_by_someone_else_forces_a_change(client, org_tree):
    gkb = staff(Role.OFFICE_ADMIN, org_tree["own"])
    clerk = staff(Role.CLERK, org_tree["own"])
    user_set_password(actor=gkb, user=clerk, password=NEW_PASSWORD)
    clerk.refresh_from_db()
    assert clerk.must_change_password

    # the clerk logs in and is held on the password page until it is changed
    client.post("/admin/login/", {"username": clerk.username, "password": NEW_PASSWORD})
    response = client.get("/admin/catalog/")
    assert response.status_code == 302 and response["Location"] == "/admin/account/password/"
    page = client.get("/admin/account/password/").content.decode()
    assert "您的密码已由管理员重置" in page
    assert client.get("/api/me").status_code == 403
    done = client.post(
        "/admin/account/password/",
        {"old_password": NEW_PASSWORD, "password": "Another#2026y", "password2": "Another#2026y"},
    )
    assert done.status_code == 302
    clerk.refresh_from_db()
    assert not clerk.must_change_password and clerk.check_password("Another#2026y")
    assert client.get("/admin/catalog/").status_code == 200


def test_c1_own_password_change_needs_the_current_one(client, org_tree):
    clerk = staff(Role.CLERK, org_tree["own"])
    client.force_login(clerk)
    page = client.post(
        "/admin/account/password/",
        {"old_password": "wrong", "password": NEW_PASSWORD, "password2": NEW_PASSWORD},
    ).content.decode()
    assert "当前密码不正确" in page
    clerk.refresh_from_db()
    assert clerk.check_password(TEST_PASSWORD)


def test_c1_only_a_system_admin_clears_another_users_totp(org_tree):
    gkb = staff(Role.OFFICE_ADMIN, org_tree["own"])
    admin = staff(Role.SYSTEM_ADMIN, org_tree["parent"])
    clerk = staff(Role.CLERK, org_tree["own"])
    _enrol(clerk)
    with pytest.raises(PermissionDenied, match="只有系统管理员"):
        totp_devices_clear(actor=gkb, user=clerk)
    assert TOTPDevice.objects.filter(user=clerk).exists()
    totp_devices_clear(actor=admin, user=clerk)
    assert not TOTPDevice.objects.filter(user=clerk).exists()


# --- C1 through HTTP, as the red-team did -------------------------------------------------------------


@pytest.fixture
def county(org_tree):
    """The demo's shape: the 系统管理员 and the 公开办管理员 both in the county."""
    admin = staff(Role.SYSTEM_ADMIN, org_tree["own"], username="admin")
    gkb = staff(Role.OFFICE_ADMIN, org_tree["own"], username="gkb")
    return admin, gkb


def test_c1_http_takeover_by_password_reset_refused(client, county):
    admin, gkb = county
    client.force_login(gkb)
    response = client.post(
        f"/admin/users/{admin.pk}/", {"form": "password", "password": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 403
    admin.refresh_from_db()
    assert admin.check_password(TEST_PASSWORD) and not admin.must_change_password


def test_c1_http_deactivation_refused(client, county):
    admin, gkb = county
    client.force_login(gkb)
    response = client.post(f"/admin/users/{admin.pk}/", {"form": "edit", "full_name": "x"})
    assert response.status_code == 403
    admin.refresh_from_db()
    assert admin.is_active and admin.full_name != "x"


def test_c1_http_admin_not_listed_nor_unlockable_by_office_admin(client, county):
    admin, gkb = county
    client.force_login(gkb)
    assert f"/admin/users/{admin.pk}/" not in client.get("/admin/users/").content.decode()
    assert client.get(f"/admin/users/{admin.pk}/").status_code == 403
    assert client.post(f"/admin/users/{admin.pk}/unlock/").status_code == 403
    assert client.post(f"/admin/users/{admin.pk}/2fa/clear/").status_code == 403


def test_c1_http_office_admin_still_manages_a_clerk(client, county, org_tree):
    _, gkb = county
    clerk = staff(Role.CLERK, org_tree["own"])
    client.force_login(gkb)
    response = client.post(
        f"/admin/users/{clerk.pk}/", {"form": "password", "password": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert clerk.check_password(NEW_PASSWORD) and clerk.must_change_password


# --- L4: API tokens -------------------------------------------------------------------------------------


def test_l4_token_expires(org_tree):
    clerk = staff(Role.CLERK, org_tree["own"])
    raw = api_token_create(actor=clerk, user=clerk, days=1)
    assert api_token_user(raw) == clerk
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert api_token_user(raw) is None


@pytest.mark.parametrize("days", [0, 366, -5])
def test_l4_token_lifetime_is_bounded(org_tree, days):
    clerk = staff(Role.CLERK, org_tree["own"])
    with pytest.raises(ValidationError):
        api_token_create(actor=clerk, user=clerk, days=days)


def test_l4_token_revoked_by_owner_and_by_manager_not_by_peer(org_tree):
    clerk = staff(Role.CLERK, org_tree["own"])
    peer = staff(Role.CLERK, org_tree["own"])
    gkb = staff(Role.OFFICE_ADMIN, org_tree["own"])
    raw = api_token_create(actor=clerk, user=clerk)
    token = ApiToken.objects.get()
    with pytest.raises(PermissionDenied):
        api_token_revoke(actor=peer, token=token)
    api_token_revoke(actor=gkb, token=token)
    assert api_token_user(raw) is None
    assert AuditEntry.objects.filter(object_type="accounts.apitoken", changes__has_key="revoked_at").exists()


def test_l4_nobody_creates_a_token_for_someone_else(org_tree):
    clerk = staff(Role.CLERK, org_tree["own"])
    gkb = staff(Role.OFFICE_ADMIN, org_tree["own"])
    with pytest.raises(PermissionDenied):
        api_token_create(actor=gkb, user=clerk)


def test_l4_admin_token_needs_a_totp_verified_session(org_tree):
    admin = staff(Role.SYSTEM_ADMIN, org_tree["own"])
    with pytest.raises(PermissionDenied, match="双因素认证"):
        api_token_create(actor=admin, user=admin)
    assert api_token_create(actor=admin, user=admin, two_factor_verified=True).startswith("gk_")


def test_l4_admin_token_page_refuses_without_second_factor(client, org_tree):
    admin = staff(Role.SYSTEM_ADMIN, org_tree["own"])
    client.force_login(admin)  # password only: the middleware sends the admin to enrol first
    response = client.post("/admin/account/tokens/", {"name": "脚本", "days": "30"})
    assert response.status_code == 302 and response["Location"] == "/admin/account/2fa/"
    assert not ApiToken.objects.exists()


def test_l4_token_page_lists_creates_and_revokes(client, org_tree):
    clerk = staff(Role.CLERK, org_tree["own"])
    client.force_login(clerk)
    page = client.post("/admin/account/tokens/", {"name": "统计脚本", "days": "30"}).content.decode()
    token = ApiToken.objects.get(user=clerk)
    assert "只显示这一次" in page and token.prefix in page and "从未使用" in page
    assert (token.expires_at - timezone.now()).days in (29, 30)
    assert client.post(f"/admin/account/tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "已吊销" in client.get("/admin/account/tokens/").content.decode()


def test_l4_manager_sees_and_revokes_tokens_on_user_page(client, org_tree):
    clerk = staff(Role.CLERK, org_tree["own"])
    gkb = staff(Role.OFFICE_ADMIN, org_tree["own"])
    api_token_create(actor=clerk, user=clerk, name="夜间同步")
    token = ApiToken.objects.get()
    client.force_login(gkb)
    assert "夜间同步" in client.get(f"/admin/users/{clerk.pk}/").content.decode()
    assert client.post(f"/admin/account/tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_l4_peer_cannot_revoke_through_http(client, org_tree):
    clerk = staff(Role.CLERK, org_tree["own"])
    peer = staff(Role.CLERK, org_tree["own"])
    api_token_create(actor=clerk, user=clerk)
    token = ApiToken.objects.get()
    client.force_login(peer)
    assert client.post(f"/admin/account/tokens/{token.pk}/revoke/").status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None


def test_l4_reset_account_tokens_stop_until_password_changed(org_tree):
    clerk = staff(Role.CLERK, org_tree["own"])
    gkb = staff(Role.OFFICE_ADMIN, org_tree["own"])
    raw = api_token_create(actor=clerk, user=clerk)
    user_set_password(actor=gkb, user=clerk, password=NEW_PASSWORD)
    assert api_token_user(raw) is None


# --- L6: a known password cannot keep the owner's second factor throttled -------------------------------


def test_l6_wrong_codes_from_elsewhere_do_not_lock_out_the_owner(client, org_tree, settings):
    # given a clerk with an authenticator
    clerk = staff(Role.CLERK, org_tree["own"])
    device = _enrol(clerk)
    # when someone who knows the password enters wrong codes from another address until refused
    from django.test import Client

    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(second_factor.PER_ADDRESS_LIMIT):
        attacker.post("/admin/login/", {"username": clerk.username, "password": TEST_PASSWORD})
        attacker.post("/admin/login/verify/", {"token": "000000" if totp(device.bin_key) else "111111"})
    attacker.post("/admin/login/", {"username": clerk.username, "password": TEST_PASSWORD})
    refused = attacker.post("/admin/login/verify/", {"token": f"{totp(device.bin_key):06d}"}, follow=True)
    assert "验证码错误次数过多" in refused.content.decode()
    # then the owner, from their own address, still signs in with the right code
    client.post("/admin/login/", {"username": clerk.username, "password": TEST_PASSWORD})
    ok = client.post("/admin/login/verify/", {"token": f"{totp(device.bin_key):06d}"})
    assert ok.status_code == 302 and client.get("/admin/").status_code == 200
    # and every wrong code was audited
    assert (
        AuditEntry.objects.filter(changes__two_factor="验证码错误").count() == second_factor.PER_ADDRESS_LIMIT
    )


def test_l6_changing_the_password_starts_the_counters_afresh(org_tree):
    clerk = staff(Role.CLERK, org_tree["own"])
    for _ in range(second_factor.PER_ACCOUNT_LIMIT):
        second_factor.record_failure(clerk)
    assert second_factor.blocked(clerk)
    user_set_password(actor=clerk, user=clerk, password=NEW_PASSWORD)
    clerk.refresh_from_db()
    assert not second_factor.blocked(clerk)
