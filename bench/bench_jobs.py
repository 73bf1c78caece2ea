"""How long the background jobs of issue 19 take: a 台账 import and the rendering of a whole tree's reports.

Standalone, one-off (not part of ``bench/run.py``): ``python -m bench.bench_jobs [--rows N]``. It migrates a
scratch database (``var/bench-jobs.sqlite3``, recreated; or ``DATABASE_URL``, whose name must contain
``bench``), loads the demo county, and runs each job as the web page enqueues it — eagerly, in this process
(no broker), timing the wall clock from enqueue to the finished ``Job`` row:

- ``ledger_import``: a generated 台账 of N applications (default 1,000) for the demo county government;
- ``report_bundle``: every active organisation of the demo county, one year, PDF and DOCX, drafts included
  (a draft version is created for each organisation that has none, so that every one is rendered: a draft is
  computed from the records on each render, the heavier case).

Results go to stdout; BENCHMARKS.md (*Background jobs: ledger import and tree rendering*) records a run.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    scratch = ROOT / "var" / "bench-jobs.sqlite3"
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        scratch.parent.mkdir(exist_ok=True)
        scratch.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch}"
    elif "bench" not in url.rsplit("/", 1)[-1]:
        raise SystemExit("DATABASE_URL must name a scratch database whose name contains 'bench'.")
    for name in ("GONGKAI_BROKER_URL", "REDIS_URL"):
        os.environ.pop(name, None)  # eager: the job runs in this process, as in the demo
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _ledger(rows: int) -> bytes:
    lines = ["收到日期,申请渠道,申请人类型,申请人,申请内容,办理结果,答复日期"]
    for n in range(rows):
        day = f"2025-{n % 12 + 1:02d}-{n % 27 + 1:02d}"
        # every other row still open (no outcome): its deadlines are computed, as a real ledger's open rows are
        outcome = "予以公开,2025-12-30" if n % 2 else ","
        lines.append(f"{day},当面提交,自然人,申请人{n},某项目审批文件{n},{outcome}")
    return ("\n".join(lines) + "\n").encode()


def _timed_job(**kwargs: object) -> tuple[float, object]:
    from gongkai.core.jobs import enqueue
    from gongkai.core.models import Job

    start = time.perf_counter()
    job = enqueue(**kwargs)  # type: ignore[arg-type]
    seconds = time.perf_counter() - start
    return seconds, Job.objects.get(pk=job.pk)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--year", type=int, default=2025)
    args = parser.parse_args()
    _setup()
    from django.db import connection

    from gongkai.accounts.models import User
    from gongkai.backoffice.demo import load_demo
    from gongkai.core.actors import SYSTEM_TEST
    from gongkai.orgs.models import Membership, Organisation, Role
    from gongkai.reports import services
    from gongkai.reports.models import Report

    load_demo()
    root = Organisation.objects.filter(parent__isnull=True).order_by("path").first()
    assert root is not None
    admin = User.objects.create_user(username="bench-jobs", password=None)
    Membership.objects.create(user=admin, org=root, role=Role.OFFICE_ADMIN)
    print(f"database: {connection.vendor}; demo root: {root.name}")

    params = {"kind": "applications", "org": root.pk, "filename": "台账.csv", "dry_run": False}
    seconds, job = _timed_job(
        kind="ledger_import",
        actor=admin,
        org=root,
        params=params,
        data=_ledger(args.rows),
        filename="台账.csv",
    )
    created = job.result["created"]  # type: ignore[attr-defined]
    assert job.status == "succeeded" and created == args.rows, (job.status, job.error)  # type: ignore[attr-defined]
    print(f"ledger_import: {args.rows} rows in {seconds:.1f} s ({seconds / args.rows * 1000:.1f} ms a row)")

    orgs = list(Organisation.objects.filter(path__startswith=root.path, is_active=True))
    for org in orgs:
        if not Report.objects.filter(org=org, year=args.year).exists():
            services.report_create(actor=SYSTEM_TEST, org=org, year=args.year)
    params = {"org": root.pk, "year": args.year, "formats": ["pdf", "docx"], "drafts": True}
    seconds, job = _timed_job(kind="report_bundle", actor=admin, org=root, params=params)
    assert job.status == "succeeded", job.error  # type: ignore[attr-defined]
    files, size = job.result["files"], job.result["size"]  # type: ignore[attr-defined]
    print(
        f"report_bundle: {len(orgs)} organisations, {files} files (PDF + DOCX), {size / 1e6:.1f} MB zip, "
        f"{seconds:.1f} s ({seconds / len(orgs):.2f} s an organisation)"
    )


if __name__ == "__main__":
    main()
