"""Every write to organisations and memberships, each with its audit row."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError

from gongkai.core.actors import Actor, is_system
from gongkai.core.models import AuditAction
from gongkai.core.services import audit_record, diff, snapshot

from .codes import normalise
from .models import Membership, Organisation, Role
from .permissions import (
    Action,
    forget_cached_memberships,
    is_system_admin,
    may_hold_authority_over,
    may_manage_user,
    require,
    roles_grantable_by,
)
from .public_pages import all_pages_changed

ORG_FIELDS = (
    "name", "short_name", "code", "parent", "level", "kind", "sort_order", "is_active",
    "office_name", "address", "office_hours", "phone", "fax", "email", "postcode", "website",
    "review_body", "vertically_led", "court", "four_eyes", "extension_approval", "report_deadline", "report_deadline_basis",
    "handling_office",
    "personal_data_retention_years",
)  # fmt: skip


def _require(actor: Actor, action: Action, org: Organisation | None) -> None:
    """``require`` on ``org``; a top-level organisation (no parent, ``org`` None) is the 系统管理员's."""
    if org is not None:
        require(actor, action, org)
    elif not is_system(actor) and not is_system_admin(actor):
        raise PermissionDenied("只有系统管理员可以创建顶级机构。")


def active_system_admins() -> int:
    """How many users can act as 系统管理员 now (active user, active organisation: see permissions._memberships)."""
    return (
        Membership.objects.filter(role=Role.SYSTEM_ADMIN, user__is_active=True, org__is_active=True)
        .values("user")
        .distinct()
        .count()
    )


class KeepsLastSystemAdmin:
    """Service invariant: a change that leaves no active 系统管理员 (where there was one) is refused.

    Used around every write that can take the role away, by any path: deactivating the user,
    revoking the membership, deactivating the organisation that holds it. Counting before and after
    inside the same transaction catches every such path, including ones not written yet.
    """

    MESSAGE = "不能停用、撤销或移除最后一名系统管理员。请先为其他人授予系统管理员角色。"

    def __enter__(self) -> KeepsLastSystemAdmin:
        # Lock the admins' membership rows so two concurrent removals cannot both pass (PostgreSQL).
        list(Membership.objects.select_for_update().filter(role=Role.SYSTEM_ADMIN).values_list("pk"))
        self.before = active_system_admins()
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if exc_type is None and self.before > 0 and active_system_admins() == 0:
            raise ValidationError(self.MESSAGE)


def _place(org: Organisation) -> None:
    """Set path and depth from the parent, refusing a cycle."""
    parent = org.parent
    if parent is not None:
        if org.pk is not None and (parent.pk == org.pk or parent.path.startswith(org.path)):
            raise ValidationError({"parent": "上级机构不能是本机构或其下级机构（会形成循环）。"})
        org.path = f"{parent.path}{org.code}/"
        org.depth = parent.depth + 1
    else:
        org.path = f"/{org.code}/"
        org.depth = 0


def _repath_descendants(org: Organisation, old_path: str) -> None:
    if old_path == org.path:
        return
    for child in Organisation.objects.filter(path__startswith=old_path).exclude(pk=org.pk).order_by("depth"):
        child.path = org.path + child.path[len(old_path) :]
        child.depth = child.path.count("/") - 2
        child.save(update_fields=["path", "depth"])


@transaction.atomic
def org_create(*, actor: Actor, **fields: Any) -> Organisation:
    """Create an organisation under ``parent`` (checked: MANAGE on the parent)."""
    unknown = set(fields) - set(ORG_FIELDS)
    if unknown:
        raise TypeError(f"unknown organisation fields: {sorted(unknown)}")
    org = Organisation(**fields)
    org.code = normalise(org.code)
    _require(actor, Action.MANAGE, org.parent)
    if org.handling_office is not None:
        _require(actor, Action.MANAGE, org.handling_office)
    _place(org)
    org.full_clean()
    org.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=org, org=org, changes=snapshot(org, ORG_FIELDS))
    all_pages_changed()
    return org


@transaction.atomic
def org_update(*, actor: Actor, org: Organisation, **fields: Any) -> Organisation:
    """Change an organisation's data or move it (MANAGE on it, and on the new parent)."""
    unknown = set(fields) - set(ORG_FIELDS)
    if unknown:
        raise TypeError(f"unknown organisation fields: {sorted(unknown)}")
    org = Organisation.objects.select_for_update().get(pk=org.pk)
    _require(actor, Action.MANAGE, org)
    before = snapshot(org, ORG_FIELDS)
    old_path = org.path
    for name, value in fields.items():
        setattr(org, name, value)
    org.code = normalise(org.code)
    if "parent" in fields and org.parent_id != before["parent"]:
        _require(actor, Action.MANAGE, org.parent)
    if org.handling_office_id != before["handling_office"] and org.handling_office is not None:
        # Handing the applications to another office gives its staff access: MANAGE there too.
        _require(actor, Action.MANAGE, org.handling_office)
    _place(org)
    org.full_clean()
    changes = diff(before, snapshot(org, ORG_FIELDS))
    if not is_system(actor):
        _require_authority_for(actor, org, changes, old_path)
    with KeepsLastSystemAdmin():
        org.save()
    _repath_descendants(org, old_path)
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=org, org=org, changes=changes)
        all_pages_changed()
    return org


def org_set_handling_office(*, actor: Actor, org: Organisation, office: Organisation | None) -> Organisation:
    """Name the 政府信息公开工作机构 that handles ``org``'s applications (None: ``org`` itself); audited like any
    organisation change. MANAGE on ``org`` and on ``office``; ``Organisation.clean`` refuses a chain, a cycle
    and an inactive office (``orgs/handling.py``)."""
    return org_update(actor=actor, org=org, handling_office=office)


