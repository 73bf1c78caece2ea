"""Issue 17 归档 as an archivist uses it: bulk filing with its dry run, the 归档文件目录 (XLSX/PDF), 移交 and its
package, 销毁 only after the 保管期限 and only once approved by someone else."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from urllib.parse import quote

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gongkai.applications.letters import letter_draft, letter_issue
from gongkai.applications.models import Attachment, Letter, Status
from gongkai.applications.tests.factories import ApplicationFactory, RemedyCaseFactory
from gongkai.applications.vocab import LetterKind
from gongkai.archives.bulk import bulk_plan
from gongkai.archives.destruction import approve_destruction, propose_destruction
from gongkai.archives.directory import HEADER, directory_pdf, directory_xlsx
from gongkai.archives.models import ArchiveRecord, ArchiveTransfer
from gongkai.archives.services import archive_file
from gongkai.archives.transfer import record_transfer, transfer_package
from gongkai.core.actors import SYSTEM_TEST
from gongkai.core.models import AuditEntry, Job
from gongkai.orgs.models import Role
from gongkai.orgs.tests.factories import staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(org_tree):
    org = org_tree["child"]
    return {
        "org": org,
        "clerk": staff(Role.CLERK, org),
        "admin": staff(Role.OFFICE_ADMIN, org),
        "supervisor": staff(Role.SUPERVISOR, org_tree["parent"]),
        "outsider": staff(Role.CLERK, org_tree["sibling"]),
    }


def closed(org, closed_on=dt.date(2026, 3, 12), **kw):
    kw.setdefault("received_on", closed_on - dt.timedelta(days=20))
    return ApplicationFactory(org=org, status=Status.CLOSED, outcome="1", closed_on=closed_on, **kw)


def test_dry_run_says_what_is_filed_and_why_the_rest_is_not_ready(office, client):
    org = office["org"]
    late, early = closed(org, dt.date(2026, 9, 1)), closed(org, dt.date(2026, 2, 1))
    open_one = ApplicationFactory(org=org, received_on=dt.date(2026, 11, 2))
    disputed = closed(org, dt.date(2026, 5, 1))
    RemedyCaseFactory(org=org, application=disputed)
    closed(org, dt.date(2025, 12, 30))  # another year
    plan = bulk_plan(org, 2026)
    assert [a.pk for a in plan.ready] == [early.pk, late.pk]
    reasons = dict((a.pk, r) for a, r in plan.not_ready)
    assert (
        reasons[open_one.pk] == f"当前状态为「{open_one.get_status_display()}」，只有已办结的申请才能归档。"
    )
    assert reasons[disputed.pk] == "有尚未审结的行政复议或行政诉讼，审结后再归档。"
    client.force_login(office["clerk"])
    page = client.get(reverse("archives:year", args=[org.code, 2026])).content.decode()
    assert "将归档（2件）" in page and "暂不能归档（2件）" in page and "审结后再归档" in page
    client.force_login(office["outsider"])
    assert client.get(reverse("archives:year", args=[org.code, 2026])).status_code == 404


def test_bulk_filing_job_numbers_in_closing_order_and_audits_each(
    office, client, django_capture_on_commit_callbacks
):
    org = office["org"]
    late, early = closed(org, dt.date(2026, 9, 1)), closed(org, dt.date(2026, 2, 1))
    ApplicationFactory(org=org, received_on=dt.date(2026, 11, 2))
    client.force_login(office["clerk"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("archives:bulk", args=[org.code, 2026]), {"retention_years": "30"})
    job = Job.objects.get()
    assert response["Location"] == reverse("backoffice:job", args=[job.pk])
    job.refresh_from_db()
    assert job.status == "succeeded" and job.result["filed"] == 2 and job.result["not_ready"] == 1
    numbers = dict(ArchiveRecord.objects.values_list("application_id", "serial"))
    assert numbers == {early.pk: 1, late.pk: 2}
    assert set(ArchiveRecord.objects.values_list("retention_years", flat=True)) == {30}
    assert AuditEntry.objects.filter(object_type="archives.archiverecord", action="create").count() == 2
    # nothing left to file: a second run is refused with a message, no job
    client.post(reverse("archives:bulk", args=[org.code, 2026]))
    assert Job.objects.count() == 1
    client.force_login(office["supervisor"])  # VIEW only: may see, may not file
    assert client.post(reverse("archives:bulk", args=[org.code, 2026])).status_code == 404


def test_bulk_filing_refuses_a_retention_outside_the_list(office, client):
    org = office["org"]
    closed(org)
    client.force_login(office["clerk"])
    response = client.post(
        reverse("archives:bulk", args=[org.code, 2026]), {"retention_years": "5"}, follow=True
    )
    assert "保管期限应为10年、30年或永久。" in response.content.decode()
    assert not Job.objects.exists() and not ArchiveRecord.objects.exists()


def test_directory_has_the_standard_columns_as_xlsx_and_pdf(office, client):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    org = office["org"]
    application = closed(org)
    reply = letter_draft(actor=SYSTEM_TEST, application=application, kind="reply")
    letter_issue(actor=SYSTEM_TEST, letter=reply)
    record = archive_file(actor=office["clerk"], application=application, retention_years=0)
    assert record.pages and record.pages >= 1
    sheet = load_workbook(io.BytesIO(directory_xlsx(org, 2026))).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert tuple(values[0]) == HEADER
    row = dict(zip(HEADER, values[1], strict=True))
    assert row["档号"] == record.number and row["件号"] == 1 and row["责任者"] == org.name
    assert row["题名"] == reply.title and row["文号"] == (reply.number or None)
    assert (
        row["日期"] == f"{reply.dated:%Y%m%d}" and row["保管期限"] == "永久" and row["页数"] == record.pages
    )
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(directory_pdf(org, 2026))).pages)
    assert "归档文件目录" in text and record.number in text and "永久" in text and "20260312" in text
    client.force_login(office["supervisor"])  # no applicant data for supervisors
    assert client.get(reverse("archives:directory", args=[org.code, 2026, "xlsx"])).status_code == 404
    client.force_login(office["clerk"])
    assert (
        client.get(reverse("archives:directory", args=[org.code, 2026, "pdf"]))["Content-Type"]
        == "application/pdf"
    )
    assert AuditEntry.objects.filter(action="export", object_type="orgs.organisation").count() == 1


def test_transfer_locks_the_year_and_its_package_checks_out(office):
    org = office["org"]
    record = archive_file(actor=office["clerk"], application=closed(org))
    args = {"org": org, "year": 2026, "transferred_on": record.filed_on, "archive_name": "测试县档案馆",
            "receiver": "王档案", "receipt_number": "JS-2026-01"}  # fmt: skip
    with pytest.raises(PermissionDenied):
        record_transfer(actor=office["clerk"], **args)  # 登记移交 needs 管理
    # a year is handed over only after it was filed: never before its latest 归档日期
    for early in (dt.date(1990, 1, 1), record.filed_on - dt.timedelta(days=1)):
        with pytest.raises(ValidationError, match="移交日期不能早于该年度档案的最后归档日期"):
            record_transfer(actor=office["admin"], **{**args, "transferred_on": early})
    transfer = record_transfer(actor=office["admin"], **args)
    assert transfer.records == 1
    with pytest.raises(ValidationError, match="不能重复移交"):
        record_transfer(actor=office["admin"], **args)
    with pytest.raises(ValidationError, match="已移交档案馆，不能再归档"):
        archive_file(actor=office["clerk"], application=closed(org))
    assert bulk_plan(org, 2026).transferred
    data = transfer_package(actor=office["clerk"], org=org, year=2026)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        assert {f["path"] for f in manifest["files"]} == set(zf.namelist()) - {"manifest.json"}
        for f in manifest["files"]:
            assert hashlib.sha256(zf.read(f["path"])).hexdigest() == f["sha256"]
    assert f"packages/{record.number}.zip" in {f["path"] for f in manifest["files"]}
    assert manifest["transfer"]["receipt_number"] == "JS-2026-01"
    with pytest.raises(PermissionDenied):
        transfer_package(actor=office["supervisor"], org=org, year=2026)
    assert AuditEntry.objects.filter(object_type="archives.archivetransfer", action="create").count() == 1


def _with_files(org):
    application = closed(org, dt.date(2026, 3, 12), applicant_name="张三丰")
    att = Attachment(application=application, name="a.png", content_type="image/png", extension=".png", size=3,
                     sha256="0" * 64)  # fmt: skip
    att.file.save("a.png", ContentFile(b"png"), save=True)
    return application, att.file.name


def test_destruction_never_before_expiry_and_needs_a_second_person(
    office, client, django_capture_on_commit_callbacks
):
    org, clerk, admin = office["org"], office["clerk"], office["admin"]
    application, stored = _with_files(org)
    record = archive_file(actor=clerk, application=application)  # 10年: kept to the end of 2036
    with pytest.raises(ValidationError, match="没有保管期限已届满"):
        propose_destruction(actor=clerk, org=org, year=2026, today=dt.date(2036, 12, 31))
    proposal = propose_destruction(actor=clerk, org=org, year=2026, today=dt.date(2037, 1, 1))
    assert [i["number"] for i in proposal.items] == [record.number]
    with pytest.raises(PermissionDenied):
        approve_destruction(actor=clerk, destruction=proposal, today=dt.date(2037, 1, 2))  # 审批 needs 管理
    # the server checks the period again on approval: a day before expiry is refused, whatever the list says
    with pytest.raises(ValidationError, match="未到期不得销毁"):
        approve_destruction(actor=admin, destruction=proposal, today=dt.date(2036, 6, 1))
    assert default_storage.exists(stored)
    with django_capture_on_commit_callbacks(execute=True):
        done = approve_destruction(actor=admin, destruction=proposal, today=dt.date(2037, 1, 2))
    assert done.status == "done" and done.items[0]["number"] == record.number  # the 销毁清册 is kept
    record.refresh_from_db()
    application.refresh_from_db()
    assert record.destroyed_on == dt.date(2037, 1, 2) and application.applicant_name == "（已删除）"
    assert not application.attachments.exists() and not default_storage.exists(stored)
    assert AuditEntry.objects.filter(object_type="applications.application", action="delete").exists()
    assert AuditEntry.objects.filter(object_type="archives.archivedestruction").count() == 2
    client.force_login(clerk)  # a destroyed record has no package any more; the list says so
    assert client.get(reverse("archives:package", args=[record.pk])).status_code == 404
    assert "2037-01-02已销毁" in client.get(reverse("archives:list")).content.decode()


def test_the_proposer_cannot_approve_and_a_transferred_year_is_not_destroyed(office):
    org, admin = office["org"], office["admin"]
    application, _ = _with_files(org)
    archive_file(actor=admin, application=application)
    proposal = propose_destruction(actor=admin, org=org, year=2026, today=dt.date(2037, 1, 1))
    with pytest.raises(ValidationError, match="提出人以外"):
        approve_destruction(actor=admin, destruction=proposal, today=dt.date(2037, 1, 1))
    ArchiveTransfer.objects.create(org=org, year=2026, transferred_on=dt.date(2036, 1, 1), archive_name="馆",
                                   receiver="甲", receipt_number="1", records=1)  # fmt: skip
    other = staff(Role.OFFICE_ADMIN, org)
    with pytest.raises(ValidationError, match="已移交档案馆"):
        approve_destruction(actor=other, destruction=proposal, today=dt.date(2037, 1, 1))
    assert ArchiveRecord.objects.get().destroyed_on is None


def test_the_transfer_package_is_built_by_a_job_and_downloaded_from_its_page(
    office, client, django_capture_on_commit_callbacks
):
    org = office["org"]
    record = archive_file(actor=office["clerk"], application=closed(org))
    client.force_login(office["clerk"])
    url = reverse("archives:transfer_package", args=[org.code, 2026])
    assert client.get(url).status_code == 405  # building it is an action, not a link
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    job = Job.objects.get(kind="archive_transfer_package")
    assert response["Location"] == reverse("backoffice:job", args=[job.pk])
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    page = client.get(reverse("backoffice:job", args=[job.pk])).content.decode()
    assert "下载移交包" in page
    download = client.get(reverse("backoffice:job", args=[job.pk]) + "?download=1")
    with zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))) as zf:
        assert f"packages/{record.number}.zip" in zf.namelist()
    client.force_login(office["supervisor"])
    assert client.post(url).status_code == 404


def _filed_2010(org, serials):
    """Records of 2010 kept 10 years (expired): each with an issued 答复 and a draft; every third disputed."""
    for n in serials:
        a = closed(org, dt.date(2010, 3, 12))
        for kind, issued in ((LetterKind.REPLY, timezone.now()), (LetterKind.REPLY, None)):
            Letter.objects.create(
                application=a, kind=kind, number=f"答复〔2010〕{n}号", title=f"答复{n}", recipient="申请人",
                body="正文", signatory="某局", dated=dt.date(2010, 3, 12), issued_at=issued,
            )  # fmt: skip
        ArchiveRecord.objects.create(
            application=a, org=org, year=2010, serial=n, number=f"2010-{org.code}-{n:04d}", retention_years=10,
            filed_on=dt.date(2010, 3, 20),
        )  # fmt: skip
        if n % 3 == 0:
            RemedyCaseFactory(org=org, application=a)


def test_the_year_page_and_the_directory_take_as_many_queries_for_20_records_as_for_2(
    office, client, django_assert_num_queries
):
    # given a year of 2 filed records, each page fetched once to warm up, then counted
    org = office["org"]
    _filed_2010(org, range(1, 3))
    client.force_login(office["clerk"])
    urls = [
        reverse("archives:year", args=[org.code, 2010]),
        reverse("archives:directory", args=[org.code, 2010, "xlsx"]),
    ]
    counts = []
    for url in urls:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    # when the year holds 20 records
    _filed_2010(org, range(3, 21))
    # then each page runs the same number of queries
    for url, count in zip(urls, counts, strict=True):
        with django_assert_num_queries(count):
            response = client.get(url)
        assert response.status_code == 200
    page = client.get(urls[0]).content.decode()
    assert all(f"2010-{org.code}-{n:04d}" in page for n in range(1, 21)) and "答复〔2010〕20号" in page
    expired = page.split("保管期限已届满：", 1)[1].split("</p>", 1)[0]
    assert expired.count(f"2010-{org.code}-") == 14 and f"2010-{org.code}-0003" not in expired  # 6 disputed


def test_the_directory_download_names_its_file_in_chinese(office, client):
    org = office["org"]
    _filed_2010(org, [1])
    client.force_login(office["clerk"])
    header = client.get(reverse("archives:directory", args=[org.code, 2010, "xlsx"]))["Content-Disposition"]
    name = f"{org.code}-2010归档文件目录.xlsx"
    assert header == f"attachment; filename=\"{org.code}-2010.xlsx\"; filename*=UTF-8''{quote(name, safe='')}"
    assert "%E5%BD%92%E6%A1%A3%E6%96%87%E4%BB%B6%E7%9B%AE%E5%BD%95" in header  # 归档文件目录, UTF-8
