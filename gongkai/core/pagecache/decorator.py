"""``public_page``: an anonymous public page kept whole in the shared cache, never served stale.

The view runs only when no valid copy exists; its answer is kept (by the middleware on its way out, with every
header the inner middleware added, so the next request is answered before URL resolution: ``middleware.py``;
or here, when that middleware does not cover the path).

Not kept: other methods; requests with a session cookie (a logged-in user, answered ``private``) or an
``Authorization`` header; answers other than 200, streamed files, answers that set a cookie or used a CSRF
token (a page with a form), answers marked private or ``counting.not_cacheable()``. Query parameters a view does
not declare are dropped before it runs, so ``?from=singlemessage`` shares the page.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.utils.cache import patch_cache_control

from . import counting, generations
from .copies import Copy, answer, cache_failed, eligible, enabled, make_copy, page_key, storable, store, today

Scope = Callable[[Mapping[str, Any]], str]
PENDING = (
    "page_copy"  # on a fresh answer: (key, copy), for the middleware to finish with its headers and keep
)


def _query(request: HttpRequest, params: Sequence[str]) -> str:
    """The declared parameters, sorted, first value each, blanks dropped (a filter form submits them all)."""
    pairs = [(name, request.GET.get(name, "")) for name in sorted(params)]
    return urlencode([(name, value) for name, value in pairs if value != ""])


def _rewrite_query(request: HttpRequest, query: str) -> None:
    """The view sees only the declared parameters, so what it renders depends on nothing the key leaves out."""
    request.GET = QueryDict(query)
    request.META["QUERY_STRING"] = query


def _found(request: HttpRequest, key: str, scopes: tuple[str, ...]) -> dict[str, Any]:
    """The copy and the generations: what the middleware read for this very key, or one cache round trip."""
    looked = getattr(request, "page_cache_lookup", None)
    if looked is not None and looked[0] == key and looked[1] == scopes:
        return dict(looked[2])
    return dict(generations.page_cache().get_many([key, *(generations.key(s) for s in scopes)]))


def _fresh(request: HttpRequest, key: str, copy: Copy, response: HttpResponse) -> HttpResponseBase:
    result = answer(request, copy, response, "miss")
    if getattr(request, "page_cache_outer", False) and result.status_code == 200:
        setattr(result, PENDING, (key, copy))  # kept by the middleware, with the final headers
    else:
        store(key, copy)
    return result


def public_page(*, scope: Scope | None = None, params: Sequence[str] = ()) -> Callable[[Any], Any]:
    """Keep the view's anonymous answers in the shared cache; ``scope(kwargs)`` names the generation they depend
    on besides ``generations.EVERYTHING`` (e.g. the organisation of ``/gk/<code>/…``); ``params`` are the query
    parameters the view reads."""

    def decorate(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not enabled() or not eligible(request):
                response = view(request, *args, **kwargs)
                if enabled():  # a logged-in user's copy is theirs alone
                    patch_cache_control(response, private=True)
                return response
            scopes = (generations.EVERYTHING, scope(kwargs)) if scope else (generations.EVERYTHING,)
            query = _query(request, params)
            key, day = page_key(request, query), today()
            try:
                found = _found(request, key, scopes)
                gens = generations.read(found, scopes)
            except Exception:  # noqa: BLE001 — the cache is optional: render without it
                cache_failed("read")
                return view(request, *args, **kwargs)
            copy = found.get(key)
            if isinstance(copy, Copy) and copy.valid(scopes, gens, day):
                counting.replay(list(copy.notes))
                return answer(request, copy, None, "hit")
            _rewrite_query(request, query)
            with counting.rendering((scopes, gens)) as state:
                response = view(request, *args, **kwargs)
            if not isinstance(response, HttpResponse) or not storable(request, response, state):
                return response
            return _fresh(request, key, make_copy(response, scopes, gens, day, state.notes), response)

        return wrapped

    return decorate
