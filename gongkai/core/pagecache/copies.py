"""A kept page (``Copy``), its key, and how it is answered: the parts the decorator and the middleware share.

A page is kept under its address (scheme, host, path, the query parameters its view reads) and the release;
its copy records its scopes, their generations (``generations.py``) and the day it was rendered, and is served
only while they are current. The copy carries a strong ``ETag`` (a hash of its bytes, the same on every node)
and ``Last-Modified`` (the last change of its scopes, the release, or midnight, whichever is latest), so a
conditional GET from a browser, nginx or a CDN is answered ``304 Not Modified``; ``Cache-Control: public,
no-cache`` lets them keep it but not serve it without asking (``GONGKAI_PAGE_MAX_AGE`` seconds of staleness
may be allowed instead).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import time
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.encoding import escape_uri_path
from django.utils.http import http_date

from . import counting, release

log = logging.getLogger(__name__)

MAX_BYTES = 2 * 1024 * 1024  # a larger answer is served but not kept
# What the view set (the decorator keeps these); the middleware keeps every header the inner middleware added.
VIEW_HEADERS = ("Content-Type", "Content-Language", "Content-Disposition", "X-Robots-Tag")
OWN_HEADERS = {
    "etag",
    "last-modified",
    "cache-control",
    "x-page-cache",
    "date",
    "content-length",
    "set-cookie",
}


@dataclass(frozen=True)
class Copy:
    """A kept page: the scopes, generations and day it is valid for, and what to answer."""

    scopes: tuple[str, ...]
    generations: tuple[int, ...]
    day: str
    headers: tuple[tuple[str, str], ...]
    body: bytes  # zlib-compressed
    etag: str
    last_modified: int  # seconds since the epoch
    notes: tuple[counting.Note, ...]
    final: bool = False  # headers as the middleware saw them (all), not only the view's

    def valid(self, scopes: tuple[str, ...], gens: tuple[int, ...], day: str) -> bool:
        return self.scopes == scopes and self.generations == gens and self.day == day


def enabled() -> bool:
    return bool(getattr(settings, "GONGKAI_PAGE_CACHE", False))


def eligible(request: HttpRequest) -> bool:
    """Anonymous GET/HEAD: no session cookie (a logged-in user), no ``Authorization`` header."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


def page_key(request: HttpRequest, query: str) -> str:
    where = f"{request.scheme}://{request.get_host()}{escape_uri_path(request.path)}?{query}"
    return f"gongkai:page:{release.fingerprint()}:{hashlib.sha256(where.encode()).hexdigest()[:32]}"


_days: dict[str, tuple[float, float, dt.date]] = {}  # time zone: [start, end) of its current day, the day


def local_date() -> dt.date:
    """Today in the site's time zone, worked out once a day per process (``timezone.localdate()`` costs tens of
    microseconds, and a cached page asks for it on every hit, as does its view counter)."""
    zone, now = settings.TIME_ZONE, time.time()
    known = _days.get(zone)
    if known is None or not known[0] <= now < known[1]:
        day = timezone.localdate()
        start = timezone.make_aware(dt.datetime.combine(day, dt.time.min)).timestamp()
        end = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min)).timestamp()
        known = _days[zone] = (start, end, day)
    return known[2]


def today() -> str:
    return local_date().isoformat()


def _cache_control() -> str:
    max_age = int(getattr(settings, "GONGKAI_PAGE_MAX_AGE", 0))
    return f"public, max-age={max_age}" if max_age > 0 else "public, no-cache"


def answer(
    request: HttpRequest, copy: Copy, response: HttpResponse | None, state: str, body: bytes | None = None
) -> HttpResponseBase:
    """The copy (or the response just rendered as it) with its validators; 304 when the client has it. ``body``:
    the copy's bytes already decompressed (a copy this process keeps ready, ``local.py``)."""
    fill = response is None
    if response is None:
        response = HttpResponse()
        for name, value in copy.headers:
            if copy.final or name in VIEW_HEADERS:
                response[name] = value
    response["ETag"], response["Last-Modified"] = copy.etag, http_date(copy.last_modified)
    response["Cache-Control"] = _cache_control()
    result = (
        get_conditional_response(request, etag=copy.etag, last_modified=copy.last_modified, response=response)
        or response
    )
    if result is response and fill:
        response.content = zlib.decompress(copy.body) if body is None else body
    result["X-Page-Cache"] = state
    return result


def storable(request: HttpRequest, response: HttpResponseBase, state: counting.Rendering) -> bool:
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
    day = local_date()
    return int(timezone.make_aware(dt.datetime.combine(day, dt.time.min)).timestamp())


def make_copy(
    response: HttpResponse,
    scopes: tuple[str, ...],
    gens: tuple[int, ...],
    day: str,
    notes: list[counting.Note],
) -> Copy:
    body = response.content
    changed = max(max(gens) // 10**9, release.first_seen() // 10**9, _midnight())
    return Copy(
        scopes=scopes,
        generations=gens,
        day=day,
        headers=tuple((h, response[h]) for h in VIEW_HEADERS if response.has_header(h)),
        body=zlib.compress(body, 6),
        etag='"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"',
        last_modified=changed,
        notes=tuple(notes),
    )


def final_headers(response: HttpResponseBase) -> tuple[tuple[str, str], ...]:
    """Every header the answer carries on its way out, but the validators and the per-answer ones."""
    return tuple((name, value) for name, value in response.items() if name.lower() not in OWN_HEADERS)


_warned_at = 0.0


def cache_failed(what: str) -> None:
    """The cache is away: pages are rendered as if there were none (logged once a minute per process)."""
    global _warned_at
    if time.monotonic() - _warned_at > 60:
        _warned_at = time.monotonic()
        log.warning("page cache unavailable (%s): rendering pages uncached", what, exc_info=True)


def store(key: str, copy: Copy) -> None:
    from .generations import page_cache

    try:
        page_cache().set(key, copy, int(settings.GONGKAI_PAGE_CACHE_SECONDS))
    except Exception:  # noqa: BLE001 — the cache is optional
        cache_failed("write")
