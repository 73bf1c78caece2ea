"""Org-scoped permissions: what each role may do, and where (own org, its subtree, everywhere).

One table (``ROLE_GRANTS``) is the whole policy; the predicate :func:`can` and the queryset
:func:`orgs_where` both read it, and tests/test_permissions.py checks it as a matrix. Services check with
:func:`require` (an ``Actor``: a user, or a ``core.actors.SystemActor`` for jobs, which passes).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from gongkai.core.actors import Actor, is_system

from .models import Membership, Organisation, Role


class Action(StrEnum):
    VIEW = "view"  # read records of the organisation
    EDIT = "edit"  # create and change business records (items, applications, reports)
    REVIEW = "review"  # 审核
    SECRECY_REVIEW = "secrecy_review"  # 保密审查
    MANAGE = "manage"  # organisation data, staff and roles


class Reach(StrEnum):
    OWN = "own"  # the organisation of the membership only
    SUBTREE = "subtree"  # that organisation and everything below it
    GLOBAL = "global"  # every organisation in the deployment


@dataclass(frozen=True)
class Grant:
    reach: Reach
    actions: frozenset[Action]


ROLE_GRANTS: dict[str, Grant] = {
    Role.SYSTEM_ADMIN: Grant(Reach.GLOBAL, frozenset(Action)),
    Role.OFFICE_ADMIN: Grant(Reach.SUBTREE, frozenset({Action.VIEW, Action.EDIT, Action.MANAGE})),
    Role.CLERK: Grant(Reach.OWN, frozenset({Action.VIEW, Action.EDIT})),
    Role.REVIEWER: Grant(Reach.OWN, frozenset({Action.VIEW, Action.REVIEW})),
    Role.SECRECY_REVIEWER: Grant(Reach.OWN, frozenset({Action.VIEW, Action.SECRECY_REVIEW})),
    Role.SUPERVISOR: Grant(Reach.SUBTREE, frozenset({Action.VIEW})),
}


def _memberships(user: Any) -> list[Membership]:
    """The user's memberships, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_gongkai_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user, org__is_active=True).select_related("org"))
        user._gongkai_memberships = cached
    return cached


def is_system_admin(user: Any) -> bool:
    return any(m.role == Role.SYSTEM_ADMIN for m in _memberships(user))


def can(user: Any, action: Action, org: Organisation) -> bool:
    """May ``user`` perform ``action`` on records of ``org``?"""
    for m in _memberships(user):
        grant = ROLE_GRANTS[m.role]
        if action not in grant.actions:
            continue
        if grant.reach == Reach.GLOBAL:
            return True
        if grant.reach == Reach.OWN and m.org_id == org.pk:
            return True
        if grant.reach == Reach.SUBTREE and org.path.startswith(m.org.path):
            return True
    return False


def require(
    actor: Actor, action: Action | Iterable[Action], org: Organisation, message: str | None = None
) -> None:
    """The one permission check of the services: a ``core.actors.SystemActor`` (a job: CLI, demo, import)
    passes; a user must hold ``action`` (or any one of several) on ``org``, else PermissionDenied(``message``;
    by default "您没有权限对「org」执行此操作。"). ``None`` is refused with TypeError (no silent bypass)."""
    _require_by(can, actor, action, org, message)


def _require_by(
    permits: Callable[[Any, Action, Organisation], bool],
    actor: Actor,
    action: Action | Iterable[Action],
    org: Organisation,
    message: str | None,
) -> None:
    """``require`` with the permission test ``permits`` (``can``, or ``can_for_applications``)."""
    if is_system(actor):
        return
    actions = (action,) if isinstance(action, Action) else tuple(action)
    if not any(permits(actor, a, org) for a in actions):
        raise PermissionDenied(message or f"您没有权限对「{org.name}」执行此操作。")


def orgs_where(user: Any, action: Action) -> QuerySet[Organisation]:
    """The organisations on which ``user`` may perform ``action`` (for scoping every staff query)."""
    condition = Q(pk__in=[])
    for m in _memberships(user):
        grant = ROLE_GRANTS[m.role]
        if action not in grant.actions:
            continue
        if grant.reach == Reach.GLOBAL:
            return Organisation.objects.all()
        if grant.reach == Reach.OWN:
            condition |= Q(pk=m.org_id)
        else:
            condition |= Q(path__startswith=m.org.path)
    return Organisation.objects.filter(condition)


