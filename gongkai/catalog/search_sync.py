"""Keeping the search index in line with the catalogue (run on commit by the workflow and the importer)."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from .models import Item, SearchEntry
from .search.backends import get_backend
from .search.text import body_tokens, title_tokens


@transaction.atomic
def search_sync_item(item_id: int) -> None:
    """Bring the search index in line with the item: indexed while public, absent otherwise."""
    item = Item.objects.filter(pk=item_id).first()
    backend = get_backend()
    if item is None or not item.is_public:
        SearchEntry.objects.filter(item_id=item_id).delete()
        backend.remove(item_id)
        return
    entry, _ = SearchEntry.objects.update_or_create(
        item=item,
        defaults={
            "org_id": item.org_id,
            "title_tokens": title_tokens(item.title),
            "tokens": body_tokens(
                item.doc_number,
                item.index_no,
                item.summary,
                item.keywords,
                item.body,
                *item.attachments.values_list("text", flat=True),
            ),
            "published_at": item.published_at,
        },
    )
    backend.index(entry)


def search_reindex(*, batch: int = 500, progress: Callable[[int, int], None] | None = None) -> int:
    """Rebuild the whole index from the catalogue (``gongkai catalog_reindex``, the reindex job); returns
    items indexed. ``progress(done, total)`` is called every ``batch`` items."""
    ids = list(Item.objects.values_list("pk", flat=True))
    stale = set(SearchEntry.objects.values_list("item_id", flat=True)) - set(ids)
    todo = ids + sorted(stale)
    for n, item_id in enumerate(todo, 1):
        search_sync_item(item_id)
        if progress is not None and (n % batch == 0 or n == len(todo)):
            progress(n, len(todo))
    return SearchEntry.objects.count()
