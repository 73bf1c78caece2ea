"""Settings for the gunicorn the benchmarks start: the project's base settings plus a bench-only URLconf.

The per-IP limit on public submissions is lifted because every benchmark client is 127.0.0.1.
"""

from config.settings.base import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
GONGKAI_YSQ_RATE_LIMIT = (1_000_000, 3600)
