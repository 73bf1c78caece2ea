"""Template helpers of the public 专栏: the column tree's sub-items."""

from __future__ import annotations

from django import template

from gongkai.catalog.vocab import CHINESE_NUMERALS, items_for_level
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
