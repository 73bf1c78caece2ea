"""Background jobs run eagerly (no broker, as in the demo and the SQLite pass): success with progress,
failure with a Chinese reason, retry, a job handed out twice, and the job's page."""

from __future__ import annotations

import pytest
from django.http import HttpResponse

from gongkai.core.actors import SYSTEM_TEST
from gongkai.core.jobs import JobContext, JobFailed, JobKind, enqueue, register, retry
from gongkai.core.jobs.service import INTERNAL_ERROR, run_job
from gongkai.core.models import Job, JobStatus
from gongkai.orgs.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SEEN: list[tuple[int, str]] = []  # the progress the handler read back from the database while running


def _handler(ctx: JobContext) -> dict:
    mode = ctx.params.get("mode")
    data = ctx.input_bytes() if ctx.job.input else b""
    for step in (25, 50):
        ctx.progress(step, f"第 {step} 步")
        row = Job.objects.get(pk=ctx.job.pk)
        SEEN.append((row.progress, row.message))
    if mode == "refuse":
        raise JobFailed("文件第 3 行缺少“代码”。")
    if mode == "crash":
        raise RuntimeError("secret internal detail")
    if mode == "flaky" and Job.objects.get(pk=ctx.job.pk).attempts < 2:
        raise JobFailed("暂时失败")
    return {"bytes": len(data), "actor": str(ctx.actor)}


def _result(request, job):
    return HttpResponse(f"结果：{job.result['bytes']}")


register(JobKind("test_job", "测试任务", _handler, _result))


@pytest.fixture(autouse=True)
def _clear_seen():
    SEEN.clear()


def _enqueue(capture, **params):
    with capture(execute=True):
        job = enqueue(kind="test_job", actor=SYSTEM_TEST, params=params, data=b"abc", filename="../x.csv")
    job.refresh_from_db()
    return job


def test_a_job_runs_reports_progress_and_keeps_its_result(django_capture_on_commit_callbacks):
    job = _enqueue(django_capture_on_commit_callbacks)
    assert job.status == JobStatus.SUCCEEDED and job.progress == 100
    assert job.result == {"bytes": 3, "actor": "系统（定时任务）"}  # no user behind it: the scheduler acts
    assert SEEN == [(25, "第 25 步"), (50, "第 50 步")]  # written at once, readable while the job runs
    assert job.attempts == 1 and job.started_at and job.finished_at
    assert not job.input  # the input file is removed once the job has succeeded


def test_the_input_is_stored_under_a_neutral_name(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        job = enqueue(kind="test_job", actor=SYSTEM_TEST, data=b"abc", filename="../../etc/=cmd.csv")
    assert job.input.name.rsplit("/", 1)[-1].startswith("input") and ".." not in job.input.name


def test_nothing_runs_before_the_record_is_committed(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = enqueue(kind="test_job", actor=SYSTEM_TEST)
    assert len(callbacks) == 1
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.progress == 0


def test_a_refused_job_fails_with_its_chinese_reason(django_capture_on_commit_callbacks):
    job = _enqueue(django_capture_on_commit_callbacks, mode="refuse")
    assert job.status == JobStatus.FAILED
    assert job.error == "文件第 3 行缺少“代码”。"
    assert job.progress == 50  # where it stopped
    assert job.input  # kept, so that it can be retried


def test_a_crash_fails_with_a_general_chinese_message_not_the_exception(django_capture_on_commit_callbacks):
    job = _enqueue(django_capture_on_commit_callbacks, mode="crash")
    assert job.status == JobStatus.FAILED
    assert job.error == INTERNAL_ERROR and "secret" not in job.error


def test_a_failed_job_can_be_retried(django_capture_on_commit_callbacks):
    job = _enqueue(django_capture_on_commit_callbacks, mode="flaky")
    assert job.status == JobStatus.FAILED and job.attempts == 1
    with django_capture_on_commit_callbacks(execute=True):
        retry(job=job)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.attempts == 2 and job.error == ""
    assert job.result == {"bytes": 3, "actor": "系统（定时任务）"}  # the same input, kept for the retry


def test_only_a_failed_job_is_retried(django_capture_on_commit_callbacks):
    job = _enqueue(django_capture_on_commit_callbacks)
    with pytest.raises(JobFailed, match="只有失败的任务"):
        retry(job=job)


def test_a_job_handed_out_again_after_a_worker_died_runs_again_but_a_finished_one_does_not():
    # given a job a worker had started when it was killed (status left at 进行中)
    job = Job.objects.create(kind="test_job", status=JobStatus.RUNNING, progress=40, attempts=1)
    # when the broker hands it out again, it runs to the end
    assert run_job(job.pk) == "succeeded"
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.attempts == 2
    # and a second delivery of a finished job does nothing
    assert run_job(job.pk) == "skipped"


def test_an_unknown_kind_is_refused_when_enqueued():
    with pytest.raises(KeyError):
        enqueue(kind="no_such_job", actor=SYSTEM_TEST)


# --- The job's page --------------------------------------------------------------------------------


def test_the_page_shows_a_progress_bar_then_the_result(client, django_capture_on_commit_callbacks):
    user = UserFactory()
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = enqueue(kind="test_job", actor=user, data=b"abcd")
    page = client.get(f"/admin/jobs/{job.pk}/").content.decode()
    assert "<progress" in page and "排队中" in page and "/static/gongkai/jobs.js" in page
    assert client.get(f"/admin/jobs/{job.pk}/status/").json() == {
        "status": "queued",
        "status_label": "排队中",
        "progress": 0,
        "message": "",
        "done": False,
    }
    callbacks[0]()  # the worker runs it
    assert client.get(f"/admin/jobs/{job.pk}/status/").json()["done"] is True
    assert client.get(f"/admin/jobs/{job.pk}/").content.decode() == "结果：4"


def test_a_failed_job_page_says_why_and_offers_a_retry(client, django_capture_on_commit_callbacks):
    user = UserFactory()
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        job = enqueue(kind="test_job", actor=user, params={"mode": "refuse"})
    page = client.get(f"/admin/jobs/{job.pk}/").content.decode()
    assert "任务失败：文件第 3 行缺少“代码”。" in page and "重新执行" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/jobs/{job.pk}/retry/")
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.attempts == 2  # refused again, but it did run again
