"""Celery's task discovery looks for ``<app>.tasks``: the core's tasks live in ``core.jobs``."""

from .jobs.scheduled import heartbeat, run_command
from .jobs.service import run_job

__all__ = ["heartbeat", "run_command", "run_job"]
