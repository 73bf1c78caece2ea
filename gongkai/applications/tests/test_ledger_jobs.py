"""The 台账 imports run as background jobs (issue 19): the staff pages store the upload and redirect to the
job's page; the result page lists what was imported or every bad row; a job that cannot run says why in
Chinese and can be retried; nothing is half-written."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.applications.models import Application, RemedyCase
from gongkai.core.models import Job, JobStatus
from gongkai.orgs.models import Membership, Role
from gongkai.orgs.tests.factories import MembershipFactory
from gongkai.reports.models import Table2Figure
from gongkai.reports.tests.factories import seed_001_figures_csv

pytestmark = pytest.mark.django_db
HEADER = "收到日期,申请渠道,申请人类型,申请人,申请内容,办理结果,答复日期\n"
GOOD = (
    HEADER + "2026-03-02,当面提交,自然人,张三,甲,予以公开,2026-03-10\n2026-03-03,信函,商业企业,某公司,乙,,\n"
)
BAD = (
    HEADER
    + "2026-03-02,当面提交,自然人,张三,甲,予以公开,2026-03-10\n2026-13-40,飞鸽,外星人,李四,乙,予以公开,\n"
)


def _post_ledger(client, capture, org, text, **extra):
    upload = SimpleUploadedFile("台账.csv", text.encode())
    with capture(execute=True):
        response = client.post(
            "/admin/applications/ledger/", {"org": org.pk, "kind": "applications", "file": upload, **extra}
        )
    job = Job.objects.order_by("-id").first()
    assert response.status_code == 302 and response["Location"] == f"/admin/jobs/{job.pk}/"
    return job, client.get(response["Location"]).content.decode()


def test_a_ledger_is_imported_by_a_job_and_its_page_says_what_was_imported(
    client, office, django_capture_on_commit_callbacks
):
    client.force_login(office["clerk"])
    job, page = _post_ledger(client, django_capture_on_commit_callbacks, office["org"], GOOD)
    assert (
        job.kind == "ledger_import" and job.status == JobStatus.SUCCEEDED and job.org_id == office["org"].pk
    )
    assert "导入台账：结果" in page and "已导入 2 条申请记录" in page and "申请台账" in page
    assert Application.objects.filter(org=office["org"], imported=True).count() == 2
    assert not job.input  # the uploaded file (applicants' names) is gone once the job succeeded


def test_a_bad_ledger_lists_every_bad_row_and_imports_nothing(
    client, office, django_capture_on_commit_callbacks
):
    client.force_login(office["clerk"])
    job, page = _post_ledger(client, django_capture_on_commit_callbacks, office["org"], BAD)
    assert (
        job.status == JobStatus.SUCCEEDED and job.result["ok"] is False
    )  # the job ran; the file was refused
    assert "发现 4 处错误，未导入任何数据" in page and "收到日期" in page and "2026-13-40" in page
    assert job.result["error_count"] >= 3 and {e["row"] for e in job.result["errors"]} == {3}
    assert not Application.objects.filter(org=office["org"]).exists()  # all or nothing


def test_a_dry_run_checks_only(client, office, django_capture_on_commit_callbacks):
    client.force_login(office["clerk"])
    _job, page = _post_ledger(client, django_capture_on_commit_callbacks, office["org"], GOOD, dry_run="on")
    assert "可导入 2 条申请记录" in page and "取消勾选" in page
    assert not Application.objects.exists()


def test_a_remedy_ledger_is_a_job_too(client, office, django_capture_on_commit_callbacks):
    client.force_login(office["clerk"])
    text = "类型,收到日期,结果,审结日期,关联申请\n行政复议,2026-04-01,,,\n"
    upload = SimpleUploadedFile("复议.csv", text.encode())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/applications/ledger/", {"org": office["org"].pk, "kind": "remedies", "file": upload}
        )
    page = client.get(response["Location"]).content.decode()
    assert "复议诉讼台账" in page and "已导入 1 条复议诉讼案件记录" in page
    assert RemedyCase.objects.filter(org=office["org"]).count() == 1


def test_a_job_that_cannot_run_says_why_in_chinese_and_can_be_retried(
    client, office, django_capture_on_commit_callbacks
):
    clerk = office["clerk"]
    client.force_login(clerk)
    # given the clerk loses the role between submitting and the worker running the job
    upload = SimpleUploadedFile("台账.csv", GOOD.encode())
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            "/admin/applications/ledger/", {"org": office["org"].pk, "kind": "applications", "file": upload}
        )
    Membership.objects.filter(user=clerk).delete()
    callbacks[0]()
    job = Job.objects.get()
    assert job.status == JobStatus.FAILED and "无权" in job.error and job.input  # kept for a retry
    page = client.get(response["Location"]).content.decode()
    assert "任务失败：" in page and "重新执行" in page
    assert not Application.objects.exists()
    # when the role is given back and the job retried, the same file is imported
    MembershipFactory(user=clerk, org=office["org"], role=Role.CLERK)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/jobs/{job.pk}/retry/")
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.attempts == 2
    assert Application.objects.filter(org=office["org"]).count() == 2


def test_too_large_a_ledger_is_refused_on_the_page(client, office, settings, monkeypatch):
    from gongkai.applications import views

    monkeypatch.setattr(views, "MAX_SHEET_BYTES", 10)
    client.force_login(office["clerk"])
    upload = SimpleUploadedFile("台账.csv", GOOD.encode())
    response = client.post(
        "/admin/applications/ledger/", {"org": office["org"].pk, "kind": "applications", "file": upload}
    )
    assert response.status_code == 200 and "请拆分后再导入" in response.content.decode()
    assert not Job.objects.exists()


def test_the_figures_ledger_is_imported_by_a_job(client, office, django_capture_on_commit_callbacks):
    client.force_login(office["clerk"])
    upload = SimpleUploadedFile("表二.csv", seed_001_figures_csv())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/reports/figures/import/", {"i-org": office["org"].pk, "i-file": upload}
        )
    job = Job.objects.get()
    assert response["Location"] == f"/admin/jobs/{job.pk}/" and job.kind == "figures_import"
    page = client.get(response["Location"]).content.decode()
    assert "导入表二数据：结果" in page and "已导入" in page
    assert Table2Figure.objects.filter(org=office["org"], year=2020).exists()
    bad = SimpleUploadedFile("表二.csv", "年度,项目,指标,数值\n2020,不存在的项目,本年制发件数,1\n".encode())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/reports/figures/import/", {"i-org": office["org"].pk, "i-file": bad})
    page = client.get(response["Location"]).content.decode()
    assert "未导入任何数据" in page and "不存在的项目" in page


def test_a_worker_killed_right_after_the_import_committed_does_not_import_twice(
    office, monkeypatch, django_capture_on_commit_callbacks
):
    from gongkai.core.jobs import enqueue, service

    with django_capture_on_commit_callbacks(execute=False):
        job = enqueue(
            kind="ledger_import", actor=office["clerk"], data=GOOD.encode(), filename="台账.csv",
            params={"kind": "applications", "org": office["org"].pk, "filename": "台账.csv", "dry_run": False},
        )  # fmt: skip

    def killed(*args, **kwargs):  # the worker dies after the handler returned, before it marks the job
        raise SystemExit(9)

    monkeypatch.setattr(service, "_finish", killed)
    with pytest.raises(SystemExit):
        service.run_job(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.result["created"] == 2  # committed with the import
    monkeypatch.undo()
    assert service.run_job(job.pk) == "skipped"  # the broker's second delivery
    assert Application.objects.filter(org=office["org"]).count() == 2
