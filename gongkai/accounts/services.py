"""Writes to staff accounts, their two-factor devices and API tokens, each audited."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.core.models import AuditAction
from gongkai.core.services import audit_record, diff, snapshot
from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import Action, can
from gongkai.orgs.services import membership_grant

from .models import ApiToken, User, hash_token

USER_FIELDS = ("username", "full_name", "email", "phone", "is_active")


@transaction.atomic
def user_create(
    *,
    actor: Any | None,
    username: str,
    password: str,
    org: Organisation,
    role: str,
    full_name: str = "",
    email: str = "",
    phone: str = "",
) -> User:
    """Create a staff account with its first role in ``org`` (MANAGE on ``org``)."""
    if actor is not None and not can(actor, Action.MANAGE, org):
        raise PermissionDenied(f"您没有权限在「{org.name}」添加工作人员。")
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


def _require_manage_user(actor: Any | None, user: User) -> Organisation | None:
    """A user may be changed by whoever manages one of the organisations the user belongs to."""
    orgs = [m.org for m in user.memberships.select_related("org")]
    if actor is None or actor.pk == user.pk:
        return orgs[0] if orgs else None
    for org in orgs:
        if can(actor, Action.MANAGE, org):
            return org
    raise PermissionDenied("您没有权限管理该用户。")


@transaction.atomic
def user_update(*, actor: Any | None, user: User, **fields: Any) -> User:
    unknown = set(fields) - set(USER_FIELDS)
    if unknown:
        raise TypeError(f"unknown user fields: {sorted(unknown)}")
    org = _require_manage_user(actor, user)
    before = snapshot(user, USER_FIELDS)
    for name, value in fields.items():
        setattr(user, name, value)
    user.full_clean()
    user.save()
    if changes := diff(before, snapshot(user, USER_FIELDS)):
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=user, org=org, changes=changes)
    return user


@transaction.atomic
def user_set_password(*, actor: Any | None, user: User, password: str) -> None:
    org = _require_manage_user(actor, user)
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=user,
        org=org,
        changes={"password": ["（已隐藏）", "（已隐藏）"]},
    )


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


@transaction.atomic
def api_token_create(*, actor: Any | None, user: User, name: str = "") -> str:
    """Create a bearer token for ``user`` and return it; only its hash is kept."""
    raw = ApiToken.generate()
    token = ApiToken(user=user, name=name, token_hash=hash_token(raw), prefix=raw[:8])
    token.full_clean()
    token.save()
    audit_record(
        actor=actor, action=AuditAction.CREATE, obj=token, changes={"user": user.username, "name": name}
    )
    return raw


def api_token_user(raw: str) -> User | None:
    """The active user behind a bearer token, or None."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=hash_token(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
