"""/healthz: 200 with every dependency named when all are up, 503 naming the one that is down."""

from __future__ import annotations

import pytest
from django.test import override_settings

from gongkai.core.jobs.scheduled import HEARTBEAT_KEY, heartbeat

pytestmark = pytest.mark.django_db

DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1: a stopped Redis


def _get(client):
    response = client.get("/healthz")
    return response.status_code, response.json()


def test_healthy_without_a_broker(client):
    status, body = _get(client)
    assert status == 200 and body["status"] == "ok"
    assert body["checks"] == {
        "database": {"ok": True},
        "cache": {"ok": True},
        "storage": {"ok": True},
        "jobs": {"ok": True, "mode": "eager"},  # jobs run in the web process: nothing else must be up
    }


def test_a_stopped_redis_cache_makes_it_503_and_says_which(client):
    with override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": DEAD_REDIS}}
    ):
        status, body = _get(client)
    assert status == 503 and body["status"] == "unhealthy"
    assert body["checks"]["cache"] == {"ok": False}
    assert body["checks"]["database"] == {"ok": True}
    assert "127.0.0.1" not in str(body) and "Error" not in str(body)  # nothing about the failure leaks


def test_a_stopped_broker_makes_it_503(client):
    heartbeat()  # even with a fresh heartbeat in the cache
    with override_settings(GONGKAI_BROKER_URL=DEAD_REDIS):
        status, body = _get(client)
    assert status == 503 and body["checks"]["jobs"] == {"ok": False}


def test_unwritable_storage_makes_it_503(client, tmp_path):
    read_only = tmp_path / "media"
    read_only.mkdir(mode=0o500)
    storages = {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": read_only},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    import os

    if os.geteuid() == 0:
        storages["default"]["OPTIONS"]["location"] = "/proc/gongkai-healthz"  # root writes anywhere else
    with override_settings(STORAGES=storages):
        status, body = _get(client)
    assert status == 503 and body["checks"]["storage"] == {"ok": False}


def test_only_get(client):
    assert client.post("/healthz").status_code == 405


def test_the_heartbeat_is_what_the_scheduler_writes():
    from django.core.cache import cache

    assert cache.get(HEARTBEAT_KEY) is None
    heartbeat()
    assert cache.get(HEARTBEAT_KEY) is not None
