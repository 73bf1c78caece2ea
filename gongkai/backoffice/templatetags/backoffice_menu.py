"""``{% staff_menu as menu %}``: the back-office menu for the signed-in user (``backoffice.menu``)."""

from __future__ import annotations

from typing import Any

from django import template

from gongkai.backoffice.menu import menu_for

register = template.Library()


@register.simple_tag(takes_context=True)
def staff_menu(context: dict[str, Any]) -> list[dict[str, Any]]:
    request = context["request"]
    return menu_for(request.user, request.path)
