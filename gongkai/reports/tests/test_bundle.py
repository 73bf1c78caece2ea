"""Report rendering for a whole tree as a background job (issue 19): the page enqueues it, the job renders
each organisation's report into one zip with a 目录.csv, the result page offers the zip to the user who
started it; scoped by organisation; a job that cannot run says why and can be retried; old zips expire."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import pytest
from django.utils import timezone

from gongkai.core.actors import SYSTEM_TEST
from gongkai.core.models import AuditEntry, Job, JobStatus
from gongkai.orgs.models import Membership, Role
from gongkai.orgs.tests.factories import MembershipFactory, staff
from gongkai.reports import services
from gongkai.reports.tests.test_views import publish

pytestmark = pytest.mark.django_db
YEAR = 2022


@pytest.fixture
def tree(org_tree):
    """The county's report published, its department's only drafted; the neighbour county's published."""
    publish(org_tree["own"], YEAR)
    services.report_create(actor=SYSTEM_TEST, org=org_tree["child"], year=YEAR)
    publish(org_tree["sibling"], YEAR)
    return org_tree


def _run(client, capture, org, *, formats=("pdf",), drafts=False):
    data = {"org": org.pk, "year": YEAR, "formats": list(formats), **({"drafts": "on"} if drafts else {})}
    with capture(execute=True):
        response = client.post("/admin/reports/bundle/", data)
    job = Job.objects.order_by("-id").first()
    assert response.status_code == 302 and response["Location"] == f"/admin/jobs/{job.pk}/"
    job.refresh_from_db()
    return job, response["Location"]


def _zip(client, location) -> zipfile.ZipFile:
    response = client.get(location + "?download=1")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"] and response["X-Content-Type-Options"] == "nosniff"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def _index(archive: zipfile.ZipFile) -> list[list[str]]:
    return list(csv.reader(io.StringIO(archive.read("目录.csv").decode("utf-8-sig"))))


def test_the_tree_is_rendered_into_one_zip_of_published_reports(
    client, tree, django_capture_on_commit_callbacks
):
    admin = staff(Role.OFFICE_ADMIN, tree["own"])
    client.force_login(admin)
    assert "开始生成" in client.get("/admin/reports/bundle/").content.decode()
    job, location = _run(client, django_capture_on_commit_callbacks, tree["own"], formats=("pdf", "docx"))
    assert job.status == JobStatus.SUCCEEDED, job.error
    page = client.get(location).content.decode()
    assert "年度报告批量生成：结果" in page and "下载压缩包（2 个文件" in page and "未发布" in page
    archive = _zip(client, location)
    names = sorted(archive.namelist())
    county = tree["own"].name
    assert names == sorted([f"001-{county}2022年政府信息公开工作年度报告.pdf",
                            f"001-{county}2022年政府信息公开工作年度报告.docx", "目录.csv"])  # fmt: skip
    assert archive.read(names[1]).startswith(b"%PDF")
    assert zipfile.ZipFile(io.BytesIO(archive.read(names[0]))).namelist()  # a DOCX is a zip
    rows = _index(archive)
    assert rows[0] == ["序号", "机构", "机构代码", "年度", "状态", "版本", "发布日期", "文件"]
    assert [r[1:5] for r in rows[1:]] == [
        [county, tree["own"].code, "2022", "已发布"],
        [tree["child"].name, tree["child"].code, "2022", "未发布"],  # drafted, not published: no file
    ]
    assert tree["sibling"].name not in page  # another county: not in the tree
    row = AuditEntry.objects.get(action="export", object_type="reports.report")
    assert row.org_id == tree["own"].pk and row.changes["files"] == 2


def test_drafts_are_included_on_request_and_marked(client, tree, django_capture_on_commit_callbacks):
    client.force_login(staff(Role.OFFICE_ADMIN, tree["own"]))
    _job, location = _run(client, django_capture_on_commit_callbacks, tree["own"], drafts=True)
    names = _zip(client, location).namelist()
    assert f"002-{tree['child'].name}2022年政府信息公开工作年度报告（草稿）.pdf" in names


def test_only_what_the_user_may_view_is_offered_and_rendered(
    client, tree, django_capture_on_commit_callbacks
):
    clerk = staff(Role.CLERK, tree["child"])  # sees its own department only
    client.force_login(clerk)
    page = client.get("/admin/reports/bundle/").content.decode()
    assert tree["child"].name in page and tree["own"].name not in page
    response = client.post(
        "/admin/reports/bundle/", {"org": tree["own"].pk, "year": YEAR, "formats": ["pdf"]}
    )
    assert response.status_code == 200 and not Job.objects.exists()  # not a choice: refused by the form
    client.force_login(staff(Role.CLERK, tree["sibling"]))
    _job, location = _run(client, django_capture_on_commit_callbacks, tree["sibling"], drafts=True)
    rows = _index(_zip(client, location))
    assert [r[1] for r in rows[1:]] == [tree["sibling"].name]


def test_a_job_that_cannot_run_says_why_and_can_be_retried(client, tree, django_capture_on_commit_callbacks):
    admin = staff(Role.OFFICE_ADMIN, tree["own"])
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            "/admin/reports/bundle/", {"org": tree["own"].pk, "year": YEAR, "formats": ["pdf"]}
        )
    Membership.objects.filter(user=admin).delete()  # the role is withdrawn before the worker runs the job
    callbacks[0]()
    job = Job.objects.get()
    assert job.status == JobStatus.FAILED and "无权查看" in job.error and not job.output
    page = client.get(response["Location"]).content.decode()
    assert "任务失败：所选机构已不存在，或您已无权查看该机构的年度报告。" in page and "重新执行" in page
    MembershipFactory(user=admin, org=tree["own"], role=Role.OFFICE_ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/jobs/{job.pk}/retry/")
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.attempts == 2 and job.output


def test_the_zip_expires_after_the_days_kept(client, tree, django_capture_on_commit_callbacks):
    from django.core.files.storage import default_storage
    from django.core.management import call_command

    client.force_login(staff(Role.OFFICE_ADMIN, tree["own"]))
    job, location = _run(client, django_capture_on_commit_callbacks, tree["own"])
    stored = job.output.name
    call_command("jobs_cleanup", stdout=io.StringIO())
    assert default_storage.exists(stored)  # fresh: kept
    Job.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - dt.timedelta(days=8), finished_at=timezone.now() - dt.timedelta(days=8)
    )
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("jobs_cleanup", stdout=out)
    assert "已删除 0 个输入文件、1 个结果文件" in out.getvalue()
    assert not default_storage.exists(stored)
    page = client.get(location).content.decode()
    assert "压缩包已超过保留期限被删除" in page
    again = client.get(location + "?download=1")  # no file to offer any more: the page again
    assert (
        again["Content-Type"].startswith("text/html")
        and "压缩包已超过保留期限被删除" in again.content.decode()
    )
