"""The cached public pages an item's change shows on (core/pagecache, orgs/public_pages.py).

Its organisation's pages and those above it (their lists hold it), and the pages of the items that name it: a
政策解读 shows its policy's title and the policy lists its interpretations, possibly in another organisation.
"""

from __future__ import annotations

from gongkai.orgs.public_pages import pages_changed_under

from .models import Item


def item_pages_changed(item: Item) -> None:
    """Retire the cached public pages that show ``item`` (called by every service that changes a public item)."""
    paths = {item.org.path}
    if item.interprets_id is not None:
        paths.update(Item.objects.filter(pk=item.interprets_id).values_list("org__path", flat=True))
    paths.update(Item.objects.filter(interprets=item).values_list("org__path", flat=True))
    pages_changed_under(paths)
