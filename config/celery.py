"""The Celery application: settings from Django's (``CELERY_*``), tasks from each app's ``tasks`` module.

Worker: ``celery -A config worker``; scheduler: ``celery -A config beat`` (docs/deploy.md).
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

app = Celery("gongkai")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
