"""Tests for account services (accounts/services.py) and the membership services they rely on."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.accounts.models import ApiToken, User
from gongkai.accounts.services import (
    api_token_create,
    api_token_user,
    totp_device_confirm,
    totp_device_start,
    user_create,
    user_set_password,
    user_update,
)
from gongkai.core.actors import SYSTEM_TEST
from gongkai.core.models import AuditAction, AuditEntry
from gongkai.core.services import REDACTED, audit_verify
from gongkai.orgs.models import Membership, Role
from gongkai.orgs.services import membership_grant, membership_revoke
from gongkai.orgs.tests.factories import MembershipFactory, UserFactory, staff

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Gongkai#2026x"


def audit_text() -> str:
    """Every stored audit row, every column, as one string (to prove a secret never got in)."""
    return json.dumps(list(AuditEntry.objects.values()), default=str, ensure_ascii=False)


# --- user_create -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor_role", "where"), [(Role.SYSTEM_ADMIN, "sibling"), (Role.OFFICE_ADMIN, "child")]
)
def test_user_create_makes_an_audited_account_with_its_first_role(org_tree, actor_role, where):
    # given an administrator who manages the target organisation
    admin = staff(actor_role, org_tree["own"])
    org = org_tree[where]

    # when a clerk account is created
    user = user_create(
        actor=admin, username=" lisi ", password=NEW_PASSWORD, org=org, role=Role.CLERK, full_name="李四"
    )

    # then the account exists with a hashed password and the role in that organisation
    user.refresh_from_db()
    assert (user.username, user.full_name, user.is_active) == ("lisi", "李四", True)
    assert user.password != NEW_PASSWORD
    assert user.check_password(NEW_PASSWORD)
    assert list(user.memberships.values_list("org", "role")) == [(org.pk, Role.CLERK)]
    # and both writes are audited in that organisation, by the admin, without the password
    create, grant = AuditEntry.objects.order_by("id")
    assert (create.action, create.object_type, create.object_id) == (
        AuditAction.CREATE,
        "accounts.user",
        str(user.pk),
    )
    assert (create.actor_id, create.org_id) == (admin.pk, org.pk)
    assert create.changes["username"] == "lisi"
    assert (grant.action, grant.changes) == (AuditAction.GRANT, {"user": "lisi", "role": Role.CLERK})
    assert NEW_PASSWORD not in audit_text()
    assert audit_verify() == (2, None)


@pytest.mark.parametrize("spelling", ["wangwu", "WangWu", "WANGWU", " wangwu "])
def test_user_create_refuses_a_taken_username_whatever_its_case(org_tree, spelling):
    # given an existing account "wangwu"
    UserFactory(username="wangwu")
    users_before = User.objects.count()

    # when another is created with the same name in any case
    with pytest.raises(ValidationError) as excinfo:
        user_create(
            actor=SYSTEM_TEST, username=spelling, password=NEW_PASSWORD, org=org_tree["own"], role=Role.CLERK
        )

    # then it is refused with a message a clerk understands, and nothing is written
    assert excinfo.value.message_dict["username"] == [f"用户名「{spelling.strip()}」已被使用。"]
    assert User.objects.count() == users_before
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("short1A!", "password_too_short"),
        ("alllowercase1", "password_too_simple"),
        ("Zhaoliu#2026", "password_too_similar"),
        ("1234567890123", "password_entirely_numeric"),
    ],
)
def test_user_create_refuses_a_weak_password(org_tree, password, code):
    # given / when an account is created with a weak password
    with pytest.raises(ValidationError) as excinfo:
        user_create(
            actor=SYSTEM_TEST, username="zhaoliu", password=password, org=org_tree["own"], role=Role.CLERK
        )

    # then it is refused for that reason and nothing is written
    assert code in {e.code for e in excinfo.value.error_list}
    assert not User.objects.filter(username="zhaoliu").exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    ("actor_role", "where", "role"),
    [
        (Role.CLERK, "own", Role.CLERK),
        (Role.REVIEWER, "own", Role.CLERK),
        (Role.SUPERVISOR, "child", Role.CLERK),
        (Role.OFFICE_ADMIN, "sibling", Role.CLERK),
        (Role.OFFICE_ADMIN, "parent", Role.CLERK),
        # may manage "own", but may not hand out the system admin role
        (Role.OFFICE_ADMIN, "own", Role.SYSTEM_ADMIN),
    ],
)
def test_user_create_without_permission_is_denied_and_writes_nothing(org_tree, actor_role, where, role):
    # given a user who may not create this account
    actor = staff(actor_role, org_tree["own"])
    users_before = User.objects.count()

    # when they try
    with pytest.raises(PermissionDenied):
        user_create(actor=actor, username="sunqi", password=NEW_PASSWORD, org=org_tree[where], role=role)

    # then nothing is written (not even the account without its role)
    assert User.objects.count() == users_before
    assert not AuditEntry.objects.exists()


# --- user_update / user_set_password -----------------------------------------------------------


def test_user_update_audits_the_changed_fields_only(org_tree):
    # given an office admin and a clerk of the same organisation
    admin = staff(Role.OFFICE_ADMIN, org_tree["own"])
    clerk = staff(Role.CLERK, org_tree["own"], full_name="周八", phone="")

    # when the admin changes two fields and sets a third to its current value
    user_update(actor=admin, user=clerk, full_name="周八八", phone="0571-12345678", email=clerk.email)

    # then the account is changed and one audit row lists exactly the changed fields
    clerk.refresh_from_db()
    assert (clerk.full_name, clerk.phone) == ("周八八", "0571-12345678")
    (entry,) = AuditEntry.objects.all()
    assert (entry.action, entry.actor_id, entry.org_id) == (AuditAction.UPDATE, admin.pk, org_tree["own"].pk)
    # (a staff member's phone is personal: the row says it changed, never what it is — M3)
    assert entry.changes == {"full_name": ["周八", "周八八"], "phone": [REDACTED, REDACTED]}


def test_user_update_without_change_writes_no_audit_row(org_tree):
    admin = staff(Role.OFFICE_ADMIN, org_tree["own"])
    clerk = staff(Role.CLERK, org_tree["own"], full_name="吴九")
    user_update(actor=admin, user=clerk, full_name="吴九")
    assert not AuditEntry.objects.exists()


def test_user_update_refuses_unknown_fields(org_tree):
    clerk = staff(Role.CLERK, org_tree["own"])
    with pytest.raises(TypeError, match="is_superuser"):
        user_update(actor=SYSTEM_TEST, user=clerk, is_superuser=True)
    clerk.refresh_from_db()
    assert not clerk.is_superuser


@pytest.mark.parametrize("actor_where", ["sibling", "child"])
def test_user_update_by_someone_who_does_not_manage_the_user_is_denied(org_tree, actor_where):
    # given an office admin of another branch (or of a sub-organisation) and a clerk of "own"
    admin = staff(Role.OFFICE_ADMIN, org_tree[actor_where])
    clerk = staff(Role.CLERK, org_tree["own"], full_name="郑十")

    # when / then the change is refused and nothing is written
    with pytest.raises(PermissionDenied):
        user_update(actor=admin, user=clerk, full_name="改名")
    clerk.refresh_from_db()
    assert clerk.full_name == "郑十"
    assert not AuditEntry.objects.exists()


def test_user_set_password_is_audited_without_the_password(org_tree):
    # given an office admin and a clerk
    admin = staff(Role.OFFICE_ADMIN, org_tree["own"])
    clerk = staff(Role.CLERK, org_tree["own"])

    # when the admin sets a new password
    user_set_password(actor=admin, user=clerk, password=NEW_PASSWORD)

    # then it works, and the audit row records the change but never the value
    clerk.refresh_from_db()
    assert clerk.check_password(NEW_PASSWORD)
    (entry,) = AuditEntry.objects.all()
    assert (entry.action, entry.actor_id, entry.object_id) == (AuditAction.UPDATE, admin.pk, str(clerk.pk))
    assert entry.changes == {"password": [REDACTED, REDACTED], "must_change_password": True}
    assert NEW_PASSWORD not in audit_text()
    assert clerk.password not in audit_text()


def test_user_may_set_their_own_password(org_tree):
    clerk = staff(Role.CLERK, org_tree["own"])
    user_set_password(actor=clerk, user=clerk, password=NEW_PASSWORD)
    clerk.refresh_from_db()
    assert clerk.check_password(NEW_PASSWORD)
    assert AuditEntry.objects.get().actor_id == clerk.pk


def test_user_set_password_refuses_a_weak_password(org_tree):
    # given a clerk with a known password
    clerk = staff(Role.CLERK, org_tree["own"])
    old_hash = clerk.password

    # when a weak one is set / then it is refused and nothing changes
    with pytest.raises(ValidationError):
        user_set_password(actor=SYSTEM_TEST, user=clerk, password="password")
    clerk.refresh_from_db()
    assert clerk.password == old_hash
    assert not AuditEntry.objects.exists()


# --- membership_grant / membership_revoke -------------------------------------------------------


def test_membership_grant_is_audited_once(org_tree):
    # given an office admin and a user without a role in "child"
    admin = staff(Role.OFFICE_ADMIN, org_tree["own"])
    user = staff(Role.CLERK, org_tree["own"])

    # when the admin grants the reviewer role in "child", twice
    first = membership_grant(actor=admin, user=user, org=org_tree["child"], role=Role.REVIEWER)
    second = membership_grant(actor=admin, user=user, org=org_tree["child"], role=Role.REVIEWER)

    # then there is one membership and one audit row
    assert first.pk == second.pk
    (entry,) = AuditEntry.objects.all()
    assert (entry.action, entry.actor_id, entry.org_id) == (AuditAction.GRANT, admin.pk, org_tree["child"].pk)
    assert entry.changes == {"user": user.username, "role": Role.REVIEWER}


def test_membership_grant_of_an_unknown_role_is_refused(org_tree):
    user = staff(Role.CLERK, org_tree["own"])
    with pytest.raises(ValidationError):
        membership_grant(actor=SYSTEM_TEST, user=user, org=org_tree["own"], role="superuser")
    assert user.memberships.count() == 1


def test_membership_revoke_is_audited(org_tree):
    # given an office admin and a clerk of "own"
    admin = staff(Role.OFFICE_ADMIN, org_tree["own"])
    membership = MembershipFactory(org=org_tree["own"], role=Role.CLERK)

    # when the admin revokes the role
    membership_revoke(actor=admin, membership=membership)

    # then it is gone and the revocation is audited
    assert not Membership.objects.filter(pk=membership.pk).exists()
    (entry,) = AuditEntry.objects.all()
    assert (entry.action, entry.actor_id) == (AuditAction.REVOKE, admin.pk)
    assert entry.changes == {"user": membership.user.username, "role": Role.CLERK}


def test_office_admin_cannot_revoke_a_system_admin(org_tree):
    admin = staff(Role.OFFICE_ADMIN, org_tree["own"])
    membership = MembershipFactory(org=org_tree["own"], role=Role.SYSTEM_ADMIN)
    MembershipFactory(org=org_tree["parent"], role=Role.SYSTEM_ADMIN)
    with pytest.raises(PermissionDenied):
        membership_revoke(actor=admin, membership=membership)
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_the_last_system_admin_cannot_be_revoked(org_tree):
    # given a single system admin
    membership = MembershipFactory(org=org_tree["parent"], role=Role.SYSTEM_ADMIN)

    # when it is revoked (even by the system itself) / then it is refused and nothing is written
    with pytest.raises(ValidationError, match="最后一名系统管理员"):
        membership_revoke(actor=SYSTEM_TEST, membership=membership)
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    "other_admin",
    [
        pytest.param({"user__is_active": False}, id="other-admin-deactivated"),
        pytest.param({"org__is_active": False}, id="other-admin-in-closed-org"),
    ],
)
def test_a_system_admin_who_cannot_act_does_not_count_as_another(org_tree, other_admin):
    # given a system admin, and a second one who has no effect (deactivated, or in a closed organisation)
    membership = MembershipFactory(org=org_tree["parent"], role=Role.SYSTEM_ADMIN)
    MembershipFactory(role=Role.SYSTEM_ADMIN, **other_admin)

    # when the working one is revoked / then it is refused: nobody could administer the system
    with pytest.raises(ValidationError, match="最后一名系统管理员"):
        membership_revoke(actor=SYSTEM_TEST, membership=membership)
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_a_system_admin_can_be_revoked_while_another_remains(org_tree):
    first = staff(Role.SYSTEM_ADMIN, org_tree["parent"])
    staff(Role.SYSTEM_ADMIN, org_tree["own"])
    membership_revoke(actor=first, membership=first.memberships.get())
    assert not first.memberships.exists()
    assert AuditEntry.objects.get().action == AuditAction.REVOKE


# --- two-factor devices ------------------------------------------------------------------------


def current_token(device: TOTPDevice, *, steps: int = 0) -> int:
    """The code an authenticator app shows now (or ``steps`` periods away)."""
    return totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=steps)


def test_totp_device_start_replaces_earlier_unconfirmed_devices(org_tree):
    # given a user who started enrolment before
    user = staff(Role.CLERK, org_tree["own"])
    earlier = totp_device_start(user=user)

    # when enrolment starts again
    device = totp_device_start(user=user)

    # then only the new, unconfirmed device remains
    assert list(TOTPDevice.objects.filter(user=user)) == [device]
    assert not device.confirmed
    assert device.pk != earlier.pk


def test_totp_device_confirm_with_the_right_code(org_tree):
    # given a user with a confirmed old device and a newly started one
    user = staff(Role.CLERK, org_tree["own"])
    old = totp_device_start(user=user)
    assert totp_device_confirm(user=user, device=old, token=f"{current_token(old):06d}")
    device = totp_device_start(user=user)

    # when the code the authenticator shows is entered (with stray spaces)
    confirmed = totp_device_confirm(user=user, device=device, token=f" {current_token(device):06d} ")

    # then the new device is confirmed, the old one is gone, and the user's own change is audited
    assert confirmed is True
    assert list(TOTPDevice.objects.filter(user=user).values_list("pk", "confirmed")) == [(device.pk, True)]
    entry = AuditEntry.objects.latest("id")
    assert (entry.actor_id, entry.object_id, entry.changes) == (
        user.pk,
        str(user.pk),
        {"two_factor": [False, True]},
    )
    assert device.key not in audit_text()


def test_totp_device_confirm_with_a_wrong_code(org_tree):
    # given a newly started device
    user = staff(Role.CLERK, org_tree["own"])
    device = totp_device_start(user=user)

    # when a code is entered that the authenticator shows at no time near now
    near = {current_token(device, steps=s) for s in range(-3, 4)}
    wrong = next(c for c in range(123456, 10**6) if c not in near)
    confirmed = totp_device_confirm(user=user, device=device, token=f"{wrong:06d}")

    # then it is not confirmed and nothing is audited
    assert confirmed is False
    device.refresh_from_db()
    assert not device.confirmed
    assert not AuditEntry.objects.exists()


def test_totp_device_of_another_user_cannot_be_confirmed(org_tree):
    owner = staff(Role.CLERK, org_tree["own"])
    intruder = staff(Role.CLERK, org_tree["own"])
    device = totp_device_start(user=owner)
    assert totp_device_confirm(user=intruder, device=device, token=f"{current_token(device):06d}") is False
    device.refresh_from_db()
    assert not device.confirmed
    assert not AuditEntry.objects.exists()


# --- API tokens --------------------------------------------------------------------------------


def test_api_token_create_stores_only_the_hash(org_tree):
    # given a clerk
    clerk = staff(Role.CLERK, org_tree["own"])

    # when the clerk creates a token
    raw = api_token_create(actor=clerk, user=clerk, name="统计脚本")

    # then the token is returned once; the database keeps its SHA-256 and a short prefix, never the token
    assert raw.startswith("gk_") and len(raw) > 40
    token = ApiToken.objects.get(user=clerk)
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert token.prefix == raw[:8]
    stored = json.dumps(list(ApiToken.objects.values()), default=str)
    assert raw not in stored
    # and the creation is audited without the token
    (entry,) = AuditEntry.objects.all()
    assert (entry.action, entry.actor_id) == (AuditAction.CREATE, clerk.pk)
    assert entry.changes == {
        "user": clerk.username,
        "name": "统计脚本",
        "expires_at": token.expires_at.isoformat(),
    }
    assert raw not in audit_text()


def test_api_token_create_refuses_an_overlong_name(org_tree):
    clerk = staff(Role.CLERK, org_tree["own"])
    with pytest.raises(ValidationError):
        api_token_create(actor=SYSTEM_TEST, user=clerk, name="用" * 101)
    assert not ApiToken.objects.exists()
    assert not AuditEntry.objects.exists()


def test_api_token_user_resolves_the_token_and_notes_its_use(org_tree):
    # given a token
    clerk = staff(Role.CLERK, org_tree["own"])
    raw = api_token_create(actor=SYSTEM_TEST, user=clerk)
    before = timezone.now()

    # when it is presented
    user = api_token_user(raw)

    # then it resolves to its user and the use is noted
    assert user == clerk
    assert ApiToken.objects.get().last_used_at >= before


def test_each_token_is_different(org_tree):
    clerk = staff(Role.CLERK, org_tree["own"])
    first, second = (
        api_token_create(actor=SYSTEM_TEST, user=clerk),
        api_token_create(actor=SYSTEM_TEST, user=clerk),
    )
    assert first != second
    assert api_token_user(first) == api_token_user(second) == clerk


def _revoke(raw: str) -> None:
    # There is no revocation service yet; set the field the way one would.
    ApiToken.objects.filter(token_hash=hashlib.sha256(raw.encode()).hexdigest()).update(
        revoked_at=timezone.now()
    )


def _deactivate_owner(raw: str) -> None:
    owner = ApiToken.objects.get(token_hash=hashlib.sha256(raw.encode()).hexdigest()).user
    user_update(actor=SYSTEM_TEST, user=owner, is_active=False)


@pytest.mark.parametrize(
    ("spoil", "presented"),
    [
        (_revoke, lambda raw: raw),
        (_deactivate_owner, lambda raw: raw),
        (lambda raw: None, lambda raw: raw + "x"),
        (lambda raw: None, lambda raw: raw.upper()),
        (lambda raw: None, lambda raw: ""),
        (lambda raw: None, lambda raw: hashlib.sha256(raw.encode()).hexdigest()),
    ],
    ids=["revoked", "owner-inactive", "altered", "wrong-case", "empty", "the-stored-hash"],
)
def test_api_token_user_refuses_bad_tokens(org_tree, spoil, presented):
    # given a token that is then revoked / whose owner is deactivated / or a wrong one presented
    clerk = staff(Role.CLERK, org_tree["own"])
    raw = api_token_create(actor=SYSTEM_TEST, user=clerk)
    spoil(raw)

    # when presented / then nobody is authenticated
    assert api_token_user(presented(raw)) is None
