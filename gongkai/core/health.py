"""``/healthz`` for load balancers: database, cache, storage and the job queue, as JSON.

200 only when every check passes, 503 otherwise. Unauthenticated, so it says which dependency failed and
nothing else: no host names, versions or error texts (those go to the log).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .jobs.scheduled import HEARTBEAT_MAX_AGE, heartbeat_age

log = logging.getLogger(__name__)


def _database() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {}


def _cache() -> dict[str, Any]:
    key = f"gongkai:healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    if cache.get(key) != "1":
        raise RuntimeError("cache did not return what was set")
    cache.delete(key)
    return {}


def _storage() -> dict[str, Any]:
    name = default_storage.save(f"healthz/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        with default_storage.open(name) as handle:
            if handle.read() != b"ok":
                raise RuntimeError("storage did not return what was written")
    finally:
        default_storage.delete(name)
    return {}


def _jobs() -> dict[str, Any]:
    if not settings.GONGKAI_BROKER_URL:
        return {"mode": "eager"}  # jobs run in the web process: nothing else to be up
    from celery import current_app

    with current_app.connection_for_write(settings.GONGKAI_BROKER_URL) as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
    age = heartbeat_age()
    if age is None or age > HEARTBEAT_MAX_AGE:
        raise RuntimeError("no recent heartbeat from the worker and the scheduler")
    return {"mode": "broker", "heartbeat_age": int(age)}


CHECKS: dict[str, Callable[[], dict[str, Any]]] = {
    "database": _database,
    "cache": _cache,
    "storage": _storage,
    "jobs": _jobs,
}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    results: dict[str, dict[str, Any]] = {}
    for name, check in CHECKS.items():
        try:
            results[name] = {"ok": True, **check()}
        except Exception:  # noqa: BLE001 — any failure is "unhealthy"; the reason goes to the log only
            log.warning("health check %s failed", name, exc_info=True)
            results[name] = {"ok": False}
    healthy = all(r["ok"] for r in results.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unhealthy", "checks": results}, status=200 if healthy else 503
    )
