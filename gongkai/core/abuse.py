"""The public-form abuse limiter: accepted submissions per client address, counted in Django's cache.

No third-party CAPTCHA. Used by every anonymous submission path (the 依申请公开 form and its API). A path may
ask ``rate_limited(request)`` early (a read, to answer before validating), but what holds is
``reserve_submission(request)``: it takes one of the address's slots with one atomic increment (Redis INCR on
several nodes), so concurrent submissions from one address cannot pass the limit together; a path that then does
not accept the submission gives the slot back with ``release_submission(request)``.
``GONGKAI_YSQ_RATE_LIMIT = (submissions, seconds)`` sets the limit (default 5 an hour).
"""

from __future__ import annotations

import contextlib

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


def reserve_submission(request: HttpRequest) -> bool:
    """Take one submission slot of this request's address; False (and nothing taken) when none is left."""
    limit, window = RATE_LIMIT
    key = _key(request)
    for _ in range(2):
        cache.add(key, 0, window)
        try:
            taken = cache.incr(key)
        except ValueError:  # expired between add and incr: start the window again
            continue
        if taken > limit:
            release_submission(request)
            return False
        return True
    return False


def release_submission(request: HttpRequest) -> None:
    """Give back a slot taken by ``reserve_submission`` for a submission that was not accepted."""
    with contextlib.suppress(ValueError):  # the window has expired meanwhile: nothing to give back
        cache.decr(_key(request))
