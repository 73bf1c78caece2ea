"""``public_page``: an anonymous public page kept whole in the shared cache, never served stale.

A page is kept under its address (scheme, host, path, the query parameters the view reads) and the release;
its copy records the generations of its scopes (``generations.py``) and the day it was rendered, and is served
only while both are current. One cache round trip answers a hit: the page and its generations together.
The copy carries a strong ``ETag`` (a hash of its bytes, the same on every node) and ``Last-Modified`` (the
last change of its scopes, the release, or midnight, whichever is latest), so a conditional GET from a browser,
nginx or a CDN is answered ``304 Not Modified``; ``Cache-Control: public, no-cache`` lets them keep it but not
serve it without asking (``GONGKAI_PAGE_MAX_AGE`` seconds of staleness may be allowed instead).

Not kept: other methods; requests with a session cookie (a logged-in user, answered ``private``) or an
``Authorization`` header; answers other than 200, streamed files, answers that set a cookie or used a CSRF
token (a page with a form), answers marked private or ``counting.not_cacheable()``. Query parameters a view does
not declare are dropped before it runs, so ``?from=singlemessage`` shares the page.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import time
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.encoding import escape_uri_path
from django.utils.http import http_date

from . import counting, generations, release

log = logging.getLogger(__name__)

MAX_BYTES = 2 * 1024 * 1024  # a larger answer is served but not kept
KEPT_HEADERS = ("Content-Type", "Content-Language", "Content-Disposition", "X-Robots-Tag")
Scope = Callable[[Mapping[str, Any]], str]


@dataclass(frozen=True)
class Copy:
    """A kept page: the generations and day it is valid for, and what to answer."""

    generations: tuple[int, ...]
    day: str
    headers: tuple[tuple[str, str], ...]
    body: bytes  # zlib-compressed
    etag: str
    last_modified: int  # seconds since the epoch
    notes: tuple[counting.Note, ...]


def enabled() -> bool:
    return bool(getattr(settings, "GONGKAI_PAGE_CACHE", False))


def _eligible(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


def _query(request: HttpRequest, params: Sequence[str]) -> str:
    """The declared parameters, sorted, first value each, blanks dropped (a filter form submits them all)."""
    pairs = [(name, request.GET.get(name, "")) for name in sorted(params)]
    return urlencode([(name, value) for name, value in pairs if value != ""])


def _page_key(request: HttpRequest, query: str) -> str:
    where = f"{request.scheme}://{request.get_host()}{escape_uri_path(request.path)}?{query}"
    return f"gongkai:page:{release.fingerprint()}:{hashlib.sha256(where.encode()).hexdigest()[:32]}"


def _cache_control() -> str:
    max_age = int(getattr(settings, "GONGKAI_PAGE_MAX_AGE", 0))
    return f"public, max-age={max_age}" if max_age > 0 else "public, no-cache"


def _answer(request: HttpRequest, copy: Copy, response: HttpResponse | None, state: str) -> HttpResponseBase:
    """The copy (or the response just rendered as it) with its validators; 304 when the client has it."""
    if response is None:
        response = HttpResponse()
        for name, value in copy.headers:
            response[name] = value
        fill = True
    else:
        fill = False
    response["ETag"], response["Last-Modified"] = copy.etag, http_date(copy.last_modified)
    response["Cache-Control"] = _cache_control()
    answer = (
        get_conditional_response(request, etag=copy.etag, last_modified=copy.last_modified, response=response)
        or response
    )
    if answer is response and fill:
        response.content = zlib.decompress(copy.body)
    answer["X-Page-Cache"] = state
    return answer


def _storable(request: HttpRequest, response: HttpResponseBase, state: counting.Rendering) -> bool:
    control = response.get("Cache-Control", "")
    return (
        state.cacheable
        and response.status_code == 200
        and isinstance(response, HttpResponse)
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and "private" not in control
        and "no-store" not in control
        and len(response.content) <= MAX_BYTES
    )


def _midnight() -> int:
    today = timezone.localdate()
    return int(timezone.make_aware(dt.datetime.combine(today, dt.time.min)).timestamp())


def _copy(response: HttpResponse, gens: tuple[int, ...], day: str, notes: list[counting.Note]) -> Copy:
    body = response.content
    changed = max(max(gens) // 10**9, release.first_seen() // 10**9, _midnight())
    return Copy(
        generations=gens,
        day=day,
        headers=tuple((h, response[h]) for h in KEPT_HEADERS if response.has_header(h)),
        body=zlib.compress(body, 6),
        etag='"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"',
        last_modified=changed,
        notes=tuple(notes),
    )


_warned_at = 0.0


def _cache_failed(what: str) -> None:
    """The cache is away: pages are rendered as if there were none (logged once a minute per process)."""
    global _warned_at
    if time.monotonic() - _warned_at > 60:
        _warned_at = time.monotonic()
        log.warning("page cache unavailable (%s): rendering pages uncached", what, exc_info=True)


def _rewrite_query(request: HttpRequest, query: str) -> None:
    """The view sees only the declared parameters, so what it renders depends on nothing the key leaves out."""
    request.GET = QueryDict(query)
    request.META["QUERY_STRING"] = query


def public_page(*, scope: Scope | None = None, params: Sequence[str] = ()) -> Callable[[Any], Any]:
    """Keep the view's anonymous answers in the shared cache; ``scope(kwargs)`` names the generation they depend
    on besides ``generations.EVERYTHING`` (e.g. the organisation of ``/gk/<code>/…``); ``params`` are the query
    parameters the view reads."""

    def decorate(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not enabled() or not _eligible(request):
                response = view(request, *args, **kwargs)
                if enabled():  # a logged-in user's copy is theirs alone
                    patch_cache_control(response, private=True)
                return response
            scopes = (generations.EVERYTHING, scope(kwargs)) if scope else (generations.EVERYTHING,)
            query = _query(request, params)
            key = _page_key(request, query)
            day = timezone.localdate().isoformat()
            cache = generations.page_cache()
            try:
                found = cache.get_many([key, *(generations.key(s) for s in scopes)])
                gens = generations.read(found, scopes)
            except Exception:  # noqa: BLE001 — the cache is optional: render without it
                _cache_failed("read")
                return view(request, *args, **kwargs)
            copy = found.get(key)
            if isinstance(copy, Copy) and copy.generations == gens and copy.day == day:
                counting.replay(list(copy.notes))
                return _answer(request, copy, None, "hit")
            _rewrite_query(request, query)
            with counting.rendering() as state:
                response = view(request, *args, **kwargs)
            if not isinstance(response, HttpResponse) or not _storable(request, response, state):
                return response
            copy = _copy(response, gens, day, state.notes)
            try:
                cache.set(key, copy, int(settings.GONGKAI_PAGE_CACHE_SECONDS))
            except Exception:  # noqa: BLE001
                _cache_failed("write")
            return _answer(request, copy, response, "miss")

        return wrapped

    return decorate
