"""Background jobs on Celery: the ``Job`` record pages poll, the registry of job kinds, enqueue and retry.

An app registers each kind of long work once (``register(JobKind(...))`` in its ``AppConfig.ready``); a
view calls ``enqueue(...)`` and redirects to the job's page, which polls its progress and shows the result
or the reason it failed. Without a broker (``GONGKAI_BROKER_URL``/``REDIS_URL`` unset: the demo and the
SQLite tests) Celery runs the job eagerly, in the process that enqueued it; with one, a ``celery worker``
runs it and a worker killed mid-job loses nothing (late acknowledgement: the broker hands it out again).
"""

from __future__ import annotations

from .registry import JobContext, JobFailed, JobKind, kind_of, register
from .service import enqueue, retry

__all__ = ["JobContext", "JobFailed", "JobKind", "enqueue", "kind_of", "register", "retry"]
