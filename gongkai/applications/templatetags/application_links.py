"""Filters that offer a link only to users the target page would let in (no link that answers 403).

Each filter calls the very check its page makes (``applications.permissions``), so the two cannot drift:
``{% if user|may_register %}<a href="…">登记申请</a>{% endif %}``.
"""

from __future__ import annotations

from typing import Any

from django import template

from gongkai.applications import permissions

register = template.Library()


@register.filter
def may_register(user: Any) -> bool:
    return permissions.may_register(user)


@register.filter
def may_manage_seals(user: Any) -> bool:
    return permissions.may_manage_seals(user)
