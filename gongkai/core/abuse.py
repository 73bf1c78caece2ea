"""The public-form abuse limiter: accepted submissions per client address, counted in Django's cache.

No third-party CAPTCHA. Used by every anonymous submission path (the 依申请公开 form and its API); a path
asks ``rate_limited(request)`` before it accepts and calls ``count_submission(request)`` once it has.
``GONGKAI_YSQ_RATE_LIMIT = (submissions, seconds)`` sets the limit (default 5 an hour).
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

RATE_LIMIT: tuple[int, int] = getattr(
    settings, "GONGKAI_YSQ_RATE_LIMIT", (5, 3600)
)  # submissions per IP per seconds


def _key(request: HttpRequest) -> str:
    return f"gongkai:ysqgk:ip:{request.META.get('REMOTE_ADDR', '')}"


def rate_limited(request: HttpRequest) -> bool:
    """Per-IP limit on accepted submissions, counted in Django's cache (no third-party CAPTCHA)."""
    limit, window = RATE_LIMIT
    key = _key(request)
    cache.add(key, 0, window)
    return cache.get(key, 0) >= limit


def count_submission(request: HttpRequest) -> None:
    """Count one accepted submission from this request's address."""
    key = _key(request)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, RATE_LIMIT[1])
