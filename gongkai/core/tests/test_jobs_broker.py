"""Jobs through the real broker: Redis on 127.0.0.1 and `celery worker` processes, as in production.

PostgreSQL pass only (the worker is a separate process and must see the test database, which the SQLite
pass keeps in memory); skipped with the reason otherwise, and when no Redis answers on 127.0.0.1:6379.
Covers: a batch report check enqueued by the web page's code runs in a worker; the worker's heartbeat
makes /healthz healthy in broker mode; a worker killed mid-job loses nothing (another one finishes it) — for
a batch check, a ledger import (one transaction: nothing half-written, imported once) and a tree rendering.
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Q

from config.celery import app as celery_app
from gongkai.core.actors import SYSTEM_TEST
from gongkai.core.jobs import enqueue
from gongkai.core.jobs.scheduled import heartbeat
from gongkai.core.models import Job, JobStatus
from gongkai.reports.importing.jobs import REPORT_CHECK
from gongkai.reports.tests.importing import synth
from gongkai.reports.tests.importing.seed_001_expected import TABLE2, TABLE3_ROWS, TABLE4

COPIES = 30  # enough files that the job is still running well after the first one (≈ 50 ms each here)
LEDGER_ROWS = 1000  # 5–40 ms a row on PostgreSQL (quiet to loaded machine): the import runs for 5–40 s
TREE_ORGS = 4  # one PDF per organisation (≈ 1–3 s each here, report computed and rendered)
ROOT = Path(__file__).resolve().parents[3]
REDELIVERY = 3
# A database of its own on the shared Redis, flushed before each test; GONGKAI_TEST_REDIS_DB picks another
# one when several checkouts run the suite on one machine at the same time.
REDIS_DB = int(os.environ.get("GONGKAI_TEST_REDIS_DB", "14"))
REDIS_URL = f"redis://127.0.0.1:6379/{REDIS_DB}"
ON_POSTGRES = "postgresql" in settings.DATABASES["default"]["ENGINE"]


def _redis_up() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping())
    except Exception:  # noqa: BLE001 — any failure means "no Redis here"
        return False


pytestmark = [
    pytest.mark.skipif(
        not ON_POSTGRES,
        reason="real-broker jobs run in the PostgreSQL pass (a worker process needs a shared database)",
    ),
    pytest.mark.skipif(ON_POSTGRES and not _redis_up(), reason="no Redis answers on 127.0.0.1:6379"),
    pytest.mark.django_db(transaction=True),
]

DOC = {
    "unit": "洛江区",
    "year": 2020,
    "format": "2019",
    "sections": {"一": "2020年，全区受理政府信息公开申请9件。", "五": "存在问题。", "六": "无。"},
    "table2": TABLE2,
    "table3": {"columns": [], "rows": TABLE3_ROWS},
    "table4": TABLE4,
}


def _wait(predicate, what: str, limit: float = 90):
    """Poll until predicate() is true (start-up and job completion only; no speed is asserted)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _forget_connections() -> None:
    """Close Celery's connection and producer pools so that the next use opens them for the current URL."""
    from kombu import pools

    pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def broker(settings, tmp_path):
    """Point this process (the web side) and the workers at Redis and at one shared media folder."""
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    var = tmp_path / "var"
    (var / "media").mkdir(parents=True)
    settings.GONGKAI_BROKER_URL = REDIS_URL
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": var / "media"},
        },
    }
    conf = celery_app.conf
    saved = conf.task_always_eager, conf.broker_url
    conf.task_always_eager, conf.broker_url = False, REDIS_URL
    _forget_connections()  # pools made for the in-memory broker by earlier tests would still publish there
    db = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GONGKAI_", "DJANGO_", "REDIS_"))}
    env.update(
        PYTHONPATH=str(ROOT),
        DJANGO_SETTINGS_MODULE="config.settings.base",
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        REDIS_URL=REDIS_URL,
        GONGKAI_VAR_DIR=str(var),
        GONGKAI_AUDIT_KEY=settings.GONGKAI_AUDIT_KEY,
        GONGKAI_JOB_REDELIVERY=str(REDELIVERY),  # a dead worker's job is handed out again after 3 s
    )
    workers: list[subprocess.Popen] = []

    def start() -> subprocess.Popen:
        cmd = [sys.executable, "-m", "celery", "-A", "config", "worker", "-P", "solo", "-l", "WARNING"]
        cmd += ["--without-gossip", "--without-mingle", "-n", f"test{len(workers)}@%h"]
        log = (tmp_path / f"worker{len(workers)}.log").open(
            "wb"
        )  # a pipe nobody reads could fill up and block it
        worker = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        if worker.poll() is None:
            worker.terminate()
            worker.wait(timeout=30)
    conf.task_always_eager, conf.broker_url = saved
    _forget_connections()


def _batch(copies: int) -> tuple[bytes, list[str]]:
    page = synth.to_html(DOC)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for n in range(copies):
            archive.writestr(f"{n:03d}.html", page)
    return buffer.getvalue(), [f"洛江区{n}.html" for n in range(copies)]


