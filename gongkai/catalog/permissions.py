"""Who may do what with catalogue items; the workflow's own step table lives in workflow.STEPS."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from gongkai.core.actors import Actor, is_system
from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import Action, can, orgs_where

from .models import Item
from .vocab import Status


def require_manage_any(actor: Actor) -> None:
    """The deployment-wide vocabularies: any MANAGE grant (or a system job)."""
    if not is_system(actor) and not orgs_where(actor, Action.MANAGE).exists():
        raise PermissionDenied("只有公开办管理员或系统管理员可以维护此表。")


def can_view_item(user: Any, item: Item) -> bool:
    return can(user, Action.VIEW, item.org)


def can_see_policy(user: Any, policy: Item) -> bool:
    """Whether the item ``policy`` may be shown, or linked, as the policy a 政策解读 explains: when published
    (or repealed) to anyone, else only to whom may view it. Ids are sequential: a link must not be a way to read
    another organisation's draft (its title, its existence). ``user`` None: the public site."""
    if policy.status in (Status.PUBLISHED, Status.REPEALED):
        return True
    return user is not None and can_view_item(user, policy)


def can_edit_item(user: Any, item: Item) -> bool:
    """Drafts are changed by EDIT on the item's organisation (经办人, 公开办管理员)."""
    return item.status == Status.DRAFT and can(user, Action.EDIT, item.org)


def edit_refusal(item: Item) -> str:
    """Why ``item`` cannot be changed (``can_edit_item`` said no), in the words the 403 page shows: only a draft
    changes, a published item is withdrawn and reopened first."""
    if item.status == Status.PUBLISHED:
        return "已发布的信息不能直接修改。需要修改的，请由审核人或公开办管理员先“撤回”，再“重新编辑”，修改后重新审核发布。"
    if item.status == Status.WITHDRAWN:
        return "已撤回的信息须先点击“重新编辑”，才能修改。"
    if item.status != Status.DRAFT:
        return f"“{item.get_status_display()}”状态的信息不能修改；只有“起草”状态的信息可由经办人修改。"
    return "您没有修改该机构信息的权限。"


def can_mark_amended(user: Any, item: Item) -> bool:
    """有效性 → 已修改 on a published, valid item: REVIEW or MANAGE on its organisation."""
    return (
        item.status == Status.PUBLISHED
        and item.validity == "valid"
        and (can(user, Action.REVIEW, item.org) or can(user, Action.MANAGE, item.org))
    )


def draftable_orgs(user: Any) -> QuerySet[Organisation]:
    return orgs_where(user, Action.EDIT).filter(is_active=True).order_by("path")


def manageable_orgs(user: Any) -> QuerySet[Organisation]:
    """Organisations whose 专栏 self-check and catalogue figures the user may see as 公开办管理员."""
    return orgs_where(user, Action.MANAGE).filter(is_active=True).order_by("path")


def can_maintain_vocabularies(user: Any) -> bool:
    """The 错敏词 dictionary and the 领域 list are deployment-wide: any MANAGE grant maintains them."""
    return orgs_where(user, Action.MANAGE).exists()
