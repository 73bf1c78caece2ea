"""Who handles an organisation's 依申请公开 applications: its 政府信息公开工作机构 (``handling_office``).

A county government's applications are usually handled by the 县政府办, a department handles its own (the
field empty). The relation is one level deep: the handling office handles for itself (its own field empty)
and an organisation that handles for others does not hand its own applications on — so there is no chain
and no cycle, and "who handles X" is always ``X.handling_office or X``. The permission side is in
``permissions.py`` (``application_orgs_where``, ``can_for_applications``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Organisation


def handling_office_of(org: Organisation) -> Organisation:
    """The organisation whose staff handle the applications made to ``org`` (``org`` itself by default)."""
    if org.handling_office_id is None or org.handling_office_id == org.pk:
        return org
    office: Organisation = org.handling_office  # type: ignore[assignment]
    return office


def receiving_office_name(org: Organisation) -> str:
    """The 受理机构 of ``org``'s applications as a receipt names it: the 政府信息公开工作机构 that receives and handles
    them (第二十九条). A named handling office *is* that 工作机构, so its own name; else the 工作机构 configured for
    ``org`` (``office_name``); else ``org`` itself."""
    if org.handling_office_id is not None and org.handling_office_id != org.pk:
        return handling_office_of(org).name
    return org.office_name or org.name


def handling_office_error(org: Organisation) -> dict[str, str]:
    """Why ``org``'s handling office (or its active state) cannot stand, by field, or {} (``Organisation.clean``).

    "Itself" is stored as empty. The office must be active and handle for itself; an organisation that handles
    for others keeps its own applications and may not be switched off while it does."""
    if org.handling_office_id is not None and org.handling_office_id == org.pk:
        org.handling_office = None
    handled = org.handled_orgs.exclude(pk=org.pk) if org.pk is not None else None
    if handled is not None and handled.exists():
        names = "、".join(o.name for o in handled[:3])
        if not org.is_active:
            return {
                "is_active": f"本机关是{names}的办理申请的工作机构，停用前请先为这些机关改设其他工作机构。"
            }
        if org.handling_office_id is not None:
            return {
                "handling_office": f"本机关正在办理{names}的申请，本机关的申请只能由本机关自行办理（不能形成转办链或循环）。"
            }
    if org.handling_office_id is None:
        return {}
    office = org.handling_office
    assert office is not None
    if not office.is_active:
        return {"handling_office": f"「{office.name}」已停用，不能作为办理申请的工作机构。"}
    if office.handling_office_id is not None and office.handling_office_id != office.pk:
        return {
            "handling_office": f"「{office.name}」本身的申请由其他机构办理，不能再作为办理申请的工作机构"
            "（不能形成转办链或循环）。"
        }
    return {}
