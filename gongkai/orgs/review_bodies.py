"""Which body hears an organisation's 行政复议 (行政复议法第二十四条, 第二十七条): from the org tree, or as set.

Letters (第五十一条: the remedy paragraph names the 复议机关) and the 指南 both name it from here.
"""

from __future__ import annotations

from .models import Level, Organisation, OrgKind


def _government_above(org: Organisation) -> Organisation | None:
    parent = org.parent
    while parent is not None and parent.kind != OrgKind.GOVERNMENT:
        parent = parent.parent
    return parent


# A government's 复议机关 is the government one level up (行政复议法第二十四条第一款第二项).
_LEVEL_ABOVE = {Level.TOWNSHIP: Level.COUNTY, Level.COUNTY: Level.CITY, Level.CITY: Level.PROVINCE}


def derived_review_body(org: Organisation) -> Organisation | None:
    """The 复议机关 the org tree implies (行政复议法第二十四条), or None when it cannot be derived.

    A 县级以上 government department → the government at the same level (第一款第一项); a 派出机构 or 派出机关
    → the government above it that set it up (第一款第三项, 第四款); a county or township government → the
    government one level up (第一款第二项); a provincial government → itself (第二款). Vertically led bodies
    (第二十七条: 海关、金融、外汇管理、税务、国家安全 → 上一级主管部门), 国务院部门 and anything the tree does
    not show must be set by hand (``Organisation.review_body``, which always wins).
    """
    if is_vertically_led(org):
        return None  # 第二十七条: the 上一级主管部门, which the tree does not show
    if org.kind == OrgKind.DEPARTMENT:
        gov = _government_above(org)
        return gov if gov is not None and org.level != Level.TOWNSHIP and gov.level == org.level else None
    if org.kind == OrgKind.AGENCY:
        return _government_above(org)
    if org.kind == OrgKind.GOVERNMENT:
        if org.level == Level.PROVINCE:
            return org
        gov = _government_above(org)
        return gov if gov is not None and gov.level == _LEVEL_ABOVE.get(Level(org.level)) else None
    return None


# Names of the bodies 行政复议法第二十七条 sends to the 上一级主管部门 (海关、金融、外汇管理等垂直领导机关，税务和国家
# 安全机关): an organisation whose name holds one is treated as vertically led even if nobody ticked the box, so
# its 复议机关 is never guessed as the local government.
VERTICALLY_LED_NAME_PARTS = ("海关", "税务", "国家安全", "金融监督管理", "金融监管", "外汇管理")


def is_vertically_led(org: Organisation) -> bool:
    return bool(getattr(org, "vertically_led", False)) or any(
        part in org.name for part in VERTICALLY_LED_NAME_PARTS
    )


def review_body_name(org: Organisation) -> str:
    """The 复议机关 named in letters: the configured one, else the derived one, else ""."""
    if org.review_body.strip():
        return org.review_body.strip()
    derived = derived_review_body(org)
    return derived.name if derived is not None else ""
