"""Generations of the public page cache: one number per scope (an organisation's pages, or all pages).

A cached page remembers the generations it was rendered under and is served only while they are still the
current ones. Every service that changes what a public page shows bumps the generations of the scopes it
touched: at once (so a test, or a request in the same transaction, sees it) and again after the commit (a
request that read the old rows between the two stored its copy under the first bump's generation, which the
second bump retires). A generation is the time of its last bump in nanoseconds, so ``Last-Modified`` can be
derived from it, and never goes backwards (a bump is max(now, previous + 1)).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Sequence
from functools import partial

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.db import transaction

from .kept import forget_everything

log = logging.getLogger(__name__)

EVERYTHING = "*"  # the scope every page depends on (an organisation renamed shows in every breadcrumb)
PREFIX = "gongkai:page:gen:"
# Generations outlive every cached page (GONGKAI_PAGE_CACHE_SECONDS); one that expires anyway comes back as a
# new number, which only retires the pages stored under the old one.
KEEP_SECONDS = 30 * 24 * 3600


def page_cache() -> BaseCache:
    """The cache holding the pages and their generations (Redis in production: shared by every node)."""
    return caches[settings.GONGKAI_PAGE_CACHE_ALIAS]


def key(scope: str) -> str:
    return PREFIX + scope


def read(values: dict[str, object], scopes: Sequence[str]) -> tuple[int, ...]:
    """The generations of ``scopes`` from a ``get_many`` that asked for their keys; a missing one is started."""
    missing = [s for s in scopes if not isinstance(values.get(key(s)), int)]
    if missing:
        cache = page_cache()
        for scope in missing:
            cache.add(key(scope), time.time_ns(), KEEP_SECONDS)  # another node may have started it first
        values = {**values, **cache.get_many([key(s) for s in missing])}
    return tuple(int(values.get(key(s)) or 0) for s in scopes)  # type: ignore[call-overload]


def current(scopes: Sequence[str]) -> tuple[int, ...]:
    """The current generations of ``scopes`` (one cache round trip when they exist)."""
    return read(page_cache().get_many([key(s) for s in scopes]), scopes)


def _bump_now(scopes: frozenset[str]) -> None:
    try:
        cache = page_cache()
        keys = [key(s) for s in sorted(scopes)]
        old = cache.get_many(keys)
        now = time.time_ns()
        cache.set_many({k: max(now, int(old.get(k) or 0) + 1) for k in keys}, KEEP_SECONDS)
    except Exception:  # the change itself must not fail because the cache is away; its pages expire by TTL
        log.exception("page cache generations not bumped (%d scopes); cached pages may show the old state "
                      "until GONGKAI_PAGE_CACHE_SECONDS pass", len(scopes))  # fmt: skip
        forget_everything()  # this node forgets at once; the others within that time too (kept.py)


def bump(scopes: Iterable[str]) -> None:
    """Retire the cached pages of ``scopes``: now, and again once the current transaction commits."""
    frozen = frozenset(scopes)
    if not frozen:
        return
    _bump_now(frozen)
    transaction.on_commit(partial(_bump_now, frozen))


def bump_everything() -> None:
    """Retire every cached page (an organisation renamed, moved, created; a backup restored)."""
    bump([EVERYTHING])