# Settings that bind the organisation's own staff (separation of duties): changed only from above.
SUPERVISED_FIELDS = frozenset({"four_eyes", "extension_approval"})


def _require_authority_for(actor: Actor, org: Organisation, changes: dict[str, Any], old_path: str) -> None:
    """Changes that act on people, or on the rules binding them, need authority over them.

    - 双人审核 and the extension approval mode bind the organisation's staff, its 公开办管理员 included: only a
      系统管理员 or the 公开办管理员 of an organisation above may change them;
    - deactivating an organisation suspends every role held in it, and moving one changes who reaches the
      roles in its subtree: the actor must stand above every such role (a 公开办管理员 cannot switch off the
      organisation of a 系统管理员 or of a peer).
    """
    if SUPERVISED_FIELDS & set(changes) and not may_hold_authority_over(actor, Role.OFFICE_ADMIN, org):
        raise PermissionDenied("“双人审核”和延期审批方式只能由上级机构的公开办管理员或系统管理员修改。")
    affected = None
    if "is_active" in changes and not org.is_active:
        affected = Membership.objects.filter(org=org)
    if "parent" in changes:
        affected = Membership.objects.filter(org__path__startswith=old_path)
    if affected is not None:
        for m in affected.select_related("org"):
            if not may_hold_authority_over(actor, m.role, m.org):
                raise PermissionDenied(
                    f"该机构（或其下级机构）有您无权管理的人员（{Role(m.role).label}），"
                    "不能由您停用或移动，请联系系统管理员。"
                )


@transaction.atomic
def org_delete(*, actor: Actor, org: Organisation) -> None:
    """Delete an organisation that has no sub-organisations, staff or records; else say why."""
    _require(actor, Action.MANAGE, org.parent or org)
    if org.children.exists():
        raise ValidationError("该机构下仍有下级机构，不能删除。请先删除或移动下级机构，或将本机构停用。")
    if org.memberships.exists():
        raise ValidationError("该机构仍有工作人员授权，不能删除。请先撤销授权，或将本机构停用。")
    record = snapshot(org, ORG_FIELDS)
    pk, name = org.pk, org.name
    try:
        with transaction.atomic():
            org.delete()
    except ProtectedError as exc:
        kinds = sorted({str(o._meta.verbose_name) for o in exc.protected_objects})
        raise ValidationError(f"该机构已有业务记录（{'、'.join(kinds)}），不能删除，只能停用。") from exc
    audit_record(
        actor=actor, action=AuditAction.DELETE, object_type="orgs.organisation",
        object_id=str(pk), object_repr=name, changes=record,
    )  # fmt: skip
    all_pages_changed()


def _revoke_tokens_made_without_second_factor(actor: Actor, user: Any, org: Organisation) -> None:
    """A 系统管理员's API token must come from a TOTP-verified session; tokens the user made before holding the
    role did not, so becoming 系统管理员 revokes them (audited)."""
    from django.apps import apps
    from django.utils import timezone

    tokens = apps.get_model("accounts", "ApiToken").objects.filter(user=user, revoked_at__isnull=True)
    prefixes = list(tokens.values_list("prefix", flat=True))
    if prefixes:
        tokens.update(revoked_at=timezone.now())
        audit_record(
            actor=actor, action=AuditAction.UPDATE, obj=user, org=org,
            changes={"api_tokens_revoked": prefixes, "reason": "授予系统管理员角色"},
        )  # fmt: skip


def _may_manage_new(actor: Actor, user: Any) -> bool:
    """Granting a role changes a user: the actor must stand above every role the user already holds."""
    if not Membership.objects.filter(user=user).exists():
        return True  # a new account being given its first role (user_create checks MANAGE on the org)
    return may_manage_user(actor, user)


@transaction.atomic
def membership_grant(*, actor: Actor, user: Any, org: Organisation, role: str) -> Membership:
    """Give ``user`` a role in ``org``; only a system admin can create system admins."""
    if role not in Role.values:
        raise ValidationError({"role": "未知的角色。"})
    if not is_system(actor):
        if role not in roles_grantable_by(actor, org):
            raise PermissionDenied(f"您没有权限在「{org.name}」授予「{Role(role).label}」角色。")
        if actor.pk != user.pk and user.pk is not None and not _may_manage_new(actor, user):
            raise PermissionDenied("您没有权限管理该用户：该用户拥有与您同级或更高级别的角色。")
    membership, created = Membership.objects.get_or_create(user=user, org=org, role=role)
    if created:
        audit_record(
            actor=actor, action=AuditAction.GRANT, obj=membership, org=org,
            changes={"user": user.username, "role": role},
        )  # fmt: skip
        if role == Role.SYSTEM_ADMIN:
            _revoke_tokens_made_without_second_factor(actor, user, org)
    forget_cached_memberships(user)
    return membership


@transaction.atomic
def membership_revoke(*, actor: Actor, membership: Membership) -> None:
    org = membership.org
    if not is_system(actor):
        if membership.role not in roles_grantable_by(actor, org):
            raise PermissionDenied(f"您没有权限撤销「{org.name}」的该角色。")
        if actor.pk != membership.user_id and not may_manage_user(actor, membership.user):
            raise PermissionDenied("您没有权限管理该用户：该用户拥有与您同级或更高级别的角色。")
    with KeepsLastSystemAdmin():
        Membership.objects.filter(pk=membership.pk).delete()
    audit_record(
        actor=actor, action=AuditAction.REVOKE, obj=membership, org=org,
        changes={"user": membership.user.username, "role": membership.role},
    )  # fmt: skip
    forget_cached_memberships(membership.user)
