"""The 专栏 self-check shown to the 公开办管理员 (国办秘函〔2019〕19号): empty or stale columns, broken internal
links, undated items."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Max
from django.urls import Resolver404, resolve
from django.utils import timezone

from gongkai.orgs.models import Organisation

from .models import Item
from .selectors import PUBLIC_STATUSES
from .vocab import DocKind, item_article, items_for_level

DEFAULT_STALE_COLUMN_DAYS = 90  # configurable: settings.GONGKAI_STALE_COLUMN_DAYS


@dataclass
class SelfCheck:
    org: Organisation
    empty_columns: list[str] = field(default_factory=list)
    stale_columns: list[tuple[str, dt.date]] = field(default_factory=list)
    broken_links: list[tuple[Item, str]] = field(default_factory=list)
    undated_items: list[Item] = field(default_factory=list)

    @property
    def problems(self) -> int:
        return (
            len(self.empty_columns)
            + len(self.stale_columns)
            + len(self.broken_links)
            + len(self.undated_items)
        )


_HREF = re.compile(r"""href\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_ITEM_URL = "portal:catalog_item"


def _link_broken(href: str, public_ids: set[int]) -> bool:
    """An internal link (a path on this site) that resolves to nothing, or to an item that is not public."""
    path = href.split("#", 1)[0].split("?", 1)[0]
    for host in getattr(settings, "ALLOWED_HOSTS", []):
        for scheme in ("http://", "https://"):
            if host and host != "*" and path.startswith(f"{scheme}{host}"):
                path = path[len(scheme + host) :] or "/"
    if not path.startswith("/") or path.startswith("//"):
        return False  # external or relative: not checked here
    try:
        match = resolve(path)
    except Resolver404:
        return True
    if match.view_name == _ITEM_URL:
        return int(match.kwargs["pk"]) not in public_ids
    return False


def site_self_check(
    org: Organisation, *, today: dt.date | None = None, stale_days: int | None = None
) -> SelfCheck:
    """The 专栏 self-check shown to the 公开办管理员: empty or stale columns, broken internal links, undated items."""
    today = today or timezone.localdate()
    stale_days = stale_days or int(getattr(settings, "GONGKAI_STALE_COLUMN_DAYS", DEFAULT_STALE_COLUMN_DAYS))
    check = SelfCheck(org)
    items = Item.objects.filter(org=org, status__in=PUBLIC_STATUSES)
    check.undated_items = list(items.filter(published_at__isnull=True))
    dated = items.filter(published_at__isnull=False)
    latest = dict(dated.values_list("statutory_item").annotate(m=Max("published_at")).order_by())
    columns: list[tuple[str, Any]] = [
        (
            "政府信息公开制度",
            dated.filter(doc_kind=DocKind.DISCLOSURE_RULE).aggregate(m=Max("published_at"))["m"],
        )
    ]
    columns += [
        (f"法定主动公开内容 · {item_article(i.value)} {i.label}", latest.get(i.value))
        for i in items_for_level(org.level)
    ]
    for label, last in columns:
        if last is None:
            check.empty_columns.append(label)
        elif (today - timezone.localdate(last)).days > stale_days:
            check.stale_columns.append((label, timezone.localdate(last)))
    public_ids = set(Item.objects.filter(status__in=PUBLIC_STATUSES).values_list("pk", flat=True))
    for item in dated.only("pk", "title", "body", "index_no"):
        for href in _HREF.findall(item.body or ""):
            if _link_broken(href, public_ids):
                check.broken_links.append((item, href))
    return check
