"""Test settings: the base settings with a fast hasher; the database still comes from DATABASE_URL."""

from .base import *  # noqa: F403
from .base import PASSWORD_HASHERS as PRODUCTION_PASSWORD_HASHERS

# Argon2 is what production uses (asserted in tests); MD5 keeps the suite fast.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PRODUCTION_PASSWORD_HASHERS]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# A fixed audit key; no anchor file (tests that anchor point GONGKAI_AUDIT_ANCHOR_FILE at a temporary file).
GONGKAI_AUDIT_KEY = "test-audit-key-not-for-production"
GONGKAI_AUDIT_ANCHOR_FILE = ""
GONGKAI_AUDIT_ANCHOR_SYSLOG = ""
# Jobs run eagerly in the tests whatever the environment says; the one real-broker test
# (core/tests/test_jobs_broker.py, PostgreSQL pass) points Celery at Redis itself.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://localhost/"
# The public page cache is on only where a test turns it on (core/tests/test_pagecache.py, portal/tests/
# test_page_cache.py, core/tests/test_two_nodes.py), whatever REDIS_URL says: other tests change rows directly.
GONGKAI_PAGE_CACHE = False
