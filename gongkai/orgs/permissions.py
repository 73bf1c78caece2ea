"""Org-scoped permissions: what each role may do, and where (own org, its subtree, everywhere).

One table (``ROLE_GRANTS``) is the whole policy; the predicate :func:`can` and the queryset
:func:`orgs_where` both read it, and tests/test_permissions.py checks it as a matrix.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db.models import Q, QuerySet

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


def roles_grantable_by(user: Any, org: Organisation) -> list[str]:
    """Roles ``user`` may hand out in ``org``: only system admins create system admins."""
    if not can(user, Action.MANAGE, org):
        return []
    return [r for r in Role.values if r != Role.SYSTEM_ADMIN or is_system_admin(user)]


def forget_cached_memberships(user: Any) -> None:
    if hasattr(user, "_gongkai_memberships"):
        del user._gongkai_memberships