def _done(job_id: int) -> Job | None:
    job = Job.objects.get(pk=job_id)
    return job if job.done else None


def test_a_batch_check_runs_in_a_worker_and_the_heartbeat_makes_healthz_green(broker, client):
    broker()
    data, names = _batch(3)
    job = enqueue(kind=REPORT_CHECK, actor=SYSTEM_TEST, params={"names": names, "output": "page"}, data=data)
    job = _wait(lambda: _done(job.pk), "the job")
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert [d["source"]["file"] for d in job.result["docs"]] == names
    assert job.input and len(job.result["origins"]) == 3  # kept for the 原文位置 of the findings (keep_input)
    # the scheduler's heartbeat goes through the broker to the worker, which writes it to the shared cache
    heartbeat.delay()
    _wait(lambda: client.get("/healthz").status_code == 200, "a healthy /healthz")
    assert client.get("/healthz").json()["checks"]["jobs"]["mode"] == "broker"


def _kill_mid_job_then_finish(
    broker, first, job_id: int, *, under_way: Q, settle: float = 0.0, cut_off=None
) -> Job:
    """SIGKILL the worker ``first`` (no chance to clean up) once the job is under way, check what the dead
    worker left (``cut_off``), start another worker after the redelivery delay and wait for the job to end.

    Kombu looks for unacknowledged messages past the delay when a worker starts, then every 100 s; the
    second worker gets the same job from the broker and runs it from the beginning.
    """
    _wait(
        lambda: Job.objects.filter(under_way, pk=job_id, status=JobStatus.RUNNING).exists(),
        "the job under way",
    )
    time.sleep(settle)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    job = Job.objects.get(pk=job_id)
    assert job.status == JobStatus.RUNNING and job.progress < 100  # it really was cut off mid-job
    if cut_off is not None:
        cut_off()
    time.sleep(REDELIVERY + 1)
    broker()
    job = _wait(lambda: _done(job_id), "the job after the restart", limit=240)
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.attempts == 2
    return job


def test_a_worker_killed_mid_batch_check_loses_nothing(broker):
    first = broker()
    data, names = _batch(COPIES)
    job = enqueue(kind=REPORT_CHECK, actor=SYSTEM_TEST, params={"names": names, "output": "page"}, data=data)
    job = _kill_mid_job_then_finish(broker, first, job.pk, under_way=Q(progress__gte=2))
    assert len(job.result["docs"]) == COPIES


def test_a_worker_killed_mid_ledger_import_leaves_nothing_half_written(broker):
    from gongkai.applications.ledger_jobs import LEDGER_IMPORT
    from gongkai.applications.models import Application
    from gongkai.orgs.models import Role
    from gongkai.orgs.tests.factories import OrganisationFactory, staff

    org = OrganisationFactory()
    clerk = staff(Role.CLERK, org)
    rows = "".join(
        f"2026-03-{n % 27 + 1:02d},当面提交,自然人,申请人{n},信息{n},予以公开,2026-04-10\n"
        for n in range(LEDGER_ROWS)
    )
    data = ("收到日期,申请渠道,申请人类型,申请人,申请内容,办理结果,答复日期\n" + rows).encode()
    first = broker()
    params = {"kind": "applications", "org": org.pk, "filename": "台账.csv", "dry_run": False}
    job = enqueue(kind=LEDGER_IMPORT, actor=clerk, org=org, params=params, data=data, filename="台账.csv")

    def nothing_half_written() -> None:  # the dead worker's transaction was rolled back by the database
        assert not Application.objects.filter(org=org).exists()

    # the import is one transaction after the 10 % step; half a second into it (1,000 rows) it is mid-way
    job = _kill_mid_job_then_finish(
        broker, first, job.pk, under_way=Q(progress__gte=10), settle=0.5, cut_off=nothing_half_written
    )
    assert job.result["created"] == LEDGER_ROWS
    assert Application.objects.filter(org=org).count() == LEDGER_ROWS  # imported once, not twice


def test_a_worker_killed_mid_tree_rendering_loses_nothing(broker):
    from gongkai.orgs.models import Role
    from gongkai.orgs.tests.factories import OrganisationFactory, staff
    from gongkai.reports.bundle_jobs import REPORT_BUNDLE
    from gongkai.reports.tests.test_views import publish

    root = OrganisationFactory()
    tree = [root, *(OrganisationFactory(parent=root) for _ in range(TREE_ORGS - 1))]
    for org in tree:
        publish(org, 2022)
    admin = staff(Role.OFFICE_ADMIN, root)
    first = broker()
    params = {"org": root.pk, "year": 2022, "formats": ["pdf"], "drafts": False}
    job = enqueue(kind=REPORT_BUNDLE, actor=admin, org=root, params=params)
    # under way: at least one organisation's report rendered (progress is per organisation)
    job = _kill_mid_job_then_finish(broker, first, job.pk, under_way=Q(progress__gte=100 // TREE_ORGS))
    with job.output.open("rb") as fh, zipfile.ZipFile(fh) as archive:
        names = archive.namelist()
    assert len([n for n in names if n.endswith(".pdf")]) == TREE_ORGS and "目录.csv" in names
