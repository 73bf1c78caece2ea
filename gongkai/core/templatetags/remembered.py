"""``{% remember "name" vary… %}…{% endremember %}``: a fragment rendered once per process for the same inputs.

The page chrome of an organisation's 专栏 (its navigation, column tree, breadcrumbs) is the same on every page of
the organisation and on every cache miss, until the organisation tree changes. The fragment's HTML is kept in
this process under its name and the values of ``vary``, which must be everything the fragment reads (the
organisation's code, names and level, which column and item are current …): a changed name gives another key,
so what is shown is never stale, whatever retired the page (no generation needed; kept no longer than the
page cache's lifetime, ``core/pagecache/kept.py``). The URLs a fragment reverses depend on the script prefix and
URLconf, which are part of the key too.
"""

from __future__ import annotations

from collections.abc import Hashable

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token, VariableDoesNotExist
from django.urls import get_script_prefix, get_urlconf

from gongkai.core.pagecache.memo import Remembered

register = template.Library()
FRAGMENTS = Remembered(limit=4096)  # by (name, vary, prefix, urlconf): a few per organisation and page kind
_SAME = "fragment"  # the one "generation" of a fragment: its key holds every input


def _resolve(value: FilterExpression, context: template.Context) -> object:
    """A vary value; a filter whose argument is missing from the context gives None (a variable itself gives
    ``string_if_invalid``, as everywhere): the same missing argument gives the same key."""
    try:
        return value.resolve(context)
    except VariableDoesNotExist:
        return None


class RememberNode(template.Node):
    def __init__(self, nodelist: NodeList, name: FilterExpression, vary: list[FilterExpression]) -> None:
        self.nodelist = nodelist
        self.name = name
        self.vary = vary

    def render(self, context: template.Context) -> str:
        vary = tuple(_resolve(v, context) for v in self.vary)
        key: Hashable = (str(self.name.resolve(context)), vary, get_script_prefix(), get_urlconf())
        found, html = FRAGMENTS.recall(key, _SAME)
        if found:
            return str(html)
        html = self.nodelist.render(context)
        FRAGMENTS.keep(key, _SAME, html)
        return html


@register.tag("remember")
def do_remember(parser: Parser, token: Token) -> RememberNode:
    bits = token.split_contents()[1:]
    if not bits:
        raise template.TemplateSyntaxError("{% remember %} needs a fragment name")
    nodelist = parser.parse(("endremember",))
    parser.delete_first_token()
    return RememberNode(
        nodelist, parser.compile_filter(bits[0]), [parser.compile_filter(b) for b in bits[1:]]
    )
