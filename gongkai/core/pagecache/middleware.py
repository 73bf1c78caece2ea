"""The page cache's fast path: a kept page answered before URL resolution and the rest of the middleware.

Placed right after WhiteNoise (``settings.MIDDLEWARE``): only TrustedProxy, Security and WhiteNoise run before
it, and Security adds its headers to the answer on the way out. A copy is kept here, on the way out of a fresh
answer, with every header the inner middleware added (CSP, X-Frame-Options, Vary, Content-Language), and served
to a request whose address (path and query string as sent) is the one it was rendered for, while its
generations and day are current. ``GONGKAI_PAGE_CACHE_PATHS`` names the function saying which paths may have a
copy and the scopes they depend on (the portal's: ``portal/page_paths.py``); other paths pass straight through,
without a cache round trip. A query string other than the canonical one (undeclared parameters, another order)
finds no copy here and goes to the view's decorator, which knows the parameters. The copies this process
served last are also kept here ready to send (``local.py``), so a hit reads only the generations from the
shared cache, does not touch the database (page views go to the process's buffer, ``counting.py``), and builds
one response from bytes in memory.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import cache

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils.module_loading import import_string

from . import counting, generations
from .copies import Copy, answer, cache_failed, eligible, enabled, final_headers, page_key, store, today
from .decorator import PENDING
from .local import LOCAL

ScopesOfPath = Callable[[str], "tuple[str, ...] | None"]


@cache
def _scopes_of(dotted: str) -> ScopesOfPath:
    return import_string(dotted)


class PageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        dotted = getattr(settings, "GONGKAI_PAGE_CACHE_PATHS", "")
        scopes = _scopes_of(dotted)(request.path) if dotted and enabled() and eligible(request) else None
        if scopes is None:
            return self.get_response(request)
        request.page_cache_outer = True  # type: ignore[attr-defined]
        key = page_key(request, request.META.get("QUERY_STRING", ""))
        served = self._hit(request, key, scopes)
        if served is not None:
            return served
        response = self.get_response(request)
        pending = getattr(response, PENDING, None)
        if pending is not None and response.status_code == 200 and not response.cookies:
            fresh_key, copy = pending
            final = replace(copy, headers=final_headers(response), final=True)
            store(fresh_key, final)
            LOCAL.put_copy(fresh_key, final)
        return response

    def _hit(self, request: HttpRequest, key: str, scopes: tuple[str, ...]) -> HttpResponseBase | None:
        """A copy kept in this process (``local.py``) costs one round trip for the generations only; otherwise
        the copy comes with them (and is kept here for the next hit)."""
        gen_keys = [generations.key(s) for s in scopes]
        mine = LOCAL.get(key)
        try:
            cache = generations.page_cache()
            found = cache.get_many(gen_keys if mine is not None else [key, *gen_keys])
            gens, day = generations.read(found, scopes), today()
            if mine is not None:
                if mine[0].valid(scopes, gens, day):
                    counting.replay(list(mine[0].notes))
                    return answer(request, mine[0], None, "hit", body=mine[1])
                LOCAL.drop(key)  # retired: perhaps another node has kept a newer copy
                found = {**found, **cache.get_many([key])}
        except Exception:  # noqa: BLE001 — the cache is optional
            cache_failed("read")
            return None
        request.page_cache_lookup = (key, scopes, found)  # type: ignore[attr-defined]
        copy = found.get(key)
        if isinstance(copy, Copy) and copy.final and copy.valid(scopes, gens, day):
            counting.replay(list(copy.notes))
            return answer(request, copy, None, "hit", body=LOCAL.put_copy(key, copy))
        return None
