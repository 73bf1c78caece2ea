"""The public status lookup (申请编号＋查询码) and its failure limit: one function for the page and the API.

Both answer the same question from the same data, so both must count the same wrong guesses: a limit on one
door only would leave the other open to enumerating query codes.
"""

from __future__ import annotations

from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from .models import Application
from .services import intake

# Wrong code/secret pairs per IP per window (seconds) before lookups are refused.
STATUS_FAILURE_LIMIT: tuple[int, int] = getattr(settings, "GONGKAI_YSQ_STATUS_FAILURE_LIMIT", (20, 3600))
BLOCKED_MESSAGE = "查询失败次数过多，请一小时后再试。"
WRONG_MESSAGE = "申请编号或查询码不正确。"


class StatusLookup(NamedTuple):
    application: Application | None
    error: str  # "" when found
    blocked: bool  # the failure limit is reached: answer 429


def _failures_key(request: HttpRequest) -> str:
    return f"gongkai:ysqgk:status-fail:{request.META.get('REMOTE_ADDR', '')}"


def public_status_lookup(request: HttpRequest, tracking_code: str, secret: str) -> StatusLookup:
    """The application behind ``tracking_code`` when ``secret`` is its query code; each miss counts against
    the client's address, and once the limit is reached nothing is looked up until the window ends."""
    limit, window = STATUS_FAILURE_LIMIT
    key = _failures_key(request)
    if cache.get(key, 0) >= limit:
        return StatusLookup(None, BLOCKED_MESSAGE, True)
    candidate = (
        Application.objects.select_related("org").filter(tracking_code=tracking_code.strip().upper()).first()
    )
    if candidate is not None and intake.secret_matches(candidate, secret.strip()):
        return StatusLookup(candidate, "", False)
    cache.add(key, 0, window)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
    return StatusLookup(None, WRONG_MESSAGE, False)
