"""Template helpers of the public 专栏: the column tree's sub-items."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import SafeString, mark_safe

from gongkai.catalog.vocab import CHINESE_NUMERALS, StatutoryItem, items_for_level
from gongkai.core.forms import fast_escape
from gongkai.orgs.models import Organisation

register = template.Library()


@register.simple_tag
def statutory_groups(org: Organisation) -> list[dict[str, object]]:
    """The 法定主动公开内容 items of ``org``'s level as the tree shows them: 第二十条 items numbered （一）…（十五）,
    then the 第二十一条 items where the level has them."""
    a20: list[dict[str, str]] = []
    a21: list[dict[str, str]] = []
    for item in items_for_level(org.level):
        if item.value.startswith("a20_"):
            number = CHINESE_NUMERALS[int(item.value[4:]) - 1]
            a20.append({"value": item.value, "number": f"（{number}）", "label": item.label})
        else:
            a21.append({"value": item.value, "number": "", "label": item.label})
    groups: list[dict[str, object]] = [
        {"heading": "第二十条", "items": a20},
        {"heading": "第二十一条", "items": a21},
    ]
    return [g for g in groups if g["items"]]


_ITEM_LABELS = {item.value: item.label for item in StatutoryItem}


@register.filter
def is_item_label(text: object, item: object) -> bool:
    """Whether ``text`` is the label of the 公开内容类别 ``item`` (the column tree marks that item as the page
    itself, not as the page's parent: what its remembered fragment varies by)."""
    return bool(text) and text == _ITEM_LABELS.get(str(item or ""))


_ITEM_URLS: dict[tuple[object, str], tuple[str, str, str]] = {}
_CODE, _PK = "GKCODE", 918273645  # placeholders reversed once, then replaced


@register.filter
def catalog_item_url(item: Any) -> str:
    """``{% url 'portal:catalog_item' item.org.code item.pk %}`` for a list row, the URL pattern reversed once
    per process (and script prefix) instead of once per row."""
    where = (get_urlconf(), get_script_prefix())
    parts = _ITEM_URLS.get(where)
    if parts is None:
        url = reverse("portal:catalog_item", args=[_CODE, _PK])
        head, rest = url.split(_CODE, 1)
        middle, tail = rest.split(str(_PK), 1)
        parts = _ITEM_URLS[where] = (head, middle, tail)
    code = quote(str(item.org.code), safe=RFC3986_SUBDELIMS + "/~:@")
    return f"{parts[0]}{code}{parts[1]}{int(item.pk)}{parts[2]}"


@register.filter
def crumbs_key(ancestors: Any) -> tuple[tuple[str, str], ...]:
    """What the breadcrumbs show of ``ancestors`` (their codes and names): part of their remembered fragment's key."""
    return tuple((str(a.code), str(a.display_name)) for a in ancestors or ())


_ROW_HEAD = '<li>\n  <a href="{}">{}</a>\n  '
_ROW_BADGE = '<span class="badge">{}</span>'
_ROW_META = (
    '\n  <span class="doc-meta"><span class="visually-hidden">发布日期：</span><time datetime="{day}">{day}</time> · '
    '<span class="doc-no">索引号：{index_no}</span>{org}</span>\n</li>'
)


@register.simple_tag
def catalog_row(item: Any, show_org: object = False) -> SafeString:
    """One row of a catalogue list (_rows.html), built in Python: a template per row cost ~0.15 ms, the most
    of a list page's rendering. The markup is what the row template gave, to the byte."""
    published = item.published_at
    day = ""
    if published is not None:
        local = timezone.localtime(published) if timezone.is_aware(published) else published  # as the filter
        day = f"{local.year:04d}-{local.month:02d}-{local.day:02d}"  # the date filter's "Y-m-d"
    badge = "" if item.validity == "valid" else _ROW_BADGE.format(fast_escape(item.get_validity_display()))
    org = f" · {fast_escape(item.org.display_name)}" if show_org else ""
    head = _ROW_HEAD.format(fast_escape(catalog_item_url(item)), fast_escape(item.title))
    meta = _ROW_META.format(day=day, index_no=fast_escape(item.index_no), org=org)
    return mark_safe(head + badge + meta)  # noqa: S308 (every value above is escaped)
