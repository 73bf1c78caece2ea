"""Writes to staff accounts, their two-factor devices and API tokens, each audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.core.actors import Actor, is_system
from gongkai.core.models import AuditAction
from gongkai.core.services import REDACTED, audit_record, diff, snapshot
from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import (
    Action,
    can,
    forget_cached_memberships,
    is_system_admin,
    may_manage_user,
    require,
)
from gongkai.orgs.services import KeepsLastSystemAdmin, membership_grant

from .models import ApiToken, User, hash_token

USER_FIELDS = ("username", "full_name", "email", "phone", "is_active")


@transaction.atomic
def user_create(
    *,
    actor: Actor,
    username: str,
    password: str,
    org: Organisation,
    role: str,
    full_name: str = "",
    email: str = "",
    phone: str = "",
) -> User:
    """Create a staff account with its first role in ``org`` (MANAGE on ``org``)."""
    require(actor, Action.MANAGE, org, f"您没有权限在「{org.name}」添加工作人员。")
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": f"用户名「{username}」已被使用。"})
    user = User(username=username, full_name=full_name, email=email, phone=phone)
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    audit_record(
        actor=actor, action=AuditAction.CREATE, obj=user, org=org, changes=snapshot(user, USER_FIELDS)
    )
    membership_grant(actor=actor, user=user, org=org, role=role)
    return user


def _require_manage_user(actor: Actor, user: User) -> Organisation | None:
    """The organisation to file the audit row under, once ``actor`` may change ``user``.

    A user changes their own account; anyone else must stand above every role the user holds
    (orgs.permissions.may_manage_user): nobody below 系统管理员 touches a 系统管理员, and a 公开办管理员
    touches no other 公开办管理员 of the same organisation or above.
    """
    orgs = [m.org for m in user.memberships.select_related("org").order_by("org__path")]
    if is_system(actor) or actor.pk == user.pk:
        return orgs[0] if orgs else None
    if not may_manage_user(actor, user):
        raise PermissionDenied(
            "您没有权限管理该用户：该用户拥有与您同级或更高级别的角色，或不在您管理的机构内。"
        )
    return next((o for o in orgs if can(actor, Action.MANAGE, o)), orgs[0] if orgs else None)


@transaction.atomic
def user_update(*, actor: Actor, user: User, **fields: Any) -> User:
    unknown = set(fields) - set(USER_FIELDS)
    if unknown:
        raise TypeError(f"unknown user fields: {sorted(unknown)}")
    org = _require_manage_user(actor, user)
    before = snapshot(user, USER_FIELDS)
    for name, value in fields.items():
        setattr(user, name, value)
    user.full_clean()
    with KeepsLastSystemAdmin():
        user.save()
    forget_cached_memberships(user)
    if changes := diff(before, snapshot(user, USER_FIELDS)):
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=user, org=org, changes=changes)
    return user


@transaction.atomic
def user_set_password(*, actor: Actor, user: User, password: str) -> None:
    """Set a password. Set by someone else (a reset), it must be changed by its owner at next login."""
    org = _require_manage_user(actor, user)
    validate_password(password, user)
    user.set_password(password)
    user.must_change_password = not is_system(actor) and actor.pk != user.pk
    user.save(update_fields=["password", "must_change_password"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=user,
        org=org,
        changes={
            "password": [REDACTED, REDACTED],
            "must_change_password": user.must_change_password,
        },
    )


@transaction.atomic
def user_change_own_password(*, user: User, old_password: str, password: str) -> None:
    """The owner changes their password, proving the current one (clears a forced change)."""
    if not user.check_password(old_password):
        raise ValidationError({"old_password": "当前密码不正确。"})
    if old_password == password:
        raise ValidationError({"password": "新密码不能与当前密码相同。"})
    user_set_password(actor=user, user=user, password=password)


@transaction.atomic
def totp_devices_clear(*, actor: Actor, user: User) -> int:
    """Remove a user's authenticators (a lost phone): only a 系统管理员 may do it for someone else."""
    if not is_system(actor) and actor.pk != user.pk and not is_system_admin(actor):
        raise PermissionDenied("只有系统管理员可以重置他人的双因素认证。")
    org = _require_manage_user(actor, user)
    count, _ = TOTPDevice.objects.filter(user=user).delete()
    audit_record(
        actor=actor, action=AuditAction.UPDATE, obj=user, org=org, changes={"two_factor": [True, False]}
    )
    return count


@transaction.atomic
def totp_device_start(*, user: User) -> TOTPDevice:
    """An unconfirmed TOTP device for ``user`` (replacing earlier unconfirmed ones)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=False)


@transaction.atomic
def totp_device_confirm(*, user: User, device: TOTPDevice, token: str) -> bool:
    """Confirm the device when ``token`` matches; audited. Returns False for a wrong code."""
    if device.user_id != user.pk or not device.verify_token(token.strip()):
        return False
    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(actor=user, action=AuditAction.UPDATE, obj=user, changes={"two_factor": [False, True]})
    return True


TOKEN_DEFAULT_DAYS = 90
TOKEN_MAX_DAYS = 365


@transaction.atomic
def api_token_create(
    *,
    actor: Actor,
    user: User,
    name: str = "",
    days: int = TOKEN_DEFAULT_DAYS,
    two_factor_verified: bool = False,
) -> str:
    """Create a bearer token for ``user`` and return it; only its hash is kept.

    A token is made by its owner (or from the command line, ``SYSTEM_CLI``), lasts ``days`` days (at most a
    year), and a 系统管理员's token needs a session that passed the second factor: a token must not be a way
    around TOTP.
    """
    if not is_system(actor) and actor.pk != user.pk:
        raise PermissionDenied("API 令牌只能由本人创建。")
    if not 1 <= days <= TOKEN_MAX_DAYS:
        raise ValidationError({"days": f"有效期应为 1 至 {TOKEN_MAX_DAYS} 天。"})
    if not is_system(actor) and is_system_admin(user) and not two_factor_verified:
        raise PermissionDenied("系统管理员须先通过双因素认证，才能创建 API 令牌。")
    raw = ApiToken.generate()
    token = ApiToken(
        user=user,
        name=name,
        token_hash=hash_token(raw),
        prefix=raw[:8],
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    token.full_clean()
    token.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=token,
        changes={"user": user.username, "name": name, "expires_at": token.expires_at},
    )
    return raw


def may_see_tokens(actor: Actor, user: User) -> bool:
    """The owner, and whoever may manage the owner, see and revoke a user's tokens."""
    return actor.pk == user.pk or may_manage_user(actor, user)


@transaction.atomic
def api_token_revoke(*, actor: Actor, token: ApiToken) -> None:
    """Revoke a token now (its owner or the owner's managers); audited, idempotent."""
    token = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
    if not is_system(actor) and not may_see_tokens(actor, token.user):
        raise PermissionDenied("您没有权限吊销该令牌。")
    if token.revoked_at is not None:
        return
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=token,
        changes={"user": token.user.username, "revoked_at": [None, token.revoked_at]},
    )


def api_token_user(raw: str) -> User | None:
    """The active user behind a valid (not revoked, not expired) bearer token, or None."""
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(
            token_hash=hash_token(raw),
            revoked_at__isnull=True,
            expires_at__gt=now,
            user__is_active=True,
            user__must_change_password=False,  # a reset account is locked until its owner changes it
        )
        .first()
    )
    if token is None:
        return None
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
