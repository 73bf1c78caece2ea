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


# --- The jobs of the apps --------------------------------------------------------------------------


def _login_with_second_factor(client, user):
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="t", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def test_the_catalogue_reindex_runs_as_a_job_for_a_system_admin(client, django_capture_on_commit_callbacks):
    from gongkai.catalog.models import SearchEntry
    from gongkai.catalog.tests.factories import published_item
    from gongkai.orgs.models import Role
    from gongkai.orgs.tests.factories import OrganisationFactory, staff

    org = OrganisationFactory()
    published_item(org, title="矩阵测试已发布")
    SearchEntry.objects.all().delete()  # an index that lost its rows
    admin = staff(Role.SYSTEM_ADMIN, org)
    _login_with_second_factor(client, admin)
    assert "开始重建" in client.get("/admin/catalog/reindex/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/catalog/reindex/")
    job = Job.objects.get(actor=admin)
    assert response["Location"] == f"/admin/jobs/{job.pk}/"
    assert job.status == JobStatus.SUCCEEDED and job.result == {"indexed": 1}
    assert SearchEntry.objects.count() == 1
    assert "共索引 1 条已发布信息" in client.get(response["Location"]).content.decode()


def test_the_org_import_runs_as_a_job_and_its_page_lists_the_bad_rows(
    client, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gongkai.orgs.models import Role
    from gongkai.orgs.tests.factories import OrganisationFactory, staff

    admin = staff(Role.SYSTEM_ADMIN, OrganisationFactory())
    _login_with_second_factor(client, admin)
    bad = "名称,简称,代码,上级代码,层级,类型\n某县人民政府,某县,,,县,人民政府\n".encode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/orgs/import/", {"file": SimpleUploadedFile("orgs.csv", bad), "dry_run": "on"}
        )
    page = client.get(response["Location"]).content.decode()
    assert "导入机构：结果" in page and "未导入任何数据" in page and "代码" in page


# --- Produced files and the nightly clean-up ----------------------------------------------------------


def _output_handler(ctx: JobContext) -> dict:
    ctx.save_output(f"run {ctx.job.attempts}".encode(), suffix=".zip")
    if ctx.params.get("fail"):
        raise JobFailed("生成失败。")
    return {}


register(JobKind("test_output", "测试结果文件", _output_handler, _result))


def test_a_produced_file_is_kept_and_a_failed_run_offers_none(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        done = enqueue(kind="test_output", actor=SYSTEM_TEST)
        failed = enqueue(kind="test_output", actor=SYSTEM_TEST, params={"fail": True})
    done.refresh_from_db()
    failed.refresh_from_db()
    assert done.output.name.rsplit("/", 1)[-1].startswith("output") and done.output.name.endswith(".zip")
    assert done.output.read() == b"run 0"
    assert failed.status == JobStatus.FAILED and not failed.output


def test_a_run_handed_out_again_replaces_the_earlier_file():
    from django.core.files.storage import default_storage

    job = Job.objects.create(kind="test_output", status=JobStatus.RUNNING, attempts=1)
    assert run_job(job.pk) == "succeeded"
    job.refresh_from_db()
    first = job.output.name
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)  # as if delivered once more mid-run
    run_job(job.pk)
    job.refresh_from_db()
    assert job.output.name != first and not default_storage.exists(first)


def test_cleanup_removes_old_inputs_and_outputs_and_fails_lost_jobs(django_capture_on_commit_callbacks):
    import datetime as dt

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.utils import timezone

    from gongkai.core.jobs.cleanup import LOST, cleanup_job_files
    from gongkai.core.models import AuditEntry

    old = timezone.now() - dt.timedelta(days=8)
    failed = Job.objects.create(kind="test_job", status=JobStatus.FAILED, finished_at=old)
    failed.input.save("input.csv", ContentFile(b"names"))
    lost = Job.objects.create(kind="test_job", status=JobStatus.QUEUED)
    lost.input.save("input.csv", ContentFile(b"names"))
    running = Job.objects.create(kind="test_job", status=JobStatus.RUNNING)
    running.input.save("input.csv", ContentFile(b"names"))
    recent = Job.objects.create(kind="test_job", status=JobStatus.FAILED, finished_at=timezone.now())
    recent.input.save("input.csv", ContentFile(b"names"))
    Job.objects.filter(pk__in=[failed.pk, lost.pk, running.pk]).update(created_at=old)
    names = {j.pk: j.input.name for j in (failed, lost, running, recent)}
    assert cleanup_job_files(actor=SYSTEM_TEST, dry_run=True).inputs == 2
    with django_capture_on_commit_callbacks(execute=True):
        result = cleanup_job_files(actor=SYSTEM_TEST)
    assert (result.inputs, result.outputs, result.lost) == (2, 0, 1)
    assert not default_storage.exists(names[failed.pk]) and not default_storage.exists(names[lost.pk])
    assert default_storage.exists(names[running.pk]) and default_storage.exists(names[recent.pk])
    lost.refresh_from_db()
    assert lost.status == JobStatus.FAILED and lost.error == LOST
    failed.refresh_from_db()
    with pytest.raises(JobFailed, match="输入文件已不存在"):
        JobContext(failed).input_bytes()  # a retry now says why it cannot run
    assert AuditEntry.objects.filter(object_type="core.job", action="delete").get().changes["inputs"] == 2