# --- Applications: the handling office (政府信息公开工作机构, ``Organisation.handling_office``) -----------------
# The applications made to an organisation are reached by whoever the role table lets act on that organisation
# (its own staff, 公开办管理员 and supervisors above it, 系统管理员) *and* by whoever it lets act on the
# organisation's handling office: the 县政府办's 经办人 handles the applications made to the 县政府. Only
# applications and their remedy cases use these; items, reports and the organisation's data stay with ``can``.


def can_for_applications(user: Any, action: Action, org: Organisation) -> bool:
    """May ``user`` perform ``action`` on the applications made to ``org`` (directly, or as its handling office)?"""
    if can(user, action, org):
        return True
    office_id = org.handling_office_id
    if office_id is None or office_id == org.pk:
        return False
    office = org.handling_office
    return office is not None and office.is_active and can(user, action, office)


def require_for_applications(
    actor: Actor, action: Action | Iterable[Action], org: Organisation, message: str | None = None
) -> None:
    """``require`` for the applications made to ``org``: the handling office's staff pass too."""
    _require_by(can_for_applications, actor, action, org, message)


def application_orgs_where(user: Any, action: Action) -> QuerySet[Organisation]:
    """The organisations whose applications ``user`` may ``action``: ``orgs_where`` plus the organisations
    handled by an (active) office in it. Every application and remedy-case query is scoped by this."""
    reach = orgs_where(user, action)
    return Organisation.objects.filter(
        Q(pk__in=reach.values("pk"))
        | Q(handling_office__in=reach.values("pk"), handling_office__is_active=True)
    )


# Ranks for managing people: 系统管理员 > 公开办管理员 > every other role.
ROLE_RANK: dict[str, int] = {
    Role.SYSTEM_ADMIN: 3,
    Role.OFFICE_ADMIN: 2,
    Role.CLERK: 1,
    Role.REVIEWER: 1,
    Role.SECRECY_REVIEWER: 1,
    Role.SUPERVISOR: 1,
}


def _outranks(manager: Membership, role: str, org: Organisation) -> bool:
    """Does ``manager`` (a membership with MANAGE) reach a role ``role`` held in ``org`` and stand above it?

    Above means a higher rank; a 公开办管理员 also stands above another 公开办管理员 of an organisation strictly
    below its own (a county office manages its departments' offices), never of the same organisation or above.
    A 系统管理员 stands above everyone, other 系统管理员 included (the last one is protected by the services).
    """
    grant = ROLE_GRANTS[manager.role]
    if Action.MANAGE not in grant.actions:
        return False
    if grant.reach == Reach.GLOBAL:
        return True
    within = manager.org_id == org.pk if grant.reach == Reach.OWN else org.path.startswith(manager.org.path)
    if not within:
        return False
    mine, theirs = ROLE_RANK[manager.role], ROLE_RANK[role]
    return mine > theirs or (mine == theirs and manager.org_id != org.pk)


def may_hold_authority_over(user: Any, role: str, org: Organisation) -> bool:
    """May ``user`` grant, revoke or otherwise act on the role ``role`` in ``org``?"""
    return any(_outranks(m, role, org) for m in _memberships(user))


def may_manage_user(actor: Any, target: Any) -> bool:
    """May ``actor`` change ``target`` (profile, activation, password, roles, lockout)?

    Only if every role the target holds is within the actor's reach and below the actor's own rank;
    a user with no role at all is managed by 系统管理员 only. Nobody manages themselves this way.
    """
    if getattr(actor, "pk", None) is None or actor.pk == target.pk:
        return False
    held = list(Membership.objects.filter(user=target).select_related("org"))
    if not held:
        return is_system_admin(actor)
    return all(may_hold_authority_over(actor, m.role, m.org) for m in held)


def roles_grantable_by(user: Any, org: Organisation) -> list[str]:
    """Roles ``user`` may hand out in ``org``: those it stands above there (so only 系统管理员 make 系统管理员)."""
    if not can(user, Action.MANAGE, org):
        return []
    return [r for r in Role.values if may_hold_authority_over(user, r, org)]


def forget_cached_memberships(user: Any) -> None:
    if hasattr(user, "_gongkai_memberships"):
        del user._gongkai_memberships
