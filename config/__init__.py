"""Django project package; loads the Celery app so that ``@shared_task`` binds to its settings."""

from .celery import app as celery_app

__all__ = ["celery_app"]
