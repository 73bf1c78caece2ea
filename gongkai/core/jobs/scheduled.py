"""Periodic work, run by ``celery beat`` through the worker: management commands by name, and a heartbeat.

The schedule itself is data (``settings.CELERY_BEAT_SCHEDULE``); core names commands by string only, so it
imports no other app. The heartbeat, written every minute to the shared cache, is what ``/healthz``
reads: a fresh one proves the broker, a worker and the scheduler are all running.
"""

from __future__ import annotations

import io
import logging

from celery import shared_task
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

log = logging.getLogger(__name__)

HEARTBEAT_KEY = "gongkai:jobs:heartbeat"
HEARTBEAT_MAX_AGE = 180  # seconds: three missed beats


@shared_task(name="gongkai.command", acks_late=True, ignore_result=True)
def run_command(name: str, *args: str) -> str:
    """Run one management command (remind_due, audit_anchor, …) and log its last line."""
    out = io.StringIO()
    call_command(name, *args, stdout=out, stderr=out)
    last = (out.getvalue().strip().splitlines() or [""])[-1]
    log.info("scheduled command %s done: %s", name, last[:200])
    return last


@shared_task(name="gongkai.heartbeat", ignore_result=True)
def heartbeat() -> None:
    cache.set(HEARTBEAT_KEY, timezone.now().timestamp(), timeout=HEARTBEAT_MAX_AGE * 2)


def heartbeat_age() -> float | None:
    """Seconds since the last heartbeat, or None when there is none."""
    beat = cache.get(HEARTBEAT_KEY)
    return None if beat is None else timezone.now().timestamp() - float(beat)
