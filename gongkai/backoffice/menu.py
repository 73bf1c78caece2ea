"""The back-office menu, derived from the role policy: a link shows only when its page would let the user in.

Each entry names the action its page checks (``orgs.permissions``: the user must hold it in at least one
organisation); ``None`` means any signed-in member of staff. The pages keep their own checks: the menu only
stops offering what would answer 403 (a 经办人 was shown 用户管理).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from django.urls import NoReverseMatch, reverse

from gongkai.orgs.permissions import Action, orgs_where


class MenuEntry(NamedTuple):
    label: str
    url_name: str
    needs: Action | None = None  # the action the page requires in some organisation
    account: bool = False  # the user's own account (shown beside the user's name, not in the main menu)


MENU = (
    MenuEntry("工作台", "backoffice:dashboard"),
    MenuEntry("主动公开", "catalog:list", Action.VIEW),
    MenuEntry("依申请公开", "applications:list", Action.VIEW),
    MenuEntry("年度报告", "reports:list", Action.VIEW),
    MenuEntry("年报核查", "report_check:upload", Action.VIEW),
    MenuEntry("机构管理", "orgs:list", Action.VIEW),
    MenuEntry("用户管理", "accounts:user_list", Action.MANAGE),
    MenuEntry("审计日志", "backoffice:audit", Action.VIEW),
    MenuEntry("工作日历", "workdays:calendar"),
    MenuEntry("双因素认证", "accounts:two_factor", account=True),
    MenuEntry("修改密码", "accounts:password_change", account=True),
    MenuEntry("API 令牌", "accounts:tokens", account=True),
)


def menu_for(user: Any, current_path: str = "") -> list[dict[str, Any]]:
    """The entries ``user`` may open, as {label, url, current, account}."""
    held: dict[Action, bool] = {}
    out = []
    for entry in MENU:
        if entry.needs is not None:
            if entry.needs not in held:
                held[entry.needs] = orgs_where(user, entry.needs).exists()
            if not held[entry.needs]:
                continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:  # an app not installed in this deployment
            continue
        out.append(
            {"label": entry.label, "url": url, "current": current_path == url, "account": entry.account}
        )
    return out
